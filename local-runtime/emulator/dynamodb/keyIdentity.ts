import type { AttributeMap, AttributeValue } from '../../../src/records/attributeValue.js';
import { decodeBinary } from './attributes/compareValues.js';

const canonical = (value: AttributeValue | undefined): unknown =>
  value !== undefined && 'B' in value ? { B: decodeBinary(value.B).toString('base64') } : value;

/**
 * A string that is equal for two keys of one table exactly when they name the same item: attribute names in
 * order, numbers already canonical (validateItem), binaries by their bytes. Batches and transactions use it to
 * refuse two requests on one item.
 */
const keyIdentity = (tableName: string, key: AttributeMap): string =>
  JSON.stringify([
    tableName,
    ...Object.keys(key)
      .sort()
      .map((name) => [name, canonical(key[name])]),
  ]);

export { keyIdentity };
