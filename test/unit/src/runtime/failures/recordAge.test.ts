import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { expiredCount } from '../../../../../src/runtime/failures/recordAge.js';

const created = (seconds: number) =>
  ({ dynamodb: { ApproximateCreationDateTime: seconds } }) as DynamoDBRecord;

// MaximumRecordAgeInSeconds (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html).
describe(expiredCount.name, () => {
  it('counts the records at the front older than MaximumRecordAgeInSeconds', () => {
    const queue = [created(100), created(139), created(140), created(100)];
    expect(expiredCount(queue, 200_000, 60)).toBe(2);
  });

  it('stops at the first record young enough: the order of the shard is kept', () => {
    expect(expiredCount([created(190), created(100)], 200_000, 60)).toBe(0);
  });

  it('keeps every record with -1 (no limit)', () => {
    expect(expiredCount([created(0)], 1e12, -1)).toBe(0);
  });
});
