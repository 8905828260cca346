import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { takeBatch } from '../../../../src/runtime/takeBatch.js';

const record = (n: number, padding = 0) =>
  ({
    eventID: String(n),
    dynamodb: { SequenceNumber: String(n), NewImage: { p: { S: 'x'.repeat(padding) } } },
  }) as DynamoDBRecord;
const ids = (records: DynamoDBRecord[]) => records.map((r) => r.eventID);

describe(takeBatch.name, () => {
  it('takes at most BatchSize records from the front', () => {
    const batch = takeBatch(
      [1, 2, 3, 4].map((n) => record(n)),
      3,
    );
    expect(ids(batch.records)).toEqual(['1', '2', '3']);
    expect(batch.consumed).toBe(3);
  });

  it('cuts the batch before the event passes the payload limit', () => {
    const buffer = [1, 2, 3].map((n) => record(n, 400));
    expect(ids(takeBatch(buffer, 10, () => true, 1000).records)).toEqual(['1', '2']);
  });

  it('always delivers at least one record, even an oversized one', () => {
    expect(takeBatch([record(1, 5000)], 10, () => true, 1000).records).toHaveLength(1);
  });

  it('spans records the filter drops without sending them, and knows where each sent record is', () => {
    const buffer = [1, 2, 3, 4, 5, 6].map((n) => record(n));
    const batch = takeBatch(buffer, 2, (r) => Number(r.eventID) % 2 === 0);
    expect(ids(batch.records)).toEqual(['2', '4']);
    expect(batch.positions).toEqual([1, 3]);
    // Record 5 (dropped) is spanned up to the next kept record, which no longer fits: it stays.
    expect(batch.consumed).toBe(5);
  });

  it('spans a buffer that the filter drops entirely', () => {
    const batch = takeBatch(
      [1, 3, 5].map((n) => record(n)),
      10,
      () => false,
    );
    expect(batch.records).toEqual([]);
    expect(batch.consumed).toBe(3);
  });
});
