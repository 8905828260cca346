import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { laneOf } from '../../../../../src/runtime/batching/laneOf.js';

const item = (pk: string, sk?: string) =>
  ({
    dynamodb: { Keys: { pk: { S: pk }, ...(sk === undefined ? {} : { sk: { S: sk } }) } },
  }) as DynamoDBRecord;

// ParallelizationFactor keeps the order of each item
// (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html#services-ddb-params-parallelization).
describe(laneOf.name, () => {
  it('puts every record in lane 0 with one lane', () => {
    expect(laneOf(item('a'), 1)).toBe(0);
  });

  it('puts the records of one item (partition + sort key) in the same lane, whatever the key order', () => {
    const reordered = { dynamodb: { Keys: { sk: { S: '1' }, pk: { S: 'a' } } } } as DynamoDBRecord;
    expect(laneOf(reordered, 10)).toBe(laneOf(item('a', '1'), 10));
  });

  it('spreads items over the lanes', () => {
    const lanes = new Set(Array.from({ length: 100 }, (_, i) => laneOf(item(`k${i}`), 4)));
    expect([...lanes].sort()).toEqual([0, 1, 2, 3]);
  });
});
