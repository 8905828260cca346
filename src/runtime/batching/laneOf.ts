import { createHash } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * The lane of an item among a shard's ParallelizationFactor lanes: records of one item (partition + sort key)
 * always share a lane, so they stay in order
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html#services-ddb-params-parallelization).
 *
 * @example
 * laneOf(record, 1); // 0: with the default factor one lane carries the whole shard
 */
const laneOf = (record: DynamoDBRecord, lanes: number): number => {
  if (lanes === 1) return 0;
  const keys = record.dynamodb?.Keys ?? {};
  const identity = JSON.stringify(
    Object.keys(keys)
      .sort()
      .map((name) => [name, keys[name]]),
  );
  return createHash('md5').update(identity).digest().readUInt32BE(0) % lanes;
};

export { laneOf };
