import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import {
  type AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tapeToLambdaEvent } from '../../../src/tape/lambdaEvent.js';
import { loadTape } from '../../../src/tape/readTape.js';
import { parseRecordFrom, parseRecordUntil } from '../../../src/tape/recordPositions.js';
import { type RecordProgress, recordStream } from '../../../src/tape/recordStream.js';
import type { Tape } from '../../../src/tape/tapeFormat.js';
import { ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-record-'));
});
afterEach(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const createCounters = async (): Promise<string> => {
  await h.dynamodb.send(
    new CreateTableCommand({
      TableName: 'counters',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'counters' }));
  return Table?.LatestStreamArn as string;
};

const put = (id: string, v: number) =>
  h.dynamodb.send(
    new PutItemCommand({ TableName: 'counters', Item: { id: { S: id }, v: { N: String(v) } } }),
  );

/** Each item's values in tape order. */
const valuesById = (tape: Tape): Map<string, number[]> => {
  const seen = new Map<string, number[]>();
  for (const { record } of tape.records) {
    const id = record.dynamodb.NewImage?.id as { S: string };
    const v = record.dynamodb.NewImage?.v as { N: string };
    seen.set(id.S, [...(seen.get(id.S) ?? []), Number(v.N)]);
  }
  return seen;
};

/** Every record of a parent shard comes before the first record of any of its children. */
const expectParentsFirst = (tape: Tape) => {
  const parentOf = new Map(tape.shards.map((s) => [s.shardId, s.parentShardId]));
  const lastIndex = new Map<string, number>();
  tape.records.forEach((r, i) => {
    lastIndex.set(r.shardId, i);
  });
  tape.records.forEach((r, i) => {
    const parent = parentOf.get(r.shardId);
    if (parent !== undefined && lastIndex.has(parent))
      expect(lastIndex.get(parent) as number).toBeLessThan(i);
  });
};

describe('recordStream (the library behind eddy record)', () => {
  it('records a split shard tree from trim-horizon until now: every record once, parents before children', async () => {
    h = await startHarness({ streams: { shardCount: 2, rolloverAfterRecords: 7 } });
    const streamArn = await createCounters();
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let v = 1; v <= 10; v++) {
      for (const id of items) await put(id, v);
      if (v === 5) {
        const stream = h.running.emulator.region('us-east-1').streams.get(streamArn);
        const open = stream?.shards.find((s) => s.isOpen);
        if (open !== undefined) stream?.split(open.id);
      }
    }
    // A throttled GetRecords and a 500 on the way are retried, not lost.
    h.running.emulator.control.failNext('GetRecords', 2, 'throttling');
    h.running.emulator.control.failNext('DescribeStream', 1, 'internalError');
    const path = join(dir, 'counters.tape.ndjson.gz');
    const summary = await recordStream({
      client: h.streams,
      streamArn,
      out: { path },
      from: parseRecordFrom('trim-horizon'),
      until: parseRecordUntil('now'),
      tool: 'eddy test',
      pollIntervalMs: 5,
      retry: { baseMs: 1, maxMs: 5, maxAttempts: 10, jitter: 'none' },
    });
    const tape = await loadTape(path);
    expect(summary).toMatchObject({ records: 60, reason: 'until' });
    expect(tape.end).toMatchObject({ reason: 'until', records: 60 });
    expect(new Set(tape.records.map((r) => r.record.eventID)).size).toBe(60);
    for (const id of items) expect(valuesById(tape).get(id), id).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(tape.shards.length).toBeGreaterThan(4);
    expect(tape.shards.filter((s) => s.parentShardId !== undefined).length).toBeGreaterThan(2);
    expectParentsFirst(tape);
    expect(tape.header).toMatchObject({
      streamArn,
      region: 'us-east-1',
      tableName: 'counters',
      keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      streamViewType: 'NEW_IMAGE',
      recording: { source: 'GetRecords', from: 'trim-horizon', until: 'now', tool: 'eddy test' },
    });
    // A closed shard's last line carries its ending sequence number.
    expect(tape.shards.some((s) => s.sequenceNumberRange.EndingSequenceNumber !== undefined)).toBe(true);
  });

  it('writes each record exactly as GetRecords sends it on the wire, and exports a Lambda event Powertools accepts', async () => {
    h = await startHarness();
    const streamArn = await createCounters();
    const item: Record<string, AttributeValue> = {
      id: { S: 'bin' },
      photo: { B: new Uint8Array([0, 1, 2, 250]) },
      thumbs: { BS: [new Uint8Array([9]), new Uint8Array([8, 7])] },
      nothing: { NULL: true },
      nested: { M: { list: { L: [{ N: '1.50' }, { BOOL: false }, { SS: ['a', 'b'] }] } } },
    };
    await h.dynamodb.send(new PutItemCommand({ TableName: 'counters', Item: item }));
    await h.dynamodb.send(new DeleteItemCommand({ TableName: 'counters', Key: { id: { S: 'bin' } } }));
    const path = join(dir, 'wire.tape.ndjson');
    await recordStream({
      client: h.streams,
      streamArn,
      out: { path },
      from: parseRecordFrom('trim-horizon'),
      until: parseRecordUntil('now'),
      tool: 't',
      pollIntervalMs: 5,
    });
    const tape = await loadTape(path);
    // The same shard read with plain HTTP: the JSON AWS's protocol carries, with no SDK in between.
    const call = async (operation: string, body: object) => {
      const response = await fetch(h.running.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
        },
        body: JSON.stringify(body),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const shardId = tape.records[0]?.shardId as string;
    const { ShardIterator } = await call('GetShardIterator', {
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const { Records } = await call('GetRecords', { ShardIterator });
    expect(tape.records.map((r) => r.record)).toEqual(Records);
    expect(tape.records[0]?.record.dynamodb.NewImage?.photo).toEqual({ B: 'AAEC+g==' });
    expect(DynamoDBStreamSchema.safeParse(tapeToLambdaEvent(tape)).success).toBe(true);
  });

  it('skips records before --from (whole seconds) and stops at --until, by ApproximateCreationDateTime', async () => {
    const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
    h = await startHarness({ clock });
    const streamArn = await createCounters();
    await put('early', 1);
    clock.advance(60_000); // 10:01:00
    await put('inside', 1);
    clock.advance(500); // 10:01:00.500: the same second
    await put('inside', 2);
    clock.advance(60_000); // 10:02:00.500
    await put('late', 1);
    const path = join(dir, 'window.tape.ndjson');
    await recordStream({
      client: h.streams,
      streamArn,
      out: { path },
      from: parseRecordFrom('2026-03-01T10:01:00.900Z'),
      until: parseRecordUntil('2026-03-01T10:01:30Z'),
      tool: 'eddy test',
      pollIntervalMs: 5,
    });
    const tape = await loadTape(path);
    expect([...valuesById(tape)]).toEqual([['inside', [1, 2]]]);
    expect(tape.header.recording.untilTime).toBe('2026-03-01T10:01:30.000Z');
  });

  it('starts at a sequence number, and survives an expired iterator', async () => {
    h = await startHarness();
    const streamArn = await createCounters();
    for (let v = 1; v <= 5; v++) await put('x', v);
    const all = join(dir, 'all.ndjson');
    await recordStream({
      client: h.streams,
      streamArn,
      out: { path: all },
      from: parseRecordFrom('trim-horizon'),
      until: parseRecordUntil('now'),
      tool: 't',
      pollIntervalMs: 5,
    });
    const third = (await loadTape(all)).records[2]?.record.dynamodb.SequenceNumber as string;
    h.running.emulator.control.expireIterators();
    const path = join(dir, 'from-third.ndjson');
    await recordStream({
      client: h.streams,
      streamArn,
      out: { path },
      from: parseRecordFrom(third),
      until: parseRecordUntil('now'),
      tool: 't',
      pollIntervalMs: 5,
    });
    expect(valuesById(await loadTape(path)).get('x')).toEqual([3, 4, 5]);
  });

  it('follows until stopped, then leaves a valid tape with everything read so far', async () => {
    h = await startHarness();
    const streamArn = await createCounters();
    await put('before', 1);
    const path = join(dir, 'follow.tape.ndjson.gz');
    const stop = new AbortController();
    let progress: RecordProgress | undefined;
    const recording = recordStream({
      client: h.streams,
      streamArn,
      out: { path },
      from: parseRecordFrom('latest'),
      until: parseRecordUntil('follow'),
      tool: 'eddy test',
      signal: stop.signal,
      pollIntervalMs: 5,
      discoveryIntervalMs: 20,
      onProgress: (p) => {
        progress = p;
      },
    });
    await waitFor(() => progress !== undefined, 'the first GetRecords page');
    for (let v = 1; v <= 4; v++) await put('after', v);
    await waitFor(() => progress?.records === 4, 'the 4 records written while following');
    stop.abort();
    const summary = await recording;
    expect(summary).toMatchObject({ records: 4, reason: 'interrupted' });
    const tape = await loadTape(path);
    expect([...valuesById(tape)]).toEqual([['after', [1, 2, 3, 4]]]);
    expect(tape.end).toMatchObject({ reason: 'interrupted', records: 4 });
  });
});
