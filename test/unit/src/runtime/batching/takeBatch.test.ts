import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { takeBatch } from '../../../../../src/runtime/batching/takeBatch.js';

const record = (n: number, padding = 0) =>
  ({
    eventID: String(n),
    dynamodb: { SequenceNumber: String(n), NewImage: { p: { S: 'x'.repeat(padding) } } },
  }) as DynamoDBRecord;

describe(takeBatch.name, () => {
  it('takes at most BatchSize records from the front', () => {
    expect(
      takeBatch(
        [1, 2, 3, 4].map((n) => record(n)),
        3,
      ).map((r) => r.eventID),
    ).toEqual(['1', '2', '3']);
  });

  it('cuts the batch before the event passes the payload limit', () => {
    const buffer = [1, 2, 3].map((n) => record(n, 400));
    expect(takeBatch(buffer, 10, 1000).map((r) => r.eventID)).toEqual(['1', '2']);
  });

  it('always delivers at least one record, even an oversized one', () => {
    expect(takeBatch([record(1, 5000)], 10, 1000)).toHaveLength(1);
  });
});
