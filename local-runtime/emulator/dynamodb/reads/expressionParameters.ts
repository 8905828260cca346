import { validationException } from '../../errors.js';
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
  // An operation whose only expression is a projection has no ExpressionAttributeValues member: DynamoDB
  // ignores one there (dynalite's validateExpressionParams likewise only checks operations that have one).
  const valueExpressions = expressions.filter((member) => member !== 'ProjectionExpression');
  if (
    valueExpressions.length > 0 &&
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
 * operation's and are ignored) and its placeholder maps. The expression engine checks the maps, the values
 * included, and puts numbers in canonical form, so key values compare, hash and page exactly as stored keys do.
 */
const readExpressionRequest = (
  input: Record<string, unknown>,
  members: readonly string[],
): ExpressionRequest => {
  const request: Record<string, unknown> = {};
  for (const member of [...members, 'ExpressionAttributeNames', 'ExpressionAttributeValues']) {
    if (present(input, member)) request[member] = input[member];
  }
  return request as ExpressionRequest;
};

export { checkExpressionParameters, readExpressionRequest };
