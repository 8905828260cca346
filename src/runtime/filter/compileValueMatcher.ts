import { compileAnythingBut } from './compileAnythingBut.js';
import { compileCidr } from './compileCidr.js';
import { compileExactString } from './compileExactString.js';
import { compileNumericRange } from './compileNumericRange.js';
import { compileWildcard } from './compileWildcard.js';
import { foldCase } from './foldCase.js';
import { InvalidPatternError } from './InvalidPatternError.js';
import type { ValueMatcher, ValueTest } from './PatternTree.js';

const string = (operator: string, operand: unknown): string => {
  if (typeof operand !== 'string')
    throw new InvalidPatternError(`${operator} match pattern must be a string`);
  return operand;
};

/**
 * `{"prefix": "…"}` / `{"suffix": "…"}`, or their case-insensitive form `{"prefix": {"equals-ignore-case": "…"}}`.
 * Strings only: a number never has a prefix.
 */
const compileAffix = (operator: 'prefix' | 'suffix', operand: unknown): ValueTest => {
  let ignoreCase = false;
  let affix: string;
  if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
    const names = Object.keys(operand);
    if (names.length !== 1 || names[0] !== 'equals-ignore-case') {
      throw new InvalidPatternError(`Unsupported ${operator} pattern: ${names.join(', ') || '{}'}`);
    }
    ignoreCase = true;
    affix = string('equals-ignore-case', (operand as Record<string, unknown>)['equals-ignore-case']);
  } else {
    affix = string(operator, operand);
  }
  const wanted = ignoreCase ? foldCase(affix) : affix;
  return (value) => {
    if (typeof value !== 'string') return false;
    const text = ignoreCase ? foldCase(value) : value;
    return operator === 'prefix' ? text.startsWith(wanted) : text.endsWith(wanted);
  };
};

const compileEqualsIgnoreCase = (operand: unknown): ValueTest => {
  const folded = foldCase(string('equals-ignore-case', operand));
  return (value) => typeof value === 'string' && foldCase(value) === folded;
};

const compileExists = (operand: unknown): ValueMatcher => {
  if (typeof operand !== 'boolean')
    throw new InvalidPatternError('exists match pattern must be either true or false.');
  return { kind: 'exists', exists: operand };
};

/** The operators a value list may hold, by name. `wildcard` and `cidr` are EventBridge's; Lambda: UNCONFIRMED. */
const OPERATORS: Record<string, (operand: unknown) => ValueMatcher> = {
  prefix: (operand) => ({ kind: 'test', test: compileAffix('prefix', operand) }),
  suffix: (operand) => ({ kind: 'test', test: compileAffix('suffix', operand) }),
  'equals-ignore-case': (operand) => ({ kind: 'test', test: compileEqualsIgnoreCase(operand) }),
  'anything-but': (operand) => ({ kind: 'test', test: compileAnythingBut(operand) }),
  numeric: (operand) => ({ kind: 'test', test: compileNumericRange(operand) }),
  exists: compileExists,
  wildcard: (operand) => ({ kind: 'test', test: compileWildcard(operand) }),
  cidr: (operand) => ({ kind: 'test', test: compileCidr(operand) }),
};

/**
 * One element of a pattern's value list: a literal (string, number, `true`, `false`, `null`), compared with
 * the leaf exactly and type for type (`["42"]` does not match `42`; numbers compare by value, so `[300]`
 * matches `300.0`), or an object naming one operator.
 *
 * @example
 * compileValueMatcher({ prefix: 'us-' }) // { kind: 'test', test: (v) => … }
 */
const compileValueMatcher = (element: unknown): ValueMatcher => {
  if (typeof element === 'string') return { kind: 'test', test: compileExactString(element) };
  if (typeof element === 'number' || typeof element === 'boolean' || element === null) {
    return { kind: 'test', test: (value) => value === element };
  }
  if (typeof element !== 'object' || Array.isArray(element)) {
    throw new InvalidPatternError('Match value must be String, number, true, false, or null');
  }
  const names = Object.keys(element);
  const name = names[0];
  if (name === undefined) throw new InvalidPatternError('Match expression name not found');
  if (names.length > 1)
    throw new InvalidPatternError(`Only one key allowed in match expression; got ${names.join(', ')}`);
  if (!Object.hasOwn(OPERATORS, name)) throw new InvalidPatternError(`Unrecognized match type ${name}`);
  const compile = OPERATORS[name] as (operand: unknown) => ValueMatcher;
  return compile((element as Record<string, unknown>)[name]);
};

export { compileValueMatcher };
