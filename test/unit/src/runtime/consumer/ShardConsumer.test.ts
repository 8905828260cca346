import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../../../../src/checkpoint/MemoryCheckpointStore.js';
import { laneOf } from '../../../../../src/runtime/batching/laneOf.js';
import { resolveMappingConfig } from '../../../../../src/runtime/config/resolveMappingConfig.js';
import { ShardConsumer } from '../../../../../src/runtime/consumer/ShardConsumer.js';
import type { OnFailureRecord } from '../../../../../src/runtime/failures/destinations/onFailureRecord.js';
import type { FunctionInvoker } from '../../../../../src/runtime/invocation/FunctionInvoker.js';
import { silentLogger } from '../../../../../src/runtime/observability/logger.js';
import { MappingMetrics } from '../../../../../src/runtime/observability/MappingMetrics.js';
import type { IdlePolling } from '../../../../../src/runtime/sources/idlePollDelay.js';
import type { StartAt } from '../../../../../src/runtime/sources/StartAt.js';
import { Waker } from '../../../../../src/runtime/sources/Waker.js';
import { ManualClock } from '../../../../../src/time/clock.js';
import {
  driveUntil,
  fakeInvoker,
  MemoryRecordSource,
  numberOf,
  streamRecord,
} from '../../../../helpers/memoryRecordSource.js';
import { waitFor } from '../../../../helpers/waitFor.js';

const ERRORS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html';
const FILTERS = 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html';
const PARAMS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html';
const SHARD = 'shard-1';
const sequence = (n: number) => streamRecord(n).dynamodb?.SequenceNumber;

/** One shard of an in-memory source consumed on a manual clock, with a fake function. */
const consume = (
  source: MemoryRecordSource,
  settings: Record<string, unknown>,
  invoker: FunctionInvoker,
  options: {
    readonly startAt?: StartAt;
    readonly filter?: (record: DynamoDBRecord) => boolean;
    readonly idlePolling?: IdlePolling;
  } = {},
) => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const checkpoints = new MemoryCheckpointStore();
  const metrics = new MappingMetrics();
  const discarded: OnFailureRecord[] = [];
  const startAt = options.startAt ?? { type: 'TRIM_HORIZON' };
  const waker = new Waker();
  const consumer = new ShardConsumer({
    mappingId: 'm',
    streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000',
    shardId: SHARD,
    startAt,
    config: resolveMappingConfig({ StartingPosition: 'TRIM_HORIZON', ...settings }),
    reader: source.reader(SHARD, startAt),
    invoker,
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fake',
    checkpoints,
    clock,
    waker,
    logger: silentLogger,
    metrics,
    pollIntervalMs: 250,
    retryBackoff: { baseMs: 200, maxMs: 10_000 },
    onFailure: { destination: 'memory', send: async (record) => void discarded.push(record) },
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    ...(options.idlePolling === undefined ? {} : { idlePolling: options.idlePolling }),
  });
  const abort = new AbortController();
  let result: 'ended' | 'stopped' | undefined;
  const running = consumer.run(abort.signal).then((r) => {
    result = r;
    return r;
  });
  const checkpoint = () => checkpoints.get('m', SHARD);
  return {
    consumer,
    waker,
    abort: () => abort.abort(new Error('test stops')),
    running,
    clock,
    metrics,
    discarded,
    checkpoint,
    result: () => result,
    /** Drives the clock until the shard is read to its end. */
    toEnd: async () => {
      await driveUntil(clock, () => result !== undefined);
      return running;
    },
    /** Drives the clock until `done()`, then stops the consumer gracefully. */
    until: async (done: () => boolean) => {
      await driveUntil(clock, done);
      abort.abort(new Error('test stops'));
      return running;
    },
  };
};

describe(ShardConsumer.name, () => {
  it('reads a shard in order, invokes it in batches, and checkpoints its end', async () => {
    const source = new MemoryRecordSource().addShard(SHARD);
    source.append(SHARD, ...[1, 2, 3].map((n) => streamRecord(n))).close(SHARD);
    const invoker = fakeInvoker();
    const run = consume(source, { BatchSize: 2 }, invoker);
    expect(await run.toEnd()).toBe('ended');
    expect(invoker.calls).toEqual([[1, 2], [3]]);
    expect(await run.checkpoint()).toEqual({ sequenceNumber: sequence(3), shardEnded: true });
    expect(run.metrics.snapshot().total.PolledEventCount).toBe(3);
  });

  it('reads only records written after its start with LATEST, and resumes after a checkpoint', async () => {
    const source = new MemoryRecordSource().addShard(SHARD).append(SHARD, streamRecord(1), streamRecord(2));
    const invoker = fakeInvoker();
    const run = consume(source, {}, invoker, {
      startAt: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequence(1) as string },
    });
    await run.until(() => invoker.calls.length === 1);
    expect(invoker.calls).toEqual([[2]]);

    const latest = fakeInvoker();
    const late = consume(source, {}, latest, { startAt: { type: 'LATEST' } });
    await late.consumer.positioned;
    source.append(SHARD, streamRecord(3));
    await late.until(() => latest.calls.length === 1);
    expect(latest.calls).toEqual([[3]]);
  });

  it(`checkpoints past records FilterCriteria rejects, without invoking them (${FILTERS})`, async () => {
    const source = new MemoryRecordSource().addShard(SHARD);
    source.append(SHARD, ...[1, 2, 3, 4].map((n) => streamRecord(n))).close(SHARD);
    const invoker = fakeInvoker();
    const run = consume(source, {}, invoker, { filter: (record) => numberOf(record) % 2 === 0 });
    await run.toEnd();
    expect(invoker.calls).toEqual([[2, 4]]);
    expect(run.metrics.snapshot().total.FilteredOutEventCount).toBe(2);
    expect(await run.checkpoint()).toEqual({ sequenceNumber: sequence(4), shardEnded: true });
  });

  it(`holds the checkpoint before a failing batch while it is retried, and moves past it once discarded (${ERRORS})`, async () => {
    const source = new MemoryRecordSource().addShard(SHARD);
    source.append(SHARD, ...[1, 2].map((n) => streamRecord(n)));
    const invoker = fakeInvoker((event) => {
      if (event.Records.some((r) => numberOf(r) === 2)) throw new Error('record 2 fails');
    });
    const run = consume(source, { BatchSize: 1, MaximumRetryAttempts: 1 }, invoker);
    await driveUntil(run.clock, () => invoker.calls.length === 2);
    expect(await run.checkpoint()).toEqual({ sequenceNumber: sequence(1) });
    await run.until(() => run.discarded.length === 1);
    expect(invoker.calls).toEqual([[1], [2], [2]]);
    expect(await run.checkpoint()).toEqual({ sequenceNumber: sequence(2) });
    expect(run.discarded[0]?.requestContext.approximateInvokeCount).toBe(2);
  });

  it(`with ParallelizationFactor, a failing item blocks only its own lane, and the checkpoint waits for it (${PARAMS})`, async () => {
    const source = new MemoryRecordSource().addShard(SHARD);
    // Items a and b land in different lanes of 2; a's record keeps failing.
    const lane = (pk: string) => laneOf(streamRecord(0, { pk }), 2);
    const b = ['b', 'c', 'd', 'e'].find((pk) => lane(pk) !== lane('a')) as string;
    const records = [streamRecord(1, { pk: 'a' }), streamRecord(2, { pk: b }), streamRecord(3, { pk: b })];
    source.append(SHARD, ...records);
    const invoker = fakeInvoker((event) => {
      if (event.Records.some((r) => numberOf(r) === 1)) throw new Error('item a fails');
    });
    const run = consume(source, { ParallelizationFactor: 2, MaximumRetryAttempts: -1 }, invoker);
    await run.until(
      () =>
        invoker.calls.some((c) => c.includes(3)) && invoker.calls.filter((c) => c.includes(1)).length >= 3,
    );
    expect(invoker.calls.filter((c) => c.includes(1)).every((c) => c.length === 1)).toBe(true);
    expect(invoker.calls).toContainEqual([2, 3]);
    // Records 2 and 3 are done, but 1 is not: the shard's checkpoint cannot pass it.
    expect(await run.checkpoint()).toBeUndefined();
    expect(run.consumer.progress.recordsBehind).toBe(3);
  });

  it('stops gracefully: the batch in flight finishes and its checkpoint lands', async () => {
    const source = new MemoryRecordSource().addShard(SHARD).append(SHARD, streamRecord(1));
    let release: () => void = () => undefined;
    const invoker = fakeInvoker(() => new Promise<void>((resolve) => (release = resolve)));
    const run = consume(source, {}, invoker);
    const stopped = run.until(() => invoker.calls.length === 1);
    await driveUntil(run.clock, () => invoker.calls.length === 1);
    release();
    expect(await stopped).toBe('stopped');
    expect(await run.checkpoint()).toEqual({ sequenceNumber: sequence(1) });
  });

  describe('idle polling', () => {
    /** The next `count` waits of the consumer between polls, each passed at once on the manual clock. */
    const nextWaits = async (clock: ManualClock, count: number): Promise<number[]> => {
      const waits: number[] = [];
      for (let i = 0; i < count; i++) {
        await waitFor(() => clock.nextWakeUp() !== undefined, 'the consumer to wait for its next poll');
        const next = clock.nextWakeUp() as number;
        waits.push(next - clock.now());
        clock.set(next);
      }
      return waits;
    };

    it("polls an idle shard at Lambda's fixed rate without the wake-up hint", async () => {
      const source = new MemoryRecordSource().addShard(SHARD);
      const run = consume(source, {}, fakeInvoker(), {
        idlePolling: { intervalMs: 250, hinted: false, hintedMaxMs: 2000 },
      });
      expect(await nextWaits(run.clock, 6)).toEqual([250, 250, 250, 250, 250, 250]);
      run.abort();
      expect(await run.running).toBe('stopped');
    });

    it('with the hint, backs off while idle, reads a record as soon as it is woken, then starts over', async () => {
      const source = new MemoryRecordSource().addShard(SHARD);
      const invoker = fakeInvoker();
      const run = consume(source, {}, invoker, {
        idlePolling: { intervalMs: 250, hinted: true, hintedMaxMs: 2000 },
      });
      expect(await nextWaits(run.clock, 6)).toEqual([250, 500, 1000, 2000, 2000, 2000]);
      // The hint: a record arrived. It is read and invoked without the clock moving.
      await waitFor(() => run.clock.nextWakeUp() !== undefined, 'the consumer to wait');
      const asleepAt = run.clock.now();
      source.append(SHARD, streamRecord(1));
      run.waker.wake();
      await waitFor(() => invoker.calls.length === 1, 'the record to be invoked without the clock moving');
      expect(run.clock.now()).toBe(asleepAt);
      // Busy again: the idle waits start over from the interval (the batch finishing may cut the first one
      // short, so the first seen is 250 or 500 ms), and grow again.
      const after = await nextWaits(run.clock, 3);
      expect(after[0]).toBeLessThanOrEqual(500);
      expect(after).toEqual([...after].sort((a, b) => a - b));
      expect(after[2]).toBe((after[0] as number) * 4);
      run.abort();
      expect(await run.running).toBe('stopped');
    });
  });
});
