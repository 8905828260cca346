import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it } from 'vitest';
import type { FailedRange } from '../../../src/redrive/FailedRange.js';
import { readFailedRange } from '../../../src/redrive/readFailedRange.js';
import { ManualClock, systemClock } from '../../../src/time/clock.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

const harnesses: EmulatorHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

/** A table with `count` items written, and its shard's sequence numbers in order. */
const written = async (options: Parameters<typeof startHarness>[0] = {}, count = 10) => {
  const h = await startHarness(options);
  harnesses.push(h);
  const streamArn = await createStreamTable(h.dynamodb, 'redrive', 'NEW_IMAGE');
  for (let i = 0; i < count; i++) {
    await h.dynamodb.send(new PutItemCommand({ TableName: 'redrive', Item: { pk: { S: `k${i}` } } }));
  }
  const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shardId = StreamDescription?.Shards?.[0]?.ShardId as string;
  const { ShardIterator } = await h.streams.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const { Records = [] } = await h.streams.send(new GetRecordsCommand({ ShardIterator }));
  const sequences = Records.map((r) => r.dynamodb?.SequenceNumber as string);
  const range = (from: number, to: number): FailedRange => ({
    streamArn,
    shardId,
    startSequenceNumber: sequences[from] as string,
    endSequenceNumber: sequences[to] as string,
    batchSize: to - from + 1,
    firstArrival: Date.now(),
    lastArrival: Date.now(),
    condition: 'RetryAttemptsExhausted',
    requestId: 'r',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    from: 'test',
  });
  return { h, range, sequences };
};

describe('readFailedRange: AT_SEQUENCE_NUMBER the first record, GetRecords until past the last (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)', () => {
  it('reads exactly the records from the start sequence number to the end one, as Lambda records, in order', async () => {
    const { h, range, sequences } = await written();
    const read = await readFailedRange(h.streams, range(3, 6), { clock: systemClock });
    expect(read.kind).toBe('read');
    const records = read.kind === 'read' ? read.records : [];
    expect(records.map((r) => r.dynamodb?.SequenceNumber)).toEqual(sequences.slice(3, 7));
    expect(records.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['k3', 'k4', 'k5', 'k6']);
    expect(records[0]?.eventSourceARN).toBe(range(3, 6).streamArn);
  });

  it("reads a one-record range and a range that ends at the shard's newest record", async () => {
    const { h, range, sequences } = await written();
    const one = await readFailedRange(h.streams, range(0, 0), { clock: systemClock });
    expect(one.kind === 'read' ? one.records.map((r) => r.dynamodb?.SequenceNumber) : one).toEqual([
      sequences[0],
    ]);
    const tail = await readFailedRange(h.streams, range(8, 9), { clock: systemClock });
    expect(tail.kind === 'read' ? tail.records.length : tail).toBe(2);
  });

  it('reports a range the stream has trimmed (past its 24 hours) as lost instead of throwing', async () => {
    const clock = new ManualClock(Date.now());
    const { h, range } = await written({ clock });
    clock.advance(25 * 60 * 60 * 1000);
    const read = await readFailedRange(h.streams, range(2, 4), { clock });
    expect(read).toEqual({
      kind: 'lost',
      reason: 'the stream has trimmed these records (they are past its 24-hour retention)',
    });
  });
});
