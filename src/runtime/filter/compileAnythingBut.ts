import { compileWildcard } from './compileWildcard.js';
import { foldCase } from './foldCase.js';
import { InvalidPatternError } from './InvalidPatternError.js';
import type { Scalar, ValueTest } from './PatternTree.js';

/** The forms `anything-but` may wrap, and how each one excludes a string. */
const STRING_FORMS: Record<string, (operand: string) => ValueTest> = {
  prefix: (prefix) => (value) => typeof value === 'string' && value.startsWith(prefix),
  suffix: (suffix) => (value) => typeof value === 'string' && value.endsWith(suffix),
  'equals-ignore-case': (expected) => {
    const folded = foldCase(expected);
    return (value) => typeof value === 'string' && foldCase(value) === folded;
  },
  wildcard: (wildcard) => compileWildcard(wildcard),
};

const typeError = (form: string): InvalidPatternError =>
  new InvalidPatternError(
    form === 'equals-ignore-case'
      ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
      : form === 'wildcard'
        ? 'wildcard match pattern must be a string'
        : 'prefix/suffix match pattern must be a string',
  );

/** `{"anything-but": {"prefix" | "suffix" | "equals-ignore-case" | "wildcard": "…" | ["…", …]}}`. */
const compileForm = (form: Record<string, unknown>): ValueTest => {
  const names = Object.keys(form);
  const name = names[0];
  if (name === undefined) throw new InvalidPatternError('Anything-But expression name not found');
  if (names.length > 1) throw new InvalidPatternError('Only one key allowed in match expression');
  if (!Object.hasOwn(STRING_FORMS, name))
    throw new InvalidPatternError(`Unsupported anything-but pattern: ${name}`);
  const build = STRING_FORMS[name] as (operand: string) => ValueTest;
  const operand = form[name];
  if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
    throw new InvalidPatternError('Value of anything-but must be an array or single string/number value.');
  }
  const operands = Array.isArray(operand) ? (operand as unknown[]) : [operand];
  const excluded = operands.map((o) => {
    if (typeof o !== 'string') throw typeError(name);
    if (o === '' && (name === 'prefix' || name === 'suffix')) {
      throw new InvalidPatternError('Null prefix/suffix not allowed');
    }
    return build(o);
  });
  return (value) => !excluded.some((isExcluded) => isExcluded(value));
};

/** `{"anything-but": […]}`: strings only or numbers only, at least one. */
const compileList = (list: readonly unknown[]): ValueTest => {
  const strings = list.every((v) => typeof v === 'string');
  const numbers = list.every((v) => typeof v === 'number');
  if (!list.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw new InvalidPatternError('Inside anything but list, start|null|boolean is not supported.');
  }
  if (list.length === 0 || (!strings && !numbers)) {
    throw new InvalidPatternError(
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    );
  }
  const excluded = new Set<Scalar>(list as Scalar[]);
  return (value) => !excluded.has(value);
};

/**
 * `{"anything-but": …}`: matches every value the operand does not exclude — other types and JSON `null`
 * included (EventBridge, recorded against AWS) — but never a missing field, which has no value to test.
 * A string or number operand excludes that value only (`{"anything-but": "101"}` keeps `{"N": "42"}`).
 */
const compileAnythingBut = (operand: unknown): ValueTest => {
  if (typeof operand === 'string' || typeof operand === 'number') return (value) => value !== operand;
  if (Array.isArray(operand)) return compileList(operand);
  if (operand !== null && typeof operand === 'object') return compileForm(operand as Record<string, unknown>);
  throw new InvalidPatternError('Value of anything-but must be an array or single string/number value.');
};

export { compileAnythingBut };
