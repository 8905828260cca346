import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import pRetry from 'p-retry';
import type { Clock } from '../../time/clock.js';
import { takeBatch } from '../batching/takeBatch.js';
import {
  MAX_WINDOW_STATE_BYTES,
  stateBytes,
  type WindowBounds,
  windowIso,
  windowOf,
} from '../batching/tumblingWindow.js';
import type { ResolvedMappingConfig } from '../config/resolveMappingConfig.js';
import type { OnFailureDestination } from '../failures/destinations/OnFailureDestination.js';
import { type FailureCondition, onFailureRecord } from '../failures/destinations/onFailureRecord.js';
import type { FunctionInvoker } from '../invocation/FunctionInvoker.js';
import { type BatchOutcome, interpretResponse } from '../invocation/interpretResponse.js';
import { messageOf, sequenceOf } from '../observability/describeRecords.js';
import type { Logger } from '../observability/logger.js';
import type { MappingMetrics } from '../observability/MappingMetrics.js';

/**
 * One invocation, as `npm start` prints it and tests observe it.
 *
 * @example
 * new EventSourceMapping({
 *   ...options,
 *   onInvocation: (report) => console.log(report.shardId, report.records, report.attempt, report.outcome),
 * });
 */
interface InvocationReport {
  readonly mappingId: string;
  readonly shardId: string;
  readonly records: number;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
  /** 1 for the first invocation of a batch, 2 for its first retry, … */
  readonly attempt: number;
  readonly outcome: BatchOutcome['kind'];
  /** Reported batch item failures (sequence numbers). */
  readonly failures: readonly string[];
  readonly error?: string;
  readonly durationMs: number;
  /** Set when this failure exhausted MaximumRetryAttempts and the records were discarded. */
  readonly discarded?: number;
  /** Set when BisectBatchOnFunctionError split the failed batch: the sizes of the halves. */
  readonly bisectedInto?: readonly [number, number];
  /** Set on a tumbling window's final invocation. */
  readonly finalInvokeForWindow?: boolean;
}

/** The open tumbling window of a lane: its bounds, its state, and the records it has processed. */
interface OpenWindow {
  readonly bounds: WindowBounds;
  state: Record<string, unknown>;
  /** Processed records, checkpointed only when the window's final invocation succeeds. */
  readonly held: DynamoDBRecord[];
  terminatedEarly: boolean;
}

/** What a lane needs from its shard consumer. */
interface LaneContext {
  readonly mappingId: string;
  readonly shardId: string;
  readonly streamArn: string;
  readonly functionArn: string;
  readonly config: ResolvedMappingConfig;
  readonly invoker: FunctionInvoker;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MappingMetrics;
  readonly onFailure?: OnFailureDestination;
  readonly retryBackoff: { readonly baseMs: number; readonly maxMs: number };
  /** How long after a tumbling window's end it closes on time alone, so late-read records still make it in. */
  readonly windowGraceMs: number;
  readonly onInvocation?: (report: InvocationReport) => void;
  /** Records this lane is finished with (processed, or discarded after being reported). */
  readonly done: (records: readonly DynamoDBRecord[]) => Promise<void>;
}

/**
 * ⑥ One ordered lane of a shard: the records of the items that hash to it, invoked in batches, retried,
 * bisected or discarded per the mapping's settings. A shard has ParallelizationFactor lanes; with the default
 * of 1 its single lane carries the whole shard in order.
 */
class BatchLane {
  readonly #c: LaneContext;
  readonly #queue: DynamoDBRecord[] = [];
  #windowOpenedAt: number | undefined;
  /** Invocations of the batch now at the front of the queue. */
  #attempt = 0;
  /**
   * BisectBatchOnFunctionError: sizes of the batches still to try, next on top. A failed batch is replaced by
   * its two halves, first half on top; each success or discard takes one off.
   */
  readonly #bisect: number[] = [];
  #window: OpenWindow | undefined;

  constructor(context: LaneContext) {
    this.#c = context;
  }

  get size(): number {
    return this.#queue.length;
  }

  push(record: DynamoDBRecord): void {
    this.#windowOpenedAt ??= this.#c.clock.now();
    this.#queue.push(record);
  }

  /**
   * Whether the lane has work now: a tumbling window to close, or a batch that is full, whose batching window
   * has passed, or after which nothing more will come.
   */
  isReady(now: number, shardEnded: boolean): boolean {
    if (this.#windowDue(now, shardEnded)) return true;
    if (this.#queue.length === 0) return false;
    const windowMs = this.#c.config.MaximumBatchingWindowInSeconds * 1000;
    return (
      this.#queue.length >= this.#c.config.BatchSize ||
      shardEnded ||
      windowMs === 0 ||
      now - (this.#windowOpenedAt ?? now) >= windowMs
    );
  }

  /** Milliseconds until something is due by time alone: a batching window or a tumbling window closing. */
  untilWindowCloses(now: number): number {
    const batching =
      this.#windowOpenedAt === undefined
        ? Number.POSITIVE_INFINITY
        : this.#windowOpenedAt + this.#c.config.MaximumBatchingWindowInSeconds * 1000 - now;
    const tumbling =
      this.#window === undefined
        ? Number.POSITIVE_INFINITY
        : this.#window.bounds.end * 1000 + this.#c.windowGraceMs - now;
    return Math.min(batching, tumbling);
  }

  /**
   * Handles the front of the queue once: a tumbling window that is due is closed, expired records are
   * discarded, otherwise the next batch is invoked.
   */
  async processFront(signal: AbortSignal, shardEnded = false): Promise<void> {
    if (this.#windowDue(this.#c.clock.now(), shardEnded)) {
      await this.#invoke([], signal, true);
      return;
    }
    const expired = this.#expiredPrefix();
    if (expired > 0) {
      await this.#discard(this.#queue.slice(0, expired), 'RecordAgeExceeded', false, signal);
      return;
    }
    let candidates: readonly DynamoDBRecord[] = this.#queue;
    const windowLength = this.#c.config.TumblingWindowInSeconds;
    if (windowLength > 0) {
      const created = this.#queue[0]?.dynamodb?.ApproximateCreationDateTime ?? this.#c.clock.now() / 1000;
      this.#window ??= {
        bounds: windowOf(created, windowLength),
        state: {},
        held: [],
        terminatedEarly: false,
      };
      const end = this.#window.bounds.end;
      // A batch never spans two windows.
      const inWindow = this.#queue.findIndex((r) => (r.dynamodb?.ApproximateCreationDateTime ?? 0) >= end);
      candidates = inWindow === -1 ? this.#queue : this.#queue.slice(0, inWindow);
    }
    const records = takeBatch(candidates, this.#bisect.at(-1) ?? this.#c.config.BatchSize);
    await this.#invoke(records, signal, false);
  }

  /** A tumbling window must close: its end has passed, the next record is past it, its state is too big, or the shard ended. */
  #windowDue(now: number, shardEnded: boolean): boolean {
    const window = this.#window;
    if (window === undefined) return false;
    const next = this.#queue[0]?.dynamodb?.ApproximateCreationDateTime;
    return (
      window.terminatedEarly ||
      now >= window.bounds.end * 1000 + this.#c.windowGraceMs ||
      (next !== undefined && next >= window.bounds.end) ||
      (shardEnded && this.#queue.length === 0)
    );
  }

  /** The event for a batch: Lambda's DynamoDBStreamEvent, with the window's fields when tumbling windows are on. */
  #event(records: DynamoDBRecord[], final: boolean) {
    const window = this.#window;
    if (window === undefined) return { Records: records };
    return {
      Records: records,
      window: { start: windowIso(window.bounds.start), end: windowIso(window.bounds.end) },
      state: window.state,
      shardId: this.#c.shardId,
      eventSourceARN: this.#c.streamArn,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: final && window.terminatedEarly,
    };
  }

  async #invoke(records: DynamoDBRecord[], signal: AbortSignal, final: boolean): Promise<void> {
    const { config, clock, metrics, shardId } = this.#c;
    this.#attempt += 1;
    const started = clock.now();
    metrics.add(shardId, 'InvokedEventCount', records.length);
    if (records.length > 0) {
      metrics.iteratorAge(
        shardId,
        started - (records.at(-1)?.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000,
      );
    }
    let outcome: BatchOutcome;
    let threw = false;
    try {
      const response = await this.#c.invoker.invoke(this.#event(records, final));
      const window = this.#window;
      const state = (response as { state?: unknown } | null)?.state;
      if (window !== undefined && (state === null || typeof state !== 'object' || Array.isArray(state))) {
        // With tumbling windows a response without state is a failed invocation
        // (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html).
        outcome = { kind: 'failure', reason: 'the function response has no state object (tumbling window)' };
      } else {
        outcome = interpretResponse(response, records, config.ReportBatchItemFailures);
        if (window !== undefined && outcome.kind !== 'failure') {
          window.state = state as Record<string, unknown>;
          if (stateBytes(state) > MAX_WINDOW_STATE_BYTES) window.terminatedEarly = true;
        }
      }
    } catch (thrown) {
      outcome = { kind: 'failure', reason: messageOf(thrown) };
      threw = true;
    }
    const report: InvocationReport = {
      mappingId: this.#c.mappingId,
      shardId,
      records: records.length,
      firstSequenceNumber: sequenceOf(records[0] as DynamoDBRecord),
      lastSequenceNumber: sequenceOf(records.at(-1) as DynamoDBRecord),
      attempt: this.#attempt,
      outcome: outcome.kind,
      failures: outcome.kind === 'partial' ? outcome.failures : [],
      ...(outcome.kind === 'failure' ? { error: outcome.reason } : {}),
      durationMs: clock.now() - started,
      ...(final ? { finalInvokeForWindow: true } : {}),
    };

    if (final && outcome.kind !== 'failure') {
      // The window is done: its records are checkpointed now, and its state dropped.
      const held = (this.#window as OpenWindow).held;
      this.#window = undefined;
      this.#attempt = 0;
      await this.#c.done(held);
      this.#c.onInvocation?.(report);
      return;
    }
    if (outcome.kind === 'success') {
      this.#bisect.pop();
      await this.#finish(records.length);
      this.#c.onInvocation?.(report);
      return;
    }
    metrics.add(
      shardId,
      'FailedInvokeEventCount',
      records.length - (outcome.kind === 'partial' ? outcome.index : 0),
    );

    // Records before the lowest reported failure are done; the retry resumes at that record.
    const committed = outcome.kind === 'partial' ? outcome.index : 0;
    if (committed > 0) {
      await this.#finish(committed);
      // A partial failure that moves the checkpoint is progress: the remainder starts over with all its retries
      // (as recorded against AWS: one partial invocation, then 1 + MaximumRetryAttempts of the rest).
      this.#attempt = 0;
      const pending = this.#bisect.pop();
      if (pending !== undefined) this.#bisect.push(pending - committed);
    }
    const remaining = records.length - committed;

    // Bisect: a batch that failed as a whole is split in two, without using up a retry
    // (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
    if (config.BisectBatchOnFunctionError && outcome.kind === 'failure' && remaining > 1) {
      const first = Math.ceil(remaining / 2);
      this.#bisect.pop();
      this.#bisect.push(remaining - first, first);
      this.#attempt = 0;
      this.#c.onInvocation?.({ ...report, bisectedInto: [first, remaining - first] });
      return;
    }

    const retriesLeft = config.MaximumRetryAttempts === -1 || this.#attempt <= config.MaximumRetryAttempts;
    if (!retriesLeft && final) {
      // The window's aggregate could not be delivered: its records are reported, then released.
      const held = (this.#window as OpenWindow).held.splice(0);
      this.#window = undefined;
      await this.#discard(held, 'RetryAttemptsExhausted', threw, signal, false);
      this.#c.onInvocation?.({ ...report, discarded: held.length });
      return;
    }
    if (!retriesLeft) {
      const failed = records.slice(committed);
      await this.#discard(failed, 'RetryAttemptsExhausted', threw, signal);
      this.#bisect.pop();
      this.#c.onInvocation?.({ ...report, discarded: failed.length });
      return;
    }
    this.#c.onInvocation?.(report);
    const { baseMs, maxMs } = this.#c.retryBackoff;
    await clock.sleep(Math.min(maxMs, baseMs * 2 ** (this.#attempt - 1)), signal);
  }

  /**
   * Gives up on the records at the front of the queue: reports them to the on-failure destination (retrying
   * until it has them: a discard is never silent), then marks them done.
   */
  async #discard(
    records: readonly DynamoDBRecord[],
    condition: FailureCondition,
    threw: boolean,
    signal: AbortSignal,
    fromQueue = true,
  ): Promise<void> {
    const { shardId, metrics, logger } = this.#c;
    const destination = this.#c.onFailure;
    logger.warn(
      condition === 'RecordAgeExceeded' ? 'records expired; discarding' : 'retries exhausted; discarding',
      {
        mappingId: this.#c.mappingId,
        shardId,
        discarded: records.length,
        firstSequenceNumber: sequenceOf(records[0] as DynamoDBRecord),
        lastSequenceNumber: sequenceOf(records.at(-1) as DynamoDBRecord),
        destination: destination?.destination ?? null,
      },
    );
    if (destination !== undefined) {
      const record = onFailureRecord({
        requestId: randomUUID(),
        functionArn: this.#c.functionArn,
        condition,
        approximateInvokeCount: this.#attempt,
        functionThrew: threw,
        records,
        shardId,
        streamArn: this.#c.streamArn,
        now: this.#c.clock.now(),
      });
      await pRetry(() => destination.send(record), {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: 100,
        maxTimeout: 10_000,
        randomize: true,
        signal,
        onFailedAttempt: ({ error, attemptNumber }) =>
          logger.error('on-failure destination refused the record; retrying', {
            destination: destination.destination,
            attempt: attemptNumber,
            error: messageOf(error),
          }),
      });
      metrics.add(shardId, 'OnFailureDestinationDeliveredEventCount', records.length);
    }
    metrics.add(shardId, 'DroppedEventCount', records.length);
    if (fromQueue) await this.#finish(records.length);
    else await this.#c.done(records);
  }

  /** How many records at the front of the queue are older than MaximumRecordAgeInSeconds. */
  #expiredPrefix(): number {
    const maxAge = this.#c.config.MaximumRecordAgeInSeconds;
    if (maxAge === -1) return 0;
    // Record age is measured from the record's creation time (MaximumRecordAgeInSeconds,
    // https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html).
    const oldestAllowed = this.#c.clock.now() / 1000 - maxAge;
    let count = 0;
    while (count < this.#queue.length) {
      const created = this.#queue[count]?.dynamodb?.ApproximateCreationDateTime ?? Number.POSITIVE_INFINITY;
      if (created >= oldestAllowed) break;
      count += 1;
    }
    return count;
  }

  /** The first `count` queued records are done: off the queue, and to the consumer for its checkpoint. */
  async #finish(count: number): Promise<void> {
    const done = this.#queue.splice(0, count);
    this.#attempt = 0;
    this.#windowOpenedAt = this.#queue.length > 0 ? this.#c.clock.now() : undefined;
    // Inside a tumbling window, records are held until the window's final invocation succeeds.
    if (this.#window !== undefined) this.#window.held.push(...done);
    else await this.#c.done(done);
  }
}

export type { InvocationReport, LaneContext };
export { BatchLane };
