import { describe, expect, it } from 'vitest';
import { replay } from '../../../../src/runtime/replay.js';
import { TapeSource } from '../../../../src/runtime/sources/tape/TapeSource.js';
import type { Tape } from '../../../../src/tape/tapeFormat.js';
import { ManualClock } from '../../../../src/time/clock.js';
import { driveUntil, fakeInvoker, streamRecord } from '../../../helpers/memoryRecordSource.js';

const STREAM = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000';

/** A one-shard tape of `count` records (the runtime tests' `streamRecord`, without `eventSourceARN`). */
const tapeOf = (count: number): Tape => ({
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
  shards: [{ type: 'shard', shardId: 's', sequenceNumberRange: {} }],
  records: Array.from({ length: count }, (_, i) => {
    const { eventSourceARN: _arn, ...record } = streamRecord(i + 1);
    return { type: 'record', shardId: 's', record } as Tape['records'][number];
  }),
});

describe('replay', () => {
  it('reads the whole source even when the settings say LATEST, and sums up what it did', async () => {
    const clock = new ManualClock();
    const invoker = fakeInvoker();
    let summary: Awaited<ReturnType<typeof replay>> | undefined;
    void replay({
      source: new TapeSource(tapeOf(5), { clock }),
      invoker,
      clock,
      config: { StartingPosition: 'LATEST', BatchSize: 2 },
    }).then((s) => {
      summary = s;
    });
    await driveUntil(clock, () => summary !== undefined);
    expect(invoker.calls).toEqual([[1, 2], [3, 4], [5]]);
    expect(summary).toMatchObject({ records: 5, invocations: 3, failures: 0, discarded: 0, completed: true });
  });

  it('stops on its signal: in-flight batches finish, and the summary says it did not complete', async () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    const invoker = fakeInvoker(() => {
      stop.abort();
    });
    let summary: Awaited<ReturnType<typeof replay>> | undefined;
    void replay({
      source: new TapeSource(tapeOf(5), { clock }),
      invoker,
      clock,
      config: { BatchSize: 1 },
      signal: stop.signal,
    }).then((s) => {
      summary = s;
    });
    await driveUntil(clock, () => summary !== undefined);
    expect(summary?.completed).toBe(false);
    expect(invoker.calls.length).toBeLessThan(5);
  });

  it('a tumbling window of old records closes on its records, not on the clock: one final invoke for the window (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html)', async () => {
    // Recorded in the window starting 2026-01-01T00:00:00Z, replayed months later.
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const calls: { records: number; final: boolean }[] = [];
    let summary: Awaited<ReturnType<typeof replay>> | undefined;
    void replay({
      source: new TapeSource(tapeOf(6), { clock }),
      clock,
      config: { BatchSize: 2, TumblingWindowInSeconds: 60 },
      invoker: {
        functionName: 'window',
        invoke: async (event) => {
          const { isFinalInvokeForWindow } = event as { isFinalInvokeForWindow?: boolean };
          calls.push({ records: event.Records.length, final: isFinalInvokeForWindow === true });
          return { state: { seen: 1 }, batchItemFailures: [] };
        },
      },
    }).then((s) => {
      summary = s;
    });
    await driveUntil(clock, () => summary !== undefined);
    expect(calls.filter((c) => c.final)).toHaveLength(1);
    expect(calls.filter((c) => !c.final).map((c) => c.records)).toEqual([2, 2, 2]);
    expect(summary).toMatchObject({ records: 6, completed: true });
  });

  it('needs a function: an invoker or a handler', async () => {
    await expect(replay({ source: new TapeSource(tapeOf(1)) })).rejects.toThrow(
      /give an invoker or a handler/,
    );
  });
});
