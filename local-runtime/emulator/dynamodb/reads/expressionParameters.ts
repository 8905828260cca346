import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { AwsServiceError, validationException } from '../../errors.js';
import { validateItem } from '../attributes/validateItem.js';
import type { ExpressionRequest } from '../expressions/index.js';

const present = (input: Record<string, unknown>, member: string): boolean =>
  input[member] !== undefined && input[member] !== null;

/**
 * DynamoDB's rules on mixing the expression members of a read with the legacy ones, in its order and words:
 * not both kinds (KeyConditions may accompany the other expressions as long as KeyConditionExpression is
 * absent), no ExpressionAttributeNames without an expression, no ExpressionAttributeValues without an
 * expression that can use them (ProjectionExpression cannot).
 */
const checkExpressionParameters = (
  input: Record<string, unknown>,
  expressions: readonly string[],
  legacy: readonly string[],
): void => {
  const used = expressions.filter((member) => present(input, member));
  if (used.length > 0) {
    const mixed = legacy.filter(
      (member) =>
        present(input, member) && !(member === 'KeyConditions' && !present(input, 'KeyConditionExpression')),
    );
    if (mixed.length > 0) {
      throw validationException(
        `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${mixed.join(', ')}} Expression parameters: {${used.join(', ')}}`,
      );
    }
  }
  if (present(input, 'ExpressionAttributeNames') && used.length === 0) {
    throw validationException('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueExpressions = expressions.filter((member) => member !== 'ProjectionExpression');
  if (
    present(input, 'ExpressionAttributeValues') &&
    !valueExpressions.some((member) => present(input, member))
  ) {
    throw validationException(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`,
    );
  }
};

/**
 * The expression members of a read (`members`: the operation's own expressions, other members are not the
 * operation's and are ignored), with ExpressionAttributeValues checked as attribute values and numbers in
 * canonical form ("ExpressionAttributeValues contains invalid value: <problem> for key <key>"), so key values
 * compare, hash and page exactly as stored keys do. Maps the expression engine refuses for their keys are
 * left to it.
 */
const readExpressionRequest = (
  input: Record<string, unknown>,
  members: readonly string[],
): ExpressionRequest => {
  const request: Record<string, unknown> = {};
  for (const member of [...members, 'ExpressionAttributeNames']) {
    if (present(input, member)) request[member] = input[member];
  }
  const values = input.ExpressionAttributeValues;
  if (values === undefined || values === null) return request as ExpressionRequest;
  if (typeof values !== 'object' || Array.isArray(values)) {
    return { ...request, ExpressionAttributeValues: values } as ExpressionRequest;
  }
  const checked: AttributeMap = {};
  for (const key of Object.keys(values)) {
    try {
      Object.defineProperty(checked, key, {
        value: validateItem({ v: (values as Record<string, unknown>)[key] }, 'ExpressionAttributeValues').v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } catch (error) {
      if (error instanceof AwsServiceError && error.name === 'ValidationException') {
        throw validationException(
          `ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`,
        );
      }
      throw error;
    }
  }
  return { ...request, ExpressionAttributeValues: checked } as ExpressionRequest;
};

export { checkExpressionParameters, readExpressionRequest };
