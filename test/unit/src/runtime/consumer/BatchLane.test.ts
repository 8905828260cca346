import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { resolveMappingConfig } from '../../../../../src/runtime/config/resolveMappingConfig.js';
import { BatchLane } from '../../../../../src/runtime/consumer/BatchLane.js';
import type { OnFailureRecord } from '../../../../../src/runtime/failures/destinations/onFailureRecord.js';
import type { FunctionInvoker } from '../../../../../src/runtime/invocation/FunctionInvoker.js';
import type { InvocationReport } from '../../../../../src/runtime/observability/InvocationReport.js';
import { silentLogger } from '../../../../../src/runtime/observability/logger.js';
import { MappingMetrics } from '../../../../../src/runtime/observability/MappingMetrics.js';
import { ManualClock } from '../../../../../src/time/clock.js';
import { driveUntil, fakeInvoker, numberOf, streamRecord } from '../../../../helpers/memoryRecordSource.js';

const ERRORS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html';
const PARTIAL = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html';
const WINDOWS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html';
const PARAMS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html';
const START = Date.UTC(2026, 0, 1);

/** A lane on a manual clock, with what it finished, what it reported and what went to the destination. */
const laneFor = (settings: Record<string, unknown>, invoker: FunctionInvoker) => {
  const clock = new ManualClock(START);
  const done: number[] = [];
  const reports: InvocationReport[] = [];
  const discarded: OnFailureRecord[] = [];
  const metrics = new MappingMetrics();
  const lane = new BatchLane({
    mappingId: 'm',
    shardId: 'shard-1',
    streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fake',
    config: resolveMappingConfig({ StartingPosition: 'TRIM_HORIZON', ...settings }),
    invoker,
    clock,
    logger: silentLogger,
    metrics,
    retryBackoff: { baseMs: 200, maxMs: 10_000 },
    windowGraceMs: 300,
    onFailure: { destination: 'memory', send: async (record) => void discarded.push(record) },
    onInvocation: (report) => reports.push(report),
    done: async (records: readonly DynamoDBRecord[]) => void done.push(...records.map(numberOf)),
  });
  /** Processes the front until the lane is empty (and its window closed), on the manual clock. */
  const drain = async (shardEnded = true) => {
    const signal = new AbortController().signal;
    let finished = false;
    const step = async () => {
      while (lane.size > 0 || lane.isReady(clock.now(), shardEnded))
        await lane.processFront(signal, shardEnded);
      finished = true;
    };
    const running = step();
    await driveUntil(clock, () => finished);
    await running;
  };
  return { lane, clock, done, reports, discarded, metrics, drain };
};

describe(BatchLane.name, () => {
  it('invokes BatchSize records at a time and finishes them in order', async () => {
    const invoker = fakeInvoker();
    const { lane, done, drain } = laneFor({ BatchSize: 2 }, invoker);
    for (const n of [1, 2, 3]) lane.push(streamRecord(n));
    await drain();
    expect(invoker.calls).toEqual([[1, 2], [3]]);
    expect(done).toEqual([1, 2, 3]);
  });

  it(`retries a failing batch after 200, 400 ms on the clock, then discards it with RetryAttemptsExhausted (${ERRORS})`, async () => {
    const invoker = fakeInvoker(() => {
      throw new Error('boom');
    });
    const { lane, clock, done, reports, discarded, drain } = laneFor({ MaximumRetryAttempts: 2 }, invoker);
    lane.push(streamRecord(1));
    lane.push(streamRecord(2));
    await drain();
    expect(invoker.calls).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(clock.now() - START).toBe(600);
    expect(reports.map((r) => [r.attempt, r.discarded])).toEqual([
      [1, undefined],
      [2, undefined],
      [3, 2],
    ]);
    expect(
      discarded.map((r) => [r.requestContext.condition, r.requestContext.approximateInvokeCount]),
    ).toEqual([['RetryAttemptsExhausted', 3]]);
    expect(discarded[0]?.responseContext.functionError).toBe('Unhandled');
    expect(done).toEqual([1, 2]);
  });

  it(`bisects a failing batch down to the failing record without using retries, and discards only it (${ERRORS})`, async () => {
    const invoker = fakeInvoker((event) => {
      if (event.Records.some((r) => numberOf(r) === 3)) throw new Error('record 3 is poison');
    });
    const { lane, done, discarded, drain } = laneFor(
      { BisectBatchOnFunctionError: true, MaximumRetryAttempts: 0 },
      invoker,
    );
    for (const n of [1, 2, 3, 4]) lane.push(streamRecord(n));
    await drain();
    expect(invoker.calls).toEqual([[1, 2, 3, 4], [1, 2], [3, 4], [3], [4]]);
    expect(
      discarded.map((r) => [r.DDBStreamBatchInfo.batchSize, r.requestContext.approximateInvokeCount]),
    ).toEqual([[1, 1]]);
    expect(done).toEqual([1, 2, 3, 4]);
  });

  it(`finishes the records before the lowest reported failure and retries from it (${PARTIAL})`, async () => {
    const invoker = fakeInvoker((event, call) =>
      call === 1
        ? { batchItemFailures: [{ itemIdentifier: event.Records[1]?.dynamodb?.SequenceNumber }] }
        : {},
    );
    const { lane, done, reports, discarded, drain } = laneFor(
      { FunctionResponseTypes: ['ReportBatchItemFailures'] },
      invoker,
    );
    for (const n of [1, 2, 3]) lane.push(streamRecord(n));
    await drain();
    expect(invoker.calls).toEqual([
      [1, 2, 3],
      [2, 3],
    ]);
    expect(reports.map((r) => r.outcome)).toEqual(['partial', 'success']);
    expect(done).toEqual([1, 2, 3]);
    expect(discarded).toEqual([]);
  });

  it(`discards records older than MaximumRecordAgeInSeconds without invoking them (${PARAMS})`, async () => {
    const invoker = fakeInvoker();
    const { lane, clock, done, discarded, metrics, drain } = laneFor(
      { MaximumRecordAgeInSeconds: 60 },
      invoker,
    );
    const now = START / 1000;
    lane.push(streamRecord(1, { createdAt: now - 61 }));
    lane.push(streamRecord(2, { createdAt: now - 59 }));
    clock.advance(0);
    await drain();
    expect(discarded.map((r) => [r.requestContext.condition, r.DDBStreamBatchInfo.batchSize])).toEqual([
      ['RecordAgeExceeded', 1],
    ]);
    expect(invoker.calls).toEqual([[2]]);
    expect(done).toEqual([1, 2]);
    expect(metrics.snapshot().total.DroppedEventCount).toBe(1);
  });

  it(`waits for the batching window on the clock before invoking a batch that is not full (${PARAMS})`, async () => {
    const invoker = fakeInvoker();
    const { lane, clock } = laneFor({ MaximumBatchingWindowInSeconds: 5, BatchSize: 10 }, invoker);
    lane.push(streamRecord(1));
    expect(lane.isReady(clock.now(), false)).toBe(false);
    expect(lane.untilWindowCloses(clock.now())).toBe(5_000);
    clock.advance(5_000);
    expect(lane.isReady(clock.now(), false)).toBe(true);
  });

  it(`carries a tumbling window's state, holds its records until the final invocation succeeds (${WINDOWS})`, async () => {
    const invoker = fakeInvoker((event) => {
      const state = (event as { state?: { sum?: number } }).state ?? {};
      return { state: { sum: (state.sum ?? 0) + event.Records.reduce((s, r) => s + numberOf(r), 0) } };
    });
    const { lane, clock, done, drain } = laneFor({ TumblingWindowInSeconds: 60, BatchSize: 2 }, invoker);
    const windowStart = START / 1000;
    for (const n of [1, 2, 3]) lane.push(streamRecord(n, { createdAt: windowStart + n }));
    const signal = new AbortController().signal;
    await lane.processFront(signal);
    await lane.processFront(signal);
    expect(done).toEqual([]);
    clock.advance(60_300);
    await drain(false);
    const final = invoker.events.at(-1) as unknown as {
      isFinalInvokeForWindow: boolean;
      state: { sum: number };
    };
    expect(invoker.calls).toEqual([[1, 2], [3], []]);
    expect(final.isFinalInvokeForWindow).toBe(true);
    expect(final.state.sum).toBe(6);
    expect(done).toEqual([1, 2, 3]);
  });

  it(`fails an invocation without state in a tumbling window and retries it (${WINDOWS})`, async () => {
    const invoker = fakeInvoker((_, call) => (call === 1 ? {} : { state: {} }));
    const { lane, reports, drain } = laneFor({ TumblingWindowInSeconds: 60 }, invoker);
    lane.push(streamRecord(1, { createdAt: START / 1000 }));
    await drain();
    expect(reports.map((r) => r.outcome)).toEqual(['failure', 'success', 'success']);
    expect(reports.at(-1)?.finalInvokeForWindow).toBe(true);
  });

  it('starts the next batch with a fresh attempt count after a window was discarded', async () => {
    let failFinal = true;
    const invoker = fakeInvoker((event) => {
      const final = (event as { isFinalInvokeForWindow?: boolean }).isFinalInvokeForWindow;
      if (final && failFinal) {
        failFinal = false;
        throw new Error('final fails');
      }
      if (!final && numberOf(event.Records[0] as DynamoDBRecord) === 2 && invoker.calls.length === 3) {
        throw new Error('the next window fails once');
      }
      return { state: {} };
    });
    const { lane, discarded, reports, drain } = laneFor(
      { TumblingWindowInSeconds: 60, MaximumRetryAttempts: 0 },
      invoker,
    );
    lane.push(streamRecord(1, { createdAt: START / 1000 }));
    lane.push(streamRecord(2, { createdAt: START / 1000 + 60 }));
    await drain();
    expect(discarded.map((r) => r.DDBStreamBatchInfo.startSequenceNumber)).toEqual([
      streamRecord(1).dynamodb?.SequenceNumber,
      streamRecord(2).dynamodb?.SequenceNumber,
    ]);
    expect(reports.map((r) => r.attempt)).toEqual([1, 1, 1, 1]);
  });
});
