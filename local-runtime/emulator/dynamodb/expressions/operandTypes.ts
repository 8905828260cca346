import {
  type AttributeType,
  type AttributeValue,
  attributeTypeOf,
} from '../../../../src/records/attributeValue.js';
import { compareValues } from '../attributes/compareValues.js';
import type { DocumentPath, Operand, UpdateValue } from './compiled.js';
import { formatPath } from './documentPath.js';
import { ExpressionError } from './expressionError.js';

/**
 * The type an operand has whatever the item: a value's type, N for `size()`. A path's type depends on the
 * item, so it is undefined here and checked (or simply compared false) at evaluation.
 */
const staticType = (operand: Operand | UpdateValue): AttributeType | undefined => {
  if (operand.kind === 'value') return attributeTypeOf(operand.value);
  if (operand.kind === 'size') return 'N';
  return undefined;
};

const operandTypeError = (operator: string, type: string) =>
  new ExpressionError(
    `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
  );

/** Refuses an operand whose static type is not one of `allowed`. */
const requireTypes = (
  operator: string,
  operand: Operand | UpdateValue,
  allowed: readonly AttributeType[],
): void => {
  const type = staticType(operand);
  if (type !== undefined && !allowed.includes(type)) throw operandTypeError(operator, type);
};

const samePath = (a: DocumentPath, b: DocumentPath): boolean =>
  a.length === b.length && a.every((element, i) => element === b[i]);

/**
 * DynamoDB refuses `a = a`, `a BETWEEN a AND :x`, `contains(a, a)` and the like: an operator's first operand,
 * when it is a path, must differ from the others.
 */
const requireDistinct = (operator: string, first: Operand, rest: readonly Operand[]): void => {
  if (first.kind !== 'path') return;
  for (const other of rest) {
    if (other.kind === 'path' && samePath(first.path, other.path)) {
      throw new ExpressionError(
        `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${formatPath(first.path)}`,
      );
    }
  }
};

/** How DynamoDB (a Java service) prints a BETWEEN bound in its messages. */
const describeBound = (value: AttributeValue): string => {
  if ('S' in value) return `AttributeValue: {S:${value.S}}`;
  if ('N' in value) return `AttributeValue: {N:${value.N}}`;
  if ('B' in value) {
    const length = Buffer.from(value.B, 'base64').length;
    return `AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=${length} cap=${length}]}`;
  }
  return `AttributeValue: ${JSON.stringify(value)}`;
};

/** BETWEEN with two literal bounds: same type, and lower ≤ upper. */
const checkBetweenBounds = (lower: AttributeValue, upper: AttributeValue): void => {
  const bounds = `lower bound operand: ${describeBound(lower)}, upper bound operand: ${describeBound(upper)}`;
  if (attributeTypeOf(lower) !== attributeTypeOf(upper)) {
    throw new ExpressionError(
      `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`,
    );
  }
  if (compareValues(lower, upper) > 0) {
    throw new ExpressionError(
      `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
    );
  }
};

export { checkBetweenBounds, operandTypeError, requireDistinct, requireTypes, staticType };
