import { describe, expect, it } from 'vitest';
import { batchOfRange } from '../../../../src/redrive/batchOfRange.js';
import { failedRangeOf } from '../../../../src/redrive/FailedRange.js';
import { FailureRecordError, parseFailureRecord } from '../../../../src/redrive/parseFailureRecord.js';
import { planRedrive } from '../../../../src/redrive/planRedrive.js';
import { laneOf } from '../../../../src/runtime/batching/laneOf.js';
import { onFailureRecord } from '../../../../src/runtime/failures/destinations/onFailureRecord.js';

const STREAM = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000';
const record = (first: string, last: string, createdSeconds: number, shardId = 'shardId-1') =>
  onFailureRecord({
    requestId: `req-${first}`,
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 3,
    functionThrew: true,
    records: [first, last].map((SequenceNumber) => ({
      dynamodb: { SequenceNumber, ApproximateCreationDateTime: createdSeconds },
    })),
    shardId,
    streamArn: STREAM,
    now: createdSeconds * 1000 + 5_000,
  });
const seq = (n: number) => `4${String(n).padStart(20, '0')}`;
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-01-01T00:00:00Z') / 1000;

describe('parseFailureRecord', () => {
  it('reads the record Lambda writes to a file or an SQS message body', () => {
    const written = record(seq(1), seq(2), T0);
    expect(parseFailureRecord(JSON.stringify(written), 'failures.jsonl:1')).toEqual(written);
  });

  it('unwraps an SNS notification delivered to SQS (the record is its Message)', () => {
    const written = record(seq(1), seq(2), T0);
    const body = JSON.stringify({ Type: 'Notification', MessageId: 'm1', Message: JSON.stringify(written) });
    expect(parseFailureRecord(body, 'message m1')).toEqual(written);
  });

  it('says where a record is and what is wrong with it', () => {
    const broken = { ...record(seq(1), seq(2), T0) } as Record<string, unknown>;
    broken.DDBStreamBatchInfo = {
      ...(broken.DDBStreamBatchInfo as object),
      startSequenceNumber: '12',
      batchSize: 0,
    };
    expect(() => parseFailureRecord(JSON.stringify(broken), 'failures.jsonl:7')).toThrow(
      new FailureRecordError(
        'failures.jsonl:7',
        'DDBStreamBatchInfo.startSequenceNumber is not a sequence number (21 to 40 digits); DDBStreamBatchInfo.batchSize is not a whole number ≥ 1',
      ),
    );
    expect(() => parseFailureRecord('{"Records":[]}', 'event.json:1')).toThrow(/no DDBStreamBatchInfo/);
    expect(() => parseFailureRecord('not json', 'failures.jsonl:2')).toThrow('failures.jsonl:2: not JSON');
  });
});

describe('planRedrive (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)', () => {
  it('reports a range whose first record is past the 24-hour retention as lost, with when it was trimmed', () => {
    const old = failedRangeOf(record(seq(1), seq(2), T0), 'a');
    const fresh = failedRangeOf(record(seq(3), seq(4), T0 + 3_600), 'b');
    const plan = planRedrive([old, fresh], { now: T0 * 1000 + DAY + 1_000 });
    expect(plan.toRead).toEqual([fresh]);
    expect(plan.lost).toEqual([
      {
        range: old,
        reason:
          'its first record arrived at 2026-01-01T00:00:00Z, more than 24 hours ago: the stream trimmed it at about 2026-01-02T00:00:00Z, so its 2 record(s) can no longer be read',
      },
    ]);
  });

  it('keeps a range that is one second short of the retention', () => {
    const range = failedRangeOf(record(seq(1), seq(2), T0), 'a');
    expect(planRedrive([range], { now: T0 * 1000 + DAY - 1_000 }).toRead).toEqual([range]);
  });

  it('reads ranges in stream order (sequence numbers compared as numbers) and skips a range named twice', () => {
    const late = failedRangeOf(record(seq(100), seq(120), T0), 'late');
    const early = failedRangeOf(record(seq(9), seq(11), T0, 'shardId-2'), 'early');
    const again = failedRangeOf(record(seq(100), seq(120), T0), 'redelivered');
    const plan = planRedrive([late, early, again], { now: T0 * 1000 });
    expect(plan.toRead.map((r) => r.from)).toEqual(['early', 'late']);
    expect(plan.duplicates.map((r) => r.from)).toEqual(['redelivered']);
  });
});

describe('batchOfRange', () => {
  const lambdaRecord = (n: number, pk: string) => ({
    eventName: 'INSERT' as const,
    dynamodb: { SequenceNumber: seq(n), Keys: { pk: { S: pk } } },
  });
  const range = (batchSize: number) => ({ ...failedRangeOf(record(seq(1), seq(9), T0), 'r'), batchSize });

  it('keeps every record read when the factor is 1, and says nothing when the count matches', () => {
    const read = [lambdaRecord(1, 'a'), lambdaRecord(5, 'b'), lambdaRecord(9, 'c')];
    expect(batchOfRange(read, range(3), 1)).toEqual({ records: read });
  });

  it('keeps only the lane of the first record when the factor is above 1 (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html#services-ddb-params-parallelization)', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const read = keys.map((pk, i) => lambdaRecord(i + 1, pk));
    const lane = laneOf(read[0] as never, 4);
    const expected = read.filter((r) => laneOf(r as never, 4) === lane);
    expect(expected.length).toBeLessThan(read.length);
    expect(batchOfRange(read, range(expected.length), 4)).toEqual({ records: expected });
  });

  it('says when the stream holds a different number of records than the failure record', () => {
    const read = [lambdaRecord(1, 'a'), lambdaRecord(9, 'c')];
    expect(batchOfRange(read, range(3), 1).mismatch).toBe(
      `the failure record says 3 record(s), the stream holds 2 between ${seq(1)} and ${seq(9)}`,
    );
    expect(batchOfRange([], range(3), 1).mismatch).toBe(
      'none of its 3 record(s) could be read from the stream',
    );
  });
});
