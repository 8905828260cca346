import { type AttributeMap, attributeTypeOf } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { getOwn } from '../expressions/documentPath.js';
import { keyValueBytes, MAX_HASH_KEY_BYTES, MAX_RANGE_KEY_BYTES } from '../keySchema.js';
import type { SecondaryIndexDefinition } from './SecondaryIndexDefinition.js';

/**
 * The order DynamoDB checks index keys in: the global indexes and then the local ones, each list from its
 * last index to its first, as dynalite's recordings of DynamoDB's messages show. Computed once per table.
 */
const indexCheckOrder = (indexes: readonly SecondaryIndexDefinition[]): SecondaryIndexDefinition[] => [
  ...indexes.filter((index) => index.global).reverse(),
  ...indexes.filter((index) => !index.global).reverse(),
];

/**
 * Checks the index key attributes an item carries: each must have the type AttributeDefinitions declares, may
 * not be an empty string or binary, and must fit the index's key size limits (2048 bytes for its partition
 * key, 1024 for its sort key). An item without them is fine (it is simply not in the index: indexes are
 * sparse). `ordered` is `indexCheckOrder`'s list.
 */
const checkIndexKeys = (ordered: readonly SecondaryIndexDefinition[], item: AttributeMap): void => {
  for (const index of ordered) {
    const { hashKey, rangeKey, types, composite } = index.keySchema;
    const names =
      composite !== undefined
        ? [...composite.hashKeys, ...composite.rangeKeys]
        : rangeKey === undefined
          ? [hashKey]
          : [hashKey, rangeKey];
    for (const name of names) {
      const value = getOwn(item, name);
      if (value === undefined) continue;
      const declared = types[name];
      const actual = attributeTypeOf(value);
      if (actual !== declared) {
        throw validationException(
          `One or more parameter values were invalid: Type mismatch for Index Key ${name} Expected: ${declared} Actual: ${actual} IndexName: ${index.name}`,
        );
      }
      const empty = ('S' in value && value.S === '') || ('B' in value && value.B === '');
      if (empty) {
        throw validationException(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${actual === 'S' ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${name}`,
        );
      }
      const size = keyValueBytes(value);
      // Each attribute of a multi-attribute key has its own limit: 2048 bytes for a partition key attribute,
      // 1024 for a sort key attribute (as DynamoDB Local 3.3 enforces them; AWS does not document them).
      const isHash = composite !== undefined ? composite.hashKeys.includes(name) : name === hashKey;
      const max = isHash ? MAX_HASH_KEY_BYTES : MAX_RANGE_KEY_BYTES;
      if (size > max) {
        throw validationException(
          `One or more parameter values were invalid: Size limit exceeded for Index Key ${name} Actual Size: ${size} bytes Max Size: ${max} bytes IndexName: ${index.name}`,
        );
      }
    }
  }
};

/** Whether an item's index key values could be indexed (the check above would pass): for backfills. */
const hasValidIndexKeys = (index: SecondaryIndexDefinition, item: AttributeMap): boolean => {
  try {
    checkIndexKeys([index], item);
    return true;
  } catch {
    return false;
  }
};

export { checkIndexKeys, hasValidIndexKeys, indexCheckOrder };
