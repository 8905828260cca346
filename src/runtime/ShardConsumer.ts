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
import type { FunctionInvoker } from './FunctionInvoker.js';
import { type BatchOutcome, interpretResponse } from './interpretResponse.js';
import { isRetryableError } from './isRetryableError.js';
import type { Logger } from './logger.js';
import type { ResolvedMappingConfig } from './resolveMappingConfig.js';
import { takeBatch } from './takeBatch.js';
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
}

interface ShardConsumerOptions {
  readonly mappingId: string;
  readonly streamArn: string;
  readonly shardId: string;
  readonly startAt: StartAt;
  readonly config: ResolvedMappingConfig;
  readonly client: DynamoDBStreamsClient;
  readonly invoker: FunctionInvoker;
  readonly checkpoints: CheckpointStore;
  readonly clock: Clock;
  readonly waker: Waker;
  readonly logger: Logger;
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
 * ④–⑦ for one shard: poll it through the SDK, gather batches, invoke the function, retry per the mapping's
 * settings and checkpoint. A shard is processed strictly in order; a failing batch blocks only its own shard.
 */
class ShardConsumer {
  readonly #o: ShardConsumerOptions;
  /** Records read from the shard and not yet checkpointed, in order. The runtime pulls: this holds at most one batch. */
  readonly #buffer: DynamoDBRecord[] = [];
  #lastRead: string | undefined;
  #iterator: string | undefined;
  #shardEnded = false;
  #windowOpenedAt: number | undefined;
  #attempt = 0;

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
          await this.#invokeNextBatch(signal);
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
    }
    this.#iterator = response.NextShardIterator;
    if (this.#iterator === undefined) this.#shardEnded = true;
    return records.length;
  }

  /** ⑥ Invokes the function with the next batch and applies the outcome: checkpoint, retry or discard. */
  async #invokeNextBatch(signal: AbortSignal): Promise<void> {
    const { config, clock } = this.#o;
    const batch = takeBatch(this.#buffer, config.BatchSize);
    this.#attempt += 1;
    const started = clock.now();
    let outcome: BatchOutcome;
    let error: string | undefined;
    try {
      const response = await this.#o.invoker.invoke({ Records: batch });
      outcome = interpretResponse(response, batch, config.ReportBatchItemFailures);
      if (outcome.kind === 'failure') error = outcome.reason;
    } catch (thrown) {
      outcome = { kind: 'failure', reason: messageOf(thrown) };
      error = messageOf(thrown);
    }
    const report = {
      mappingId: this.#o.mappingId,
      shardId: this.#o.shardId,
      records: batch.length,
      firstSequenceNumber: sequenceOf(batch[0] as DynamoDBRecord),
      lastSequenceNumber: sequenceOf(batch.at(-1) as DynamoDBRecord),
      attempt: this.#attempt,
      outcome: outcome.kind,
      failures: outcome.kind === 'partial' ? outcome.failures : [],
      ...(error === undefined ? {} : { error }),
      durationMs: clock.now() - started,
    };

    if (outcome.kind === 'success') {
      await this.#commit(batch.length);
      this.#o.onInvocation?.(report);
      return;
    }
    // Records before the lowest reported failure are done; the retry resumes at that record.
    const committed = outcome.kind === 'partial' ? outcome.index : 0;
    if (committed > 0) {
      await this.#commit(committed);
      // UNCONFIRMED: a partial failure that moves the checkpoint counts as progress, so the retry count restarts.
      this.#attempt = 1;
    }
    const retriesLeft = config.MaximumRetryAttempts === -1 || this.#attempt <= config.MaximumRetryAttempts;
    if (!retriesLeft) {
      const discarded = batch.length - committed;
      this.#o.logger.warn('retries exhausted; discarding records', {
        mappingId: this.#o.mappingId,
        shardId: this.#o.shardId,
        discarded,
        firstSequenceNumber: sequenceOf(batch[committed] as DynamoDBRecord),
        lastSequenceNumber: report.lastSequenceNumber,
      });
      await this.#commit(discarded);
      this.#o.onInvocation?.({ ...report, discarded });
      return;
    }
    this.#o.onInvocation?.(report);
    const { baseMs, maxMs } = this.#o.retryBackoff;
    await clock.sleep(Math.min(maxMs, baseMs * 2 ** (this.#attempt - 1)), signal);
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
