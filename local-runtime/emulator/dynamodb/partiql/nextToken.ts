import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { AwsServiceError, validationException } from '../../errors.js';
import { validateItem } from '../attributes/validateItem.js';

const invalidNextToken = () => validationException('Invalid NextToken');

/**
 * The NextToken of a SELECT page: where the next page starts, opaque to the caller. It carries the key of the
 * last item read (what a Query or Scan returns as LastEvaluatedKey), as base64 JSON.
 */
const encodeNextToken = (lastEvaluatedKey: AttributeMap): string =>
  Buffer.from(JSON.stringify({ version: 'V1', exclusiveStartKey: lastEvaluatedKey })).toString('base64');

/** The start key a NextToken carries; DynamoDB's "Invalid NextToken" for anything that is not one of ours. */
const decodeNextToken = (token: string): AttributeMap => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalidNextToken();
  }
  const key =
    decoded !== null && typeof decoded === 'object' && Object.hasOwn(decoded, 'exclusiveStartKey')
      ? (decoded as { exclusiveStartKey: unknown }).exclusiveStartKey
      : undefined;
  try {
    return validateItem(key, 'NextToken');
  } catch (error) {
    if (error instanceof AwsServiceError) throw invalidNextToken();
    throw error;
  }
};

export { decodeNextToken, encodeNextToken, invalidNextToken };
