import {
  type AttributeMap,
  type AttributeValue,
  attributeTypeOf,
} from '../../../../src/records/attributeValue.js';
import { compareValues, decodeBinary, isOrderable, valuesEqual } from '../attributes/compareValues.js';
import { compareNumbers } from '../attributes/decimal.js';
import type { Condition, Operand } from './compiled.js';
import { readPath } from './documentPath.js';
import { sizeOf } from './sizeOf.js';

/**
 * Whether an item satisfies a compiled condition (ConditionExpression, FilterExpression or, for a single
 * item, KeyConditionExpression). `item` undefined means there is no item: every path is missing, so
 * `attribute_not_exists` holds and comparisons do not.
 *
 * DynamoDB never fails at evaluation: a missing attribute or a comparison of mismatched types is simply false
 * (and `<>` true, being its negation).
 */
const evaluateCondition = (condition: Condition, item: AttributeMap | undefined): boolean => {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case 'not':
      return !evaluateCondition(condition.operand, item);
    case 'comparison': {
      const left = operandValue(condition.left, item);
      const right = operandValue(condition.right, item);
      if (condition.operator === '=')
        return left !== undefined && right !== undefined && valuesEqual(left, right);
      if (condition.operator === '<>')
        return !(left !== undefined && right !== undefined && valuesEqual(left, right));
      const order = compareOrdered(left, right);
      if (order === undefined) return false;
      switch (condition.operator) {
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        default:
          return order >= 0;
      }
    }
    case 'between': {
      const value = operandValue(condition.operand, item);
      const lower = compareOrdered(operandValue(condition.lower, item), value);
      const upper = compareOrdered(value, operandValue(condition.upper, item));
      return lower !== undefined && upper !== undefined && lower <= 0 && upper <= 0;
    }
    case 'in': {
      const value = operandValue(condition.operand, item);
      if (value === undefined) return false;
      return condition.candidates.some((candidate) => {
        const other = operandValue(candidate, item);
        return other !== undefined && valuesEqual(value, other);
      });
    }
    case 'attribute_exists':
      return readPath(item, condition.path) !== undefined;
    case 'attribute_not_exists':
      return readPath(item, condition.path) === undefined;
    case 'attribute_type': {
      const value = readPath(item, condition.path);
      return value !== undefined && attributeTypeOf(value) === condition.type;
    }
    case 'begins_with':
      return beginsWith(operandValue(condition.left, item), operandValue(condition.right, item));
    default:
      return contains(operandValue(condition.left, item), operandValue(condition.right, item));
  }
};

const operandValue = (operand: Operand, item: AttributeMap | undefined): AttributeValue | undefined => {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return readPath(item, operand.path);
    default: {
      const value = operandValue(operand.operand, item);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
  }
};

/** The order of two values, or undefined when either is missing or they are not the same scalar type. */
const compareOrdered = (a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined =>
  a !== undefined && b !== undefined && isOrderable(a, b) ? compareValues(a, b) : undefined;

const beginsWith = (value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean => {
  if (value === undefined || prefix === undefined) return false;
  // A code-unit prefix of well-formed UTF-16 is a UTF-8 byte prefix too.
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
  if ('B' in value && 'B' in prefix) {
    const bytes = decodeBinary(value.B);
    const start = decodeBinary(prefix.B);
    return bytes.length >= start.length && bytes.subarray(0, start.length).equals(start);
  }
  return false;
};

/**
 * `contains(path, operand)`: a substring of a string, a member of a set of the operand's type, an element of
 * a list (any type, compared as `=` does), or a byte sequence within a binary.
 */
const contains = (haystack: AttributeValue | undefined, needle: AttributeValue | undefined): boolean => {
  if (haystack === undefined || needle === undefined) return false;
  if ('S' in haystack) return 'S' in needle && haystack.S.includes(needle.S);
  if ('SS' in haystack) return 'S' in needle && haystack.SS.includes(needle.S);
  if ('NS' in haystack)
    return 'N' in needle && haystack.NS.some((member) => compareNumbers(member, needle.N) === 0);
  if ('BS' in haystack) {
    if (!('B' in needle)) return false;
    const bytes = decodeBinary(needle.B);
    return haystack.BS.some((member) => decodeBinary(member).equals(bytes));
  }
  if ('L' in haystack) return haystack.L.some((element) => valuesEqual(element, needle));
  if ('B' in haystack) return 'B' in needle && decodeBinary(haystack.B).includes(decodeBinary(needle.B));
  return false;
};

export { evaluateCondition };
