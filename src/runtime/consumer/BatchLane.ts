import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { invocationStatsOf } from '../../records/invocationStats.js';
import type { RetryPolicy } from '../../retry/RetryPolicy.js';
import type { Clock } from '../../time/clock.js';
import { batchReady, untilBatchingWindowCloses } from '../batching/batchReady.js';
import { takeBatch } from '../batching/takeBatch.js';
import {
  MAX_WINDOW_STATE_BYTES,
  recordsInWindow,
  stateBytes,
  type WindowBounds,
  windowDue,
  windowOf,
} from '../batching/tumblingWindow.js';
import type { ResolvedMappingConfig } from '../config/resolveMappingConfig.js';
import type { OnFailureDestination } from '../failures/destinations/OnFailureDestination.js';
import { type FailureCondition, onFailureRecord } from '../failures/destinations/onFailureRecord.js';
import { type FailureSettings, nextStep } from '../failures/nextStep.js';
import { expiredCount } from '../failures/recordAge.js';
import { sendToDestination } from '../failures/sendToDestination.js';
import type { FunctionInvoker } from '../invocation/FunctionInvoker.js';
import { type BatchOutcome, interpretResponse } from '../invocation/interpretResponse.js';
import { interpretWindowResponse } from '../invocation/interpretWindowResponse.js';
import { streamEvent } from '../invocation/streamEvent.js';
import { messageOf, sequenceOf } from '../observability/describeRecords.js';
import type { InvocationReport } from '../observability/InvocationReport.js';
import type { Logger } from '../observability/logger.js';
import type { MappingMetrics } from '../observability/MappingMetrics.js';

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
  /** Backoff after a function error before the batch is retried: base × 2^(attempt-1), capped. */
  readonly retryBackoff: { readonly baseMs: number; readonly maxMs: number };
  /** How long after a tumbling window's end it closes on time alone, so late-read records still make it in. */
  readonly windowGraceMs: number;
  readonly onInvocation?: (report: InvocationReport) => void;
  /** Records this lane is finished with (processed, or discarded after being reported). */
  readonly done: (records: readonly DynamoDBRecord[]) => Promise<void>;
}

/**
 * ⑤–⑥ One ordered lane of a shard: the records of the items that hash to it, invoked in batches, retried,
 * bisected or discarded per the mapping's settings. A shard has ParallelizationFactor lanes; with the default
 * of 1 its single lane carries the whole shard in order. The decisions are pure functions of the stages
 * (`batchReady`, `windowDue`, `expiredCount`, `takeBatch`, `interpretResponse`, `nextStep`); the lane holds
 * the state they read and does the I/O they ask for.
 */
class BatchLane {
  readonly #c: LaneContext;
  readonly #failureSettings: FailureSettings;
  readonly #queue: DynamoDBRecord[] = [];
  #windowOpenedAt: number | undefined;
  /** Invocations of the batch now at the front of the queue. */
  #attempt = 0;
  /**
   * BisectBatchOnFunctionError: sizes of the batches still to try, next on top. A failed batch is replaced by
   * its two halves, first half on top; each success or discard takes one off.
   */
  #bisect: readonly number[] = [];
  #window: OpenWindow | undefined;

  constructor(context: LaneContext) {
    this.#c = context;
    const retryBackoff: RetryPolicy = {
      ...context.retryBackoff,
      // MaximumRetryAttempts counts the retries; the policy only spaces them, without jitter, as before.
      maxAttempts: Number.POSITIVE_INFINITY,
      jitter: 'none',
    };
    this.#failureSettings = {
      MaximumRetryAttempts: context.config.MaximumRetryAttempts,
      BisectBatchOnFunctionError: context.config.BisectBatchOnFunctionError,
      retryBackoff,
    };
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
    return batchReady({
      queued: this.#queue.length,
      openedAt: this.#windowOpenedAt,
      now,
      shardEnded,
      batchSize: this.#c.config.BatchSize,
      batchingWindowMs: this.#c.config.MaximumBatchingWindowInSeconds * 1000,
    });
  }

  /** Milliseconds until something is due by time alone: a batching window or a tumbling window closing. */
  untilWindowCloses(now: number): number {
    const batching = untilBatchingWindowCloses(
      this.#windowOpenedAt,
      this.#c.config.MaximumBatchingWindowInSeconds * 1000,
      now,
    );
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
    const expired = expiredCount(this.#queue, this.#c.clock.now(), this.#c.config.MaximumRecordAgeInSeconds);
    if (expired > 0) {
      await this.#discard(this.#queue.slice(0, expired), 'RecordAgeExceeded', false, signal, this.#attempt);
      await this.#finish(expired);
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
      // A batch never spans two windows.
      candidates = this.#queue.slice(0, recordsInWindow(this.#queue, this.#window.bounds.end));
    }
    const records = takeBatch(candidates, this.#bisect.at(-1) ?? this.#c.config.BatchSize);
    await this.#invoke(records, signal, false);
  }

  #windowDue(now: number, shardEnded: boolean): boolean {
    return windowDue(this.#window, {
      now,
      graceMs: this.#c.windowGraceMs,
      next: this.#queue[0]?.dynamodb?.ApproximateCreationDateTime,
      queued: this.#queue.length,
      shardEnded,
    });
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
    let superseded: readonly string[] | undefined;
    try {
      const window = this.#window;
      const event = streamEvent(records, window, { final, shardId, streamArn: this.#c.streamArn });
      const response = await this.#c.invoker.invoke(event);
      superseded = invocationStatsOf(event)?.superseded;
      if (window === undefined) {
        outcome = interpretResponse(response, records, config.ReportBatchItemFailures);
      } else {
        const answer = interpretWindowResponse(response, records, config.ReportBatchItemFailures);
        outcome = answer.outcome;
        if (answer.state !== undefined) {
          window.state = answer.state;
          // Lambda caps a window's state at 1 MB; past it the window ends early.
          if (stateBytes(answer.state) > MAX_WINDOW_STATE_BYTES) window.terminatedEarly = true;
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
      firstSequenceNumber: sequenceOf(records[0]),
      lastSequenceNumber: sequenceOf(records.at(-1)),
      attempt: this.#attempt,
      outcome: outcome.kind,
      failures: outcome.kind === 'partial' ? outcome.failures : [],
      ...(outcome.kind === 'failure' ? { error: outcome.reason } : {}),
      durationMs: clock.now() - started,
      ...(superseded === undefined ? {} : { superseded }),
      ...(final ? { finalInvokeForWindow: true } : {}),
    };

    const step = nextStep(
      { records: records.length, outcome, final, attempt: this.#attempt, bisect: this.#bisect },
      this.#failureSettings,
    );
    if (step.kind !== 'closeWindow' && step.kind !== 'done') {
      metrics.add(shardId, 'FailedInvokeEventCount', records.length - ('done' in step ? step.done : 0));
    }
    // Records before the lowest reported failure are done first.
    if (step.kind !== 'closeWindow' && step.kind !== 'discardWindow' && step.done > 0) {
      await this.#finish(step.done);
    }
    this.#bisect = step.bisect;
    switch (step.kind) {
      case 'closeWindow': {
        const held = (this.#window as OpenWindow).held;
        this.#window = undefined;
        this.#attempt = step.attempt;
        await this.#c.done(held);
        this.#c.onInvocation?.(report);
        return;
      }
      case 'done':
        this.#c.onInvocation?.(report);
        return;
      case 'bisect':
        this.#attempt = step.attempt;
        this.#c.onInvocation?.({ ...report, bisectedInto: step.halves });
        return;
      case 'discardWindow': {
        const held = (this.#window as OpenWindow).held.splice(0);
        this.#window = undefined;
        await this.#discard(held, step.condition, threw, signal, step.invokeCount);
        this.#attempt = step.attempt;
        await this.#c.done(held);
        this.#c.onInvocation?.({ ...report, discarded: held.length });
        return;
      }
      case 'discard': {
        const failed = records.slice(step.done, step.done + step.count);
        await this.#discard(failed, step.condition, threw, signal, step.invokeCount);
        await this.#finish(failed.length);
        this.#c.onInvocation?.({ ...report, discarded: failed.length });
        return;
      }
      case 'retry':
        this.#attempt = step.attempt;
        this.#c.onInvocation?.(report);
        await clock.sleep(step.afterMs, signal);
        return;
    }
  }

  /**
   * Gives up on records: reports them to the on-failure destination (retrying until it has them: a discard
   * is never silent) and counts them dropped. The caller then marks them done.
   */
  async #discard(
    records: readonly DynamoDBRecord[],
    condition: FailureCondition,
    threw: boolean,
    signal: AbortSignal,
    invokeCount: number,
  ): Promise<void> {
    const { shardId, metrics, logger, clock } = this.#c;
    const destination = this.#c.onFailure;
    logger.warn(
      condition === 'RecordAgeExceeded' ? 'records expired; discarding' : 'retries exhausted; discarding',
      {
        mappingId: this.#c.mappingId,
        shardId,
        discarded: records.length,
        firstSequenceNumber: sequenceOf(records[0]),
        lastSequenceNumber: sequenceOf(records.at(-1)),
        destination: destination?.destination ?? null,
      },
    );
    if (destination !== undefined) {
      const record = onFailureRecord({
        requestId: randomUUID(),
        functionArn: this.#c.functionArn,
        condition,
        approximateInvokeCount: invokeCount,
        functionThrew: threw,
        records,
        shardId,
        streamArn: this.#c.streamArn,
        now: clock.now(),
      });
      await sendToDestination(destination, record, {
        clock,
        logger,
        signal,
        batch: { mappingId: this.#c.mappingId, records },
      });
      metrics.add(shardId, 'OnFailureDestinationDeliveredEventCount', records.length);
    }
    metrics.add(shardId, 'DroppedEventCount', records.length);
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

export type { LaneContext };
export { BatchLane };
