import { randomUUID } from 'node:crypto';
import {
  type _Record,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import pRetry from 'p-retry';
import type { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import { compareSequenceNumbers } from '../records/sequenceNumber.js';
import type { Clock } from '../time/clock.js';
import type { OnFailureDestination } from './destinations/OnFailureDestination.js';
import { type FailureCondition, onFailureRecord } from './destinations/onFailureRecord.js';
import type { FunctionInvoker } from './FunctionInvoker.js';
import { type BatchOutcome, interpretResponse } from './interpretResponse.js';
import { isRetryableError } from './isRetryableError.js';
import type { Logger } from './logger.js';
import type { MappingMetrics } from './MappingMetrics.js';
import type { ResolvedMappingConfig } from './resolveMappingConfig.js';
import { type Batch, takeBatch } from './takeBatch.js';
import { toLambdaRecord } from './toLambdaRecord.js';
import type { Waker } from './Waker.js';

/** Where a shard's reading starts: a starting position, or right after a checkpoint. */
type StartAt =
  | { readonly type: 'TRIM_HORIZON' | 'LATEST' }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

/** One invocation, as `npm start` prints it and tests observe it. */
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
}

interface ShardConsumerOptions {
  readonly mappingId: string;
  readonly streamArn: string;
  readonly shardId: string;
  readonly startAt: StartAt;
  readonly config: ResolvedMappingConfig;
  readonly client: DynamoDBStreamsClient;
  readonly invoker: FunctionInvoker;
  /** The function's ARN, for on-failure records. */
  readonly functionArn: string;
  readonly checkpoints: CheckpointStore;
  readonly clock: Clock;
  readonly waker: Waker;
  readonly logger: Logger;
  readonly metrics: MappingMetrics;
  /** FilterCriteria: records it rejects are not sent, and are checkpointed past. */
  readonly filter?: (record: DynamoDBRecord) => boolean;
  /** DestinationConfig.OnFailure: where discarded records are reported. */
  readonly onFailure?: OnFailureDestination;
  /** Idle wait between polls: Lambda polls each shard four times a second. */
  readonly pollIntervalMs: number;
  /** Backoff after a function error before the batch is retried: base × 2^(attempt-1), capped. */
  readonly retryBackoff: { readonly baseMs: number; readonly maxMs: number };
  readonly onInvocation?: (report: InvocationReport) => void;
}

const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';
const messageOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * ④–⑦ for one shard: poll it through the SDK, gather batches, invoke the function, retry, bisect or discard
 * per the mapping's settings, and checkpoint. A shard is processed strictly in order; a failing batch blocks
 * only its own shard.
 */
class ShardConsumer {
  readonly #o: ShardConsumerOptions;
  /** Records read from the shard and not yet checkpointed, in order. The runtime pulls: this holds at most one batch. */
  readonly #buffer: DynamoDBRecord[] = [];
  #lastRead: string | undefined;
  #iterator: string | undefined;
  #shardEnded = false;
  #windowOpenedAt: number | undefined;
  /** Invocations of the batch now at the front of the buffer. */
  #attempt = 0;
  /**
   * BisectBatchOnFunctionError: sizes of the batches still to try, next on top. A failed batch is replaced by
   * its two halves, first half on top; each success or discard takes one off.
   */
  readonly #bisect: number[] = [];

  constructor(options: ShardConsumerOptions) {
    this.#o = options;
    if (options.startAt.type === 'AFTER_SEQUENCE_NUMBER') this.#lastRead = options.startAt.sequenceNumber;
  }

  /** Runs until the shard is read to its end ('ended') or `signal` aborts ('stopped'). */
  async run(signal: AbortSignal): Promise<'ended' | 'stopped'> {
    const { config, clock } = this.#o;
    const windowMs = config.MaximumBatchingWindowInSeconds * 1000;
    try {
      this.#iterator = await this.#acquireIterator(this.#o.startAt, signal);
      while (!signal.aborted) {
        let pageWasEmpty = false;
        if (!this.#shardEnded && this.#buffer.length < config.BatchSize) {
          pageWasEmpty = (await this.#poll(signal)) === 0;
        }
        const now = clock.now();
        const ready =
          this.#buffer.length >= config.BatchSize ||
          (this.#buffer.length > 0 &&
            (this.#shardEnded || windowMs === 0 || now - (this.#windowOpenedAt ?? now) >= windowMs));
        if (ready) {
          await this.#processFront(signal);
          continue;
        }
        if (this.#shardEnded && this.#buffer.length === 0) {
          await this.#o.checkpoints.put(this.#o.mappingId, this.#o.shardId, {
            ...(this.#lastRead === undefined ? {} : { sequenceNumber: this.#lastRead }),
            shardEnded: true,
          });
          return 'ended';
        }
        if (pageWasEmpty) {
          const untilWindow =
            this.#windowOpenedAt === undefined ? Infinity : this.#windowOpenedAt + windowMs - now;
          await this.#o.waker.wait(clock, Math.max(0, Math.min(this.#o.pollIntervalMs, untilWindow)), signal);
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
    return 'stopped';
  }

  /** ④ One GetRecords call; appends what it returns to the buffer. Returns how many records came back. */
  async #poll(signal: AbortSignal): Promise<number> {
    const limit = Math.min(1000, this.#o.config.BatchSize - this.#buffer.length);
    let response: { Records?: _Record[]; NextShardIterator?: string };
    try {
      response = await this.#withBackoff(
        () => this.#o.client.send(new GetRecordsCommand({ ShardIterator: this.#iterator, Limit: limit })),
        signal,
      );
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'ExpiredIteratorException') {
        // Iterators live 15 minutes; take a new one where reading stopped.
        this.#iterator = await this.#acquireIterator(this.#resumePoint(), signal);
        return 0;
      }
      if (name === 'TrimmedDataAccessException') {
        this.#o.logger.warn('records were trimmed before they were read; continuing from the oldest record', {
          mappingId: this.#o.mappingId,
          shardId: this.#o.shardId,
          lastRead: this.#lastRead,
        });
        this.#o.metrics.add(this.#o.shardId, 'TrimmedEventCount', 1);
        this.#iterator = await this.#acquireIterator({ type: 'TRIM_HORIZON' }, signal);
        return 0;
      }
      throw error;
    }
    const records = (response.Records ?? [])
      .map((r) => toLambdaRecord(r, this.#o.streamArn))
      // Never hand the same record twice from one reading of the shard (re-acquired iterators may overlap).
      .filter(
        (r) => this.#lastRead === undefined || compareSequenceNumbers(sequenceOf(r), this.#lastRead) > 0,
      );
    if (records.length > 0) {
      this.#windowOpenedAt ??= this.#o.clock.now();
      this.#buffer.push(...records);
      this.#lastRead = sequenceOf(records.at(-1) as DynamoDBRecord);
      this.#o.metrics.add(this.#o.shardId, 'PolledEventCount', records.length);
    }
    this.#iterator = response.NextShardIterator;
    if (this.#iterator === undefined) this.#shardEnded = true;
    return records.length;
  }

  /** ⑤–⑥ Handles the front of the buffer: expired records, filtered-out records, or the next batch. */
  async #processFront(signal: AbortSignal): Promise<void> {
    const expired = this.#expiredPrefix();
    if (expired > 0) {
      await this.#discard(this.#buffer.slice(0, expired), expired, 'RecordAgeExceeded', false, signal);
      return;
    }
    const batch = takeBatch(this.#buffer, this.#bisect.at(-1) ?? this.#o.config.BatchSize, this.#o.filter);
    this.#o.metrics.add(this.#o.shardId, 'FilteredOutEventCount', batch.consumed - batch.records.length);
    if (batch.records.length === 0) {
      await this.#commit(batch.consumed);
      return;
    }
    await this.#invoke(batch, signal);
  }

  /** ⑥ Invokes the function with a batch and applies the outcome: checkpoint, bisect, retry or discard. */
  async #invoke(batch: Batch, signal: AbortSignal): Promise<void> {
    const { config, clock, metrics, shardId } = this.#o;
    const records = batch.records;
    this.#attempt += 1;
    const started = clock.now();
    metrics.add(shardId, 'InvokedEventCount', records.length);
    metrics.iteratorAge(
      shardId,
      started - (records.at(-1)?.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000,
    );
    let outcome: BatchOutcome;
    let threw = false;
    try {
      const response = await this.#o.invoker.invoke({ Records: records });
      outcome = interpretResponse(response, records, config.ReportBatchItemFailures);
    } catch (thrown) {
      outcome = { kind: 'failure', reason: messageOf(thrown) };
      threw = true;
    }
    const report: InvocationReport = {
      mappingId: this.#o.mappingId,
      shardId,
      records: records.length,
      firstSequenceNumber: sequenceOf(records[0] as DynamoDBRecord),
      lastSequenceNumber: sequenceOf(records.at(-1) as DynamoDBRecord),
      attempt: this.#attempt,
      outcome: outcome.kind,
      failures: outcome.kind === 'partial' ? outcome.failures : [],
      ...(outcome.kind === 'failure' ? { error: outcome.reason } : {}),
      durationMs: clock.now() - started,
    };

    if (outcome.kind === 'success') {
      this.#bisect.pop();
      await this.#commit(batch.consumed);
      this.#o.onInvocation?.(report);
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
      await this.#commit(batch.positions[committed] as number);
      // UNCONFIRMED: a partial failure that moves the checkpoint counts as progress, so the retry count restarts.
      this.#attempt = 1;
      const pending = this.#bisect.pop();
      if (pending !== undefined) this.#bisect.push(pending - committed);
    }
    const remaining = records.length - committed;

    // Bisect: a batch that failed as a whole is split in two, without using up a retry (streams-spec §4.3).
    if (config.BisectBatchOnFunctionError && outcome.kind === 'failure' && remaining > 1) {
      const first = Math.ceil(remaining / 2);
      this.#bisect.pop();
      this.#bisect.push(remaining - first, first);
      this.#attempt = 0;
      this.#o.onInvocation?.({ ...report, bisectedInto: [first, remaining - first] });
      return;
    }

    const retriesLeft = config.MaximumRetryAttempts === -1 || this.#attempt <= config.MaximumRetryAttempts;
    if (!retriesLeft) {
      const failed = records.slice(committed);
      const spanned = batch.consumed - (committed === 0 ? 0 : (batch.positions[committed] as number));
      await this.#discard(failed, spanned, 'RetryAttemptsExhausted', threw, signal);
      this.#bisect.pop();
      this.#o.onInvocation?.({ ...report, discarded: failed.length });
      return;
    }
    this.#o.onInvocation?.(report);
    const { baseMs, maxMs } = this.#o.retryBackoff;
    await clock.sleep(Math.min(maxMs, baseMs * 2 ** (this.#attempt - 1)), signal);
  }

  /**
   * Gives up on records: reports them to the on-failure destination (retrying until it has them: a discard is
   * never silent), then checkpoints past the `spanned` buffer records they came from.
   */
  async #discard(
    records: readonly DynamoDBRecord[],
    spanned: number,
    condition: FailureCondition,
    threw: boolean,
    signal: AbortSignal,
  ): Promise<void> {
    const { shardId, metrics, logger } = this.#o;
    logger.warn(
      condition === 'RecordAgeExceeded' ? 'records expired; discarding' : 'retries exhausted; discarding',
      {
        mappingId: this.#o.mappingId,
        shardId,
        discarded: records.length,
        firstSequenceNumber: sequenceOf(records[0] as DynamoDBRecord),
        lastSequenceNumber: sequenceOf(records.at(-1) as DynamoDBRecord),
        destination: this.#o.onFailure?.destination ?? null,
      },
    );
    const destination = this.#o.onFailure;
    if (destination !== undefined && records.length > 0) {
      const record = onFailureRecord({
        requestId: randomUUID(),
        functionArn: this.#o.functionArn,
        condition,
        approximateInvokeCount: this.#attempt,
        functionThrew: threw,
        records,
        shardId,
        streamArn: this.#o.streamArn,
        now: this.#o.clock.now(),
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
    await this.#commit(spanned);
  }

  /** How many records at the front of the buffer are older than MaximumRecordAgeInSeconds. */
  #expiredPrefix(): number {
    const maxAge = this.#o.config.MaximumRecordAgeInSeconds;
    if (maxAge === -1) return 0;
    // Record age is measured from the record's creation time (streams-spec §4.3, DERIVED).
    const oldestAllowed = this.#o.clock.now() / 1000 - maxAge;
    let count = 0;
    while (count < this.#buffer.length) {
      const created = this.#buffer[count]?.dynamodb?.ApproximateCreationDateTime ?? Number.POSITIVE_INFINITY;
      if (created >= oldestAllowed) break;
      count += 1;
    }
    return count;
  }

  /** ⑦ Marks the first `count` buffered records done and checkpoints the last of them. */
  async #commit(count: number): Promise<void> {
    const done = this.#buffer.splice(0, count);
    const last = done.at(-1);
    if (last !== undefined) {
      await this.#o.checkpoints.put(this.#o.mappingId, this.#o.shardId, { sequenceNumber: sequenceOf(last) });
    }
    this.#attempt = 0;
    this.#windowOpenedAt = this.#buffer.length > 0 ? this.#o.clock.now() : undefined;
  }

  #resumePoint(): StartAt {
    return this.#lastRead === undefined
      ? this.#o.startAt
      : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.#lastRead };
  }

  async #acquireIterator(startAt: StartAt, signal: AbortSignal): Promise<string | undefined> {
    const response = await this.#withBackoff(
      () =>
        this.#o.client.send(
          new GetShardIteratorCommand({
            StreamArn: this.#o.streamArn,
            ShardId: this.#o.shardId,
            ShardIteratorType: startAt.type as ShardIteratorType,
            ...(startAt.type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: startAt.sequenceNumber } : {}),
          }),
        ),
      signal,
    );
    return response.ShardIterator;
  }

  /** Throttling, 5xx and network errors: retried with exponential backoff and jitter, for as long as it takes. */
  #withBackoff<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    return pRetry(call, {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 100,
      maxTimeout: 5_000,
      randomize: true,
      signal,
      shouldRetry: ({ error }) => isRetryableError(error),
      onFailedAttempt: ({ error, attemptNumber }) => {
        if (isRetryableError(error)) {
          this.#o.logger.warn('streams call failed; retrying', {
            shardId: this.#o.shardId,
            attempt: attemptNumber,
            error: messageOf(error),
          });
        }
      },
    });
  }
}

export type { InvocationReport, ShardConsumerOptions, StartAt };
export { ShardConsumer };
