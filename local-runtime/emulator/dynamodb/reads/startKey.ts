import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { AwsServiceError, validationException } from '../../errors.js';
import { validateItem } from '../attributes/validateItem.js';

/**
 * Problems DynamoDB reports without the "The provided starting key is invalid: " prefix, as dynalite recorded
 * (empty number sets and duplicate set members).
 */
const UNPREFIXED = [/An number set {2}may not be empty/, /contains duplicates/];

const startKeyInvalid = (detail?: string) =>
  validationException(`The provided starting key is invalid${detail === undefined ? '' : `: ${detail}`}`);

/**
 * ExclusiveStartKey checked as attribute values, before the table is looked at, with DynamoDB's wording.
 * Undefined when the request has none.
 */
const readStartKey = (input: Record<string, unknown>): AttributeMap | undefined => {
  const raw = input.ExclusiveStartKey;
  if (raw === undefined || raw === null) return undefined;
  try {
    return validateItem(raw, 'ExclusiveStartKey');
  } catch (error) {
    if (error instanceof AwsServiceError && error.name === 'ValidationException') {
      if (UNPREFIXED.some((pattern) => pattern.test(error.message))) throw error;
      throw startKeyInvalid(error.message);
    }
    throw error;
  }
};

export { readStartKey, startKeyInvalid };
