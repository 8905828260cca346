import { createHash } from 'node:crypto';
import type { AttributeValue } from '../../../src/records/attributeValue.js';

/** The hash space shards divide among themselves: 0 ≤ hash < 2^32. */
const HASH_SPACE = 2 ** 32;

/**
 * Where an item's records go: a uint32 hash of its partition key value. Like DynamoDB's own partitioning, equal
 * keys always hash alike, so an item always writes to the one open shard whose range holds its hash.
 */
const partitionHash = (partitionKey: AttributeValue | undefined): number => {
  const digest = createHash('md5')
    .update(JSON.stringify(partitionKey ?? null))
    .digest();
  return digest.readUInt32BE(0);
};

export { HASH_SPACE, partitionHash };
