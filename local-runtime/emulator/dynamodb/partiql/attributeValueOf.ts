import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { valuesEqual } from '../attributes/compareValues.js';
import { canonicalNumber } from '../attributes/decimal.js';
import { setOwn } from '../expressions/documentPath.js';
import type { Expr } from './ast.js';
import { atSpan } from './statementErrors.js';
import { lineColumn } from './tokenize.js';

/** What a value expression is read against: the statement (for positions) and the request's Parameters. */
interface ValueContext {
  readonly text: string;
  readonly parameters: readonly AttributeValue[];
  /**
   * INSERT's rule: a `?` may stand for a whole attribute value (`{'a': ?}`) but not for part of one
   * (`{'a': [1, ?]}`), which DynamoDB refuses as an unsupported data type.
   */
  readonly topLevelParametersOnly?: boolean;
}

/** Whether an expression is a value (a literal, a parameter, or a tuple, list or bag of them). */
const isValue = (expr: Expr): boolean =>
  expr.kind === 'literal' ||
  expr.kind === 'parameter' ||
  expr.kind === 'tuple' ||
  expr.kind === 'list' ||
  expr.kind === 'bag';

/**
 * The AttributeValue a value expression stands for: strings S, numbers N (in DynamoDB's canonical form), TRUE
 * and FALSE BOOL, NULL NULL, tuples M, lists L, bags SS or NS, `?` the parameter. Refused, with DynamoDB's
 * messages: MISSING, operators, names, tuples with non-string or repeated keys, empty, mixed or repeating bags.
 * `where` names the position in the item as DynamoDB's messages do (`root`, then list indexes).
 */
const attributeValueOf = (expr: Expr, context: ValueContext, where = 'root', depth = 0): AttributeValue => {
  switch (expr.kind) {
    case 'literal': {
      const { literal } = expr;
      switch (literal.type) {
        case 'string':
          return { S: literal.value };
        case 'number': {
          const number = canonicalNumber(literal.text);
          if (number === '0' && literal.text.startsWith('-') && /[.eE]/.test(literal.text)) {
            throw atSpan(`Negative zero decimal is not supported under key ${where}`, context.text, {
              start: expr.start + 1,
              end: expr.end,
            });
          }
          return { N: number };
        }
        case 'boolean':
          return { BOOL: literal.value };
        case 'null':
          return { NULL: true };
        default:
          throw atSpan(`Unsupported data type: MISSING under key ${where}`, context.text, expr);
      }
    }
    case 'parameter': {
      if (context.topLevelParametersOnly === true && depth > 1) {
        throw atSpan(`Unsupported data type: Parameter under key ${where}`, context.text, expr);
      }
      const value = context.parameters[expr.index];
      // The operation checks the count before any value is read.
      if (value === undefined) throw new Error(`parameter ${expr.index} was not checked`);
      return value;
    }
    case 'tuple': {
      const map: AttributeMap = {};
      for (const { key, value } of expr.entries) {
        if (key.kind !== 'literal' || key.literal.type !== 'string') {
          const actual = key.kind === 'path' ? 'VariableReference' : describe(key);
          throw atSpan(
            `Tuple keys must be of type String. Actual type: ${actual} under ${where}`,
            context.text,
            key,
          );
        }
        const name = key.literal.value;
        if (Object.hasOwn(map, name)) {
          throw atSpan(`Duplicate keys in tuple. Key: ${name} under ${where}`, context.text, key);
        }
        setOwn(map, name, attributeValueOf(value, context, where, depth + 1));
      }
      return { M: map };
    }
    case 'list':
      return {
        L: expr.elements.map((element, i) => attributeValueOf(element, context, `${where}.${i}`, depth + 1)),
      };
    case 'bag':
      return bagValue(expr.elements, expr, context, where, depth);
    case 'arithmetic':
      throw validationException(
        `Unsupported data type: ${expr.operator} under key ${where} at ${position(context.text, expr.operatorStart, expr.operator.length)}`,
      );
    default:
      throw atSpan(`Unsupported data type: ${describe(expr)} under key ${where}`, context.text, expr);
  }
};

/** A bag is a set: all strings (SS) or all numbers (NS), at least one, no two equal. */
const bagValue = (
  elements: readonly Expr[],
  bag: Expr,
  context: ValueContext,
  where: string,
  depth: number,
): AttributeValue => {
  if (elements.length === 0) {
    throw atSpan('Empty bags are not supported', context.text, { start: bag.start, end: bag.start + 2 });
  }
  const values = elements.map((element, i) => attributeValueOf(element, context, `${where}.${i}`, depth + 1));
  const strings = values.every((value) => 'S' in value);
  const numbers = values.every((value) => 'N' in value);
  if (!strings && !numbers) {
    throw validationException(
      'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
    );
  }
  for (let i = 0; i < values.length; i += 1) {
    for (let j = i + 1; j < values.length; j += 1) {
      if (valuesEqual(values[i] as AttributeValue, values[j] as AttributeValue)) {
        throw validationException('Input collection contains duplicates');
      }
    }
  }
  return strings
    ? { SS: values.map((value) => (value as { S: string }).S) }
    : { NS: values.map((value) => (value as { N: string }).N) };
};

const position = (text: string, start: number, length: number): string =>
  `${lineColumn(text, start)}:${length}`;

/** How DynamoDB's messages name a kind of expression that is not a value. */
const describe = (expr: Expr): string => {
  switch (expr.kind) {
    case 'path':
      return 'VariableReference';
    case 'call':
      return expr.name;
    case 'comparison':
      return expr.operator;
    case 'and':
    case 'or':
    case 'not':
    case 'between':
    case 'in':
    case 'is':
      return expr.kind.toUpperCase();
    default:
      return expr.kind;
  }
};

export type { ValueContext };
export { attributeValueOf, isValue };
