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
  options: { readonly startAt?: StartAt; readonly filter?: (record: DynamoDBRecord) => boolean } = {},
) => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const checkpoints = new MemoryCheckpointStore();
  const metrics = new MappingMetrics();
  const discarded: OnFailureRecord[] = [];
  const startAt = options.startAt ?? { type: 'TRIM_HORIZON' };
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
    waker: new Waker(),
    logger: silentLogger,
    metrics,
    pollIntervalMs: 250,
    retryBackoff: { baseMs: 200, maxMs: 10_000 },
    onFailure: { destination: 'memory', send: async (record) => void discarded.push(record) },
    ...(options.filter === undefined ? {} : { filter: options.filter }),
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
});
