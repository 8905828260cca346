import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../../../../../src/records/streamRecord.js';
import { EventSourceMapping } from '../../../../../../src/runtime/EventSourceMapping.js';
import type { InvocationReport } from '../../../../../../src/runtime/observability/InvocationReport.js';
import type { ShardReader } from '../../../../../../src/runtime/sources/RecordSource.js';
import { TapeSource } from '../../../../../../src/runtime/sources/tape/TapeSource.js';
import type { Tape, TapeLine, TapeRecord, TapeShard } from '../../../../../../src/tape/tapeFormat.js';
import { ManualClock } from '../../../../../../src/time/clock.js';
import { driveUntil, fakeInvoker, numberOf } from '../../../../../helpers/memoryRecordSource.js';

const STREAM = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000';
const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z, epoch seconds
const LINEAGE = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html';

const record = (n: number, createdAt = T0, pk = `k${n}`): StreamRecord => ({
  eventID: `e${n}`,
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  dynamodb: {
    ApproximateCreationDateTime: createdAt,
    Keys: { pk: { S: pk } },
    NewImage: { pk: { S: pk }, n: { N: String(n) } },
    SequenceNumber: String(n).padStart(21, '0'),
    SizeBytes: 20,
    StreamViewType: 'NEW_IMAGE',
  },
});

const shard = (shardId: string, parentShardId?: string): TapeShard => ({
  type: 'shard',
  shardId,
  ...(parentShardId === undefined ? {} : { parentShardId }),
  sequenceNumberRange: {},
});

const tapeOf = (shards: TapeShard[], records: [string, StreamRecord][]): Tape => ({
  header: {
    type: 'header',
    format: 'eddy-tape',
    version: 1,
    streamArn: STREAM,
    region: 'us-east-1',
    tableName: 't',
    keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    streamViewType: 'NEW_IMAGE',
    recording: { source: 'test-kit', tool: 'test', startedAt: '2026-01-01T00:00:00.000Z' },
  },
  shards,
  records: records.map(([shardId, r]): TapeRecord => ({ type: 'record', shardId, record: r })),
});

const readAll = async (reader: ShardReader, limit = 100) => {
  const signal = new AbortController().signal;
  await reader.open(signal);
  const pages = [];
  for (;;) {
    const page = await reader.read(limit, signal);
    pages.push(page.records.map(numberOf));
    if (page.ended) return pages;
  }
};

describe('TapeSource', () => {
  it(`lists the tape's shards with their parents, every one finite (${LINEAGE})`, async () => {
    const source = new TapeSource(
      tapeOf(
        [shard('parent'), shard('child', 'parent')],
        [
          ['parent', record(1)],
          ['child', record(2)],
        ],
      ),
    );
    expect(await source.listShards()).toEqual([
      { shardId: 'parent', closed: true },
      { shardId: 'child', parentShardId: 'parent', closed: true },
    ]);
    expect(source.streamArn).toBe(STREAM);
    expect(source.recordCount).toBe(2);
  });

  it("reads a shard's records in order, as Lambda records with eventSourceARN, and ends at the shard's end", async () => {
    const source = new TapeSource(
      tapeOf(
        [shard('s')],
        [1, 2, 3, 4, 5].map((n) => ['s', record(n)] as [string, StreamRecord]),
      ),
    );
    expect(await readAll(source.reader('s', { type: 'TRIM_HORIZON' }), 2)).toEqual([[1, 2], [3, 4], [5]]);
    const page = await source.reader('s', { type: 'TRIM_HORIZON' }).read(1, new AbortController().signal);
    expect(page.records[0]?.eventSourceARN).toBe(STREAM);
    expect(page.records[0]?.dynamodb?.NewImage).toEqual({ pk: { S: 'k1' }, n: { N: '1' } });
  });

  it('starts after a checkpoint, and LATEST reads nothing (a tape has no records written from now on)', async () => {
    const source = new TapeSource(
      tapeOf(
        [shard('s')],
        [1, 2, 3].map((n) => ['s', record(n)] as [string, StreamRecord]),
      ),
    );
    const after = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '000000000000000000002' } as const;
    expect(await readAll(source.reader('s', after))).toEqual([[3]]);
    expect(await readAll(source.reader('s', { type: 'LATEST' }))).toEqual([[]]);
  });

  it('a TTL delete keeps userIdentity as Lambda spells it (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html)', async () => {
    const ttl: StreamRecord = {
      ...record(1),
      eventName: 'REMOVE',
      userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
    };
    const source = new TapeSource(tapeOf([shard('s')], [['s', ttl]]));
    const page = await source.reader('s', { type: 'TRIM_HORIZON' }).read(10, new AbortController().signal);
    expect(page.records[0]?.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('with a speed, hands out records when their recorded gap (divided by the speed) has passed on the clock', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const source = new TapeSource(
      tapeOf(
        [shard('s')],
        [
          ['s', record(1, T0)],
          ['s', record(2, T0)],
          ['s', record(3, T0 + 10)],
          ['s', record(4, T0 + 20)],
        ],
      ),
      { speed: 2, clock },
    );
    const signal = new AbortController().signal;
    const reader = source.reader('s', { type: 'TRIM_HORIZON' });
    await reader.open(signal);
    expect((await reader.read(100, signal)).records.map(numberOf)).toEqual([1, 2]);
    clock.advance(4_999);
    expect(await reader.read(100, signal)).toEqual({ records: [], ended: false });
    clock.advance(1);
    expect((await reader.read(100, signal)).records.map(numberOf)).toEqual([3]);
    clock.advance(5_000);
    expect(await reader.read(100, signal)).toMatchObject({ ended: true });
  });

  it('refuses a speed that is not max or a positive number', () => {
    expect(() => new TapeSource(tapeOf([], []), { speed: 0 })).toThrow(/speed 0: expected max/);
  });

  it(`drives an EventSourceMapping through its stages, parents before children, and drained() resolves (${LINEAGE})`, async () => {
    const clock = new ManualClock();
    const source = new TapeSource(
      tapeOf(
        [shard('parent'), shard('child', 'parent')],
        [
          ['parent', record(1, T0, 'a')],
          ['parent', record(2, T0, 'a')],
          ['child', record(3, T0, 'a')],
          ['child', record(4, T0, 'a')],
        ],
      ),
      { clock },
    );
    const invoker = fakeInvoker();
    const reports: InvocationReport[] = [];
    const mapping = new EventSourceMapping({
      mappingId: 'replay',
      streamArn: source.streamArn,
      source,
      invoker,
      clock,
      config: { StartingPosition: 'TRIM_HORIZON', BatchSize: 1 },
      onInvocation: (report) => reports.push(report),
    });
    let drained: boolean | undefined;
    mapping.start();
    void mapping.drained().then((value) => {
      drained = value;
    });
    await driveUntil(clock, () => drained !== undefined);
    await mapping.stop();
    expect(drained).toBe(true);
    expect(invoker.calls).toEqual([[1], [2], [3], [4]]);
    expect(reports.map((r) => r.shardId)).toEqual(['parent', 'parent', 'child', 'child']);
  });

  it('drained() resolves false when the mapping is stopped first', async () => {
    const clock = new ManualClock();
    const source = new TapeSource(tapeOf([shard('s')], [['s', record(1)]]), { clock });
    const mapping = new EventSourceMapping({
      mappingId: 'replay',
      streamArn: source.streamArn,
      source,
      invoker: fakeInvoker(() => new Promise(() => undefined)),
      clock,
      config: { StartingPosition: 'TRIM_HORIZON' },
    });
    const drained = mapping.drained();
    await mapping.stop();
    expect(await drained).toBe(false);
  });
});

/** A tape's lines, as `readTape` yields them. */
const linesOf = (tape: Tape): TapeLine[] => [tape.header, ...tape.shards, ...tape.records];

describe('TapeSource spooled to a file past spoolAfter records (bounded memory for large captures)', () => {
  // Two shards written turn about, so a shard's records are not one run in the file.
  const interleaved = tapeOf(
    [shard('a'), shard('b')],
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
      (n) => [n % 2 === 0 ? 'b' : 'a', record(n, T0 + n)] as [string, StreamRecord],
    ),
  );

  it('hands out exactly the records an in-memory source does, page by page, shard by shard', async () => {
    const spooled = await TapeSource.from(linesOf(interleaved), { spoolAfter: 3 });
    const held = new TapeSource(interleaved);
    try {
      expect(spooled.spooled).toBe(true);
      expect(held.spooled).toBe(false);
      expect(spooled.recordCount).toBe(10);
      expect(spooled.oldestCreatedAt).toBe((T0 + 1) * 1000);
      expect(await spooled.listShards()).toEqual(await held.listShards());
      for (const shardId of ['a', 'b']) {
        expect(await readAll(spooled.reader(shardId, { type: 'TRIM_HORIZON' }), 2)).toEqual([
          ...(shardId === 'a' ? [[1, 3], [5, 7], [9]] : [[2, 4], [6, 8], [10]]),
        ]);
        const signal = new AbortController().signal;
        const all = async (source: TapeSource) => {
          const reader = source.reader(shardId, { type: 'TRIM_HORIZON' });
          await reader.open(signal);
          return (await reader.read(100, signal)).records;
        };
        expect(await all(spooled)).toEqual(await all(held));
      }
    } finally {
      await spooled.close();
    }
  });

  it('starts after a checkpoint and paces by the recorded times, read back from the index', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const spooled = await TapeSource.from(linesOf(interleaved), { spoolAfter: 0, speed: 1, clock });
    try {
      const after = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '000000000000000000006' } as const;
      const signal = new AbortController().signal;
      const reader = spooled.reader('b', after);
      await reader.open(signal);
      // b's records after 6 are 8 and 10, created 7 s and 9 s after the tape's first record.
      expect(await reader.read(100, signal)).toEqual({ records: [], ended: false });
      clock.advance(7_000);
      expect((await reader.read(100, signal)).records.map(numberOf)).toEqual([8]);
      clock.advance(2_000);
      expect(await reader.read(100, signal)).toMatchObject({ ended: true });
    } finally {
      await spooled.close();
    }
  });

  it('cannot be read once closed, and a small tape is held in memory', async () => {
    const spooled = await TapeSource.from(linesOf(interleaved), { spoolAfter: 3 });
    await spooled.close();
    const reader = spooled.reader('a', { type: 'TRIM_HORIZON' });
    const signal = new AbortController().signal;
    await reader.open(signal);
    await expect(reader.read(10, signal)).rejects.toThrow(/read after close/);
    const small = await TapeSource.from(linesOf(interleaved));
    expect(small.spooled).toBe(false);
    expect(await readAll(small.reader('a', { type: 'TRIM_HORIZON' }))).toEqual([[1, 3, 5, 7, 9]]);
  });
});
