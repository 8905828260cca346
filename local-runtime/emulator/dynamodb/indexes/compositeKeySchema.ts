import { validationException } from '../../errors.js';
import type { CompositeKey, KeySchemaElement } from '../keySchema.js';

/** A global index's key may have up to four partition key and up to four sort key attributes. */
const MAX_COMPOSITE_HASH_KEYS = 4;
const MAX_COMPOSITE_RANGE_KEYS = 4;

/**
 * Whether a global index's KeySchema is a multi-attribute one: more than two elements, or two partition key
 * elements. Every other shape (one HASH, HASH + RANGE, and the malformed two-element ones) keeps the
 * single-attribute rules and messages it always had.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
 */
const isMultiAttributeKeySchema = (elements: readonly KeySchemaElement[]): boolean =>
  elements.length > 2 || (elements.length === 2 && elements.every((e) => e.KeyType === 'HASH'));

/**
 * Checks a multi-attribute KeySchema of a global index and splits it into its partition and sort key
 * attributes, in order. AWS documents the limits (up to four of each, partition key attributes first:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateGlobalSecondaryIndexAction.html)
 * but not its messages: these, and the order they are checked in, are DynamoDB Local 3.3's (but one, below).
 */
const readCompositeKeySchema = (elements: readonly KeySchemaElement[]): CompositeKey => {
  if (elements.length > MAX_COMPOSITE_HASH_KEYS + MAX_COMPOSITE_RANGE_KEYS) {
    throw validationException(
      'Key Schema too big.  Key Schema must at most consist of the hash and range key of a table',
    );
  }
  const seen = new Set<string>();
  for (const element of elements) {
    if (seen.has(element.AttributeName)) throw validationException('Two keys can not have the same name');
    seen.add(element.AttributeName);
  }
  const firstRange = elements.findIndex((e) => e.KeyType === 'RANGE');
  if (firstRange !== -1 && elements.slice(firstRange).some((e) => e.KeyType === 'HASH')) {
    throw validationException(
      'Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second',
    );
  }
  const hashKeys = elements.filter((e) => e.KeyType === 'HASH').map((e) => e.AttributeName);
  const rangeKeys = elements.filter((e) => e.KeyType === 'RANGE').map((e) => e.AttributeName);
  if (hashKeys.length === 0) {
    // DynamoDB Local says "No Hash Key specified in schema" here, as it does for a single-attribute key whose
    // first element is not HASH, where DynamoDB's answer is this one (dynalite 4.0.0, validations/createTable.js).
    throw validationException('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  }
  if (hashKeys.length > MAX_COMPOSITE_HASH_KEYS) {
    throw validationException(
      `Too many partition keys. GSI can have at most ${MAX_COMPOSITE_HASH_KEYS} partition keys`,
    );
  }
  if (rangeKeys.length > MAX_COMPOSITE_RANGE_KEYS) {
    throw validationException(
      `Too many sort keys. GSI can have at most ${MAX_COMPOSITE_RANGE_KEYS} sort keys`,
    );
  }
  return { hashKeys, rangeKeys };
};

export { isMultiAttributeKeySchema, readCompositeKeySchema };
