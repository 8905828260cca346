import { createHash } from 'node:crypto';
import {
  type _Record,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import pRetry from 'p-retry';
import type { CheckpointStore } from '../../checkpoint/CheckpointStore.js';
import { compareSequenceNumbers } from '../../records/sequenceNumber.js';
import { isTransientError } from '../../retry/isTransientError.js';
import type { Clock } from '../../time/clock.js';
import type { ResolvedMappingConfig } from '../config/resolveMappingConfig.js';
import type { OnFailureDestination } from '../failures/destinations/OnFailureDestination.js';
import type { FunctionInvoker } from '../invocation/FunctionInvoker.js';
import { messageOf, sequenceOf } from '../observability/describeRecords.js';
import type { Logger } from '../observability/logger.js';
import type { MappingMetrics } from '../observability/MappingMetrics.js';
import { toLambdaRecord } from '../sources/live/toLambdaRecord.js';
import type { Waker } from '../sources/live/Waker.js';
import { BatchLane, type InvocationReport } from './BatchLane.js';

/**
 * Where a shard's reading starts: a starting position, or right after a checkpoint.
 *
 * @example
 * const from: StartAt = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '4900000000000000000001' };
 */
type StartAt =
  | { readonly type: 'TRIM_HORIZON' | 'LATEST' }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

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

/** The lane of an item: records of one item (partition + sort key) always share a lane, so they stay in order. */
const laneOf = (record: DynamoDBRecord, lanes: number): number => {
  if (lanes === 1) return 0;
  const keys = record.dynamodb?.Keys ?? {};
  const identity = JSON.stringify(
    Object.keys(keys)
      .sort()
      .map((name) => [name, keys[name]]),
  );
  return createHash('md5').update(identity).digest().readUInt32BE(0) % lanes;
};

/**
 * ④–⑦ for one shard: poll it through the SDK, hand the records to ParallelizationFactor ordered lanes (⑤–⑥),
 * and checkpoint (⑦) up to the last record before which everything is done. Records of one item are processed
 * strictly in order; a failing batch blocks only its own lane of its own shard.
 */
class ShardConsumer {
  readonly #o: ShardConsumerOptions;
  readonly #lanes: BatchLane[];
  /** Records read and not yet checkpointed, in stream order, with whether they are done. */
  readonly #pending: { readonly sequence: string; done: boolean }[] = [];
  readonly #pendingBySequence = new Map<string, { readonly sequence: string; done: boolean }>();
  #lastRead: string | undefined;
  #iterator: string | undefined;
  #shardEnded = false;
  readonly #busy = new Map<BatchLane, Promise<void>>();
  #laneError: unknown;
  /** Checkpoint writes are chained so that concurrent lanes never write an older position after a newer one. */
  #checkpointing: Promise<void> = Promise.resolve();
  #checkpointed: string | undefined;

  constructor(options: ShardConsumerOptions) {
    this.#o = options;
    if (options.startAt.type === 'AFTER_SEQUENCE_NUMBER') this.#lastRead = options.startAt.sequenceNumber;
    this.#lanes = Array.from(
      { length: options.config.ParallelizationFactor },
      () =>
        new BatchLane({
          mappingId: options.mappingId,
          shardId: options.shardId,
          streamArn: options.streamArn,
          functionArn: options.functionArn,
          config: options.config,
          invoker: options.invoker,
          clock: options.clock,
          logger: options.logger,
          metrics: options.metrics,
          retryBackoff: options.retryBackoff,
          // A tumbling window closes on time one poll after its end, so records written just before the end are read.
          windowGraceMs: options.pollIntervalMs + 50,
          ...(options.onFailure === undefined ? {} : { onFailure: options.onFailure }),
          ...(options.onInvocation === undefined ? {} : { onInvocation: options.onInvocation }),
          done: (records) => this.#markDone(records),
        }),
    );
  }

  // Promise.withResolvers is Node 22+; the package runs on Node 20 too.
  #positionedResolve: () => void = () => undefined;
  readonly #positioned = new Promise<void>((resolve) => {
    this.#positionedResolve = resolve;
  });

  /**
   * Resolves once the consumer holds its first shard iterator (its place in the shard is fixed: LATEST means
   * records written after this), or once it stops without one.
   */
  get positioned(): Promise<void> {
    return this.#positioned;
  }

  /** Records read and not yet done (processed or discarded), and the batches being processed now. */
  get progress(): { readonly recordsBehind: number; readonly inFlight: number } {
    return { recordsBehind: this.#pending.length, inFlight: this.#busy.size };
  }

  /** Runs until the shard is read to its end ('ended') or `signal` aborts ('stopped'). */
  async run(signal: AbortSignal): Promise<'ended' | 'stopped'> {
    const { config, clock } = this.#o;
    // The runtime pulls: at most one batch per lane waits in memory, whatever the stream holds.
    const capacity = config.BatchSize * config.ParallelizationFactor;
    try {
      try {
        this.#iterator = await this.#acquireIterator(this.#o.startAt, signal);
      } finally {
        this.#positionedResolve();
      }
      while (!signal.aborted) {
        if (this.#laneError !== undefined) throw this.#laneError;
        let pageWasEmpty = false;
        // Records waiting in lanes (not those already processed and waiting for a window to close) fill the room.
        const queued = this.#lanes.reduce((sum, lane) => sum + lane.size, 0);
        if (!this.#shardEnded && queued < capacity) {
          pageWasEmpty = (await this.#poll(capacity - queued, signal)) === 0;
        }
        const now = clock.now();
        for (const lane of this.#lanes) {
          if (!this.#busy.has(lane) && lane.isReady(now, this.#shardEnded)) this.#start(lane, signal);
        }
        if (this.#shardEnded && this.#pending.length === 0 && this.#busy.size === 0) {
          await this.#checkpointing;
          await this.#o.checkpoints.put(this.#o.mappingId, this.#o.shardId, {
            ...(this.#lastRead === undefined ? {} : { sequenceNumber: this.#lastRead }),
            shardEnded: true,
          });
          return 'ended';
        }
        if (pageWasEmpty || queued >= capacity || this.#shardEnded) {
          const untilWindow = Math.min(
            ...this.#lanes.map((l) => (this.#busy.has(l) ? Infinity : l.untilWindowCloses(now))),
          );
          await this.#o.waker.wait(clock, Math.max(0, Math.min(this.#o.pollIntervalMs, untilWindow)), signal);
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      // A graceful stop lets in-flight invocations finish and their checkpoints land.
      await Promise.allSettled(this.#busy.values());
      await this.#checkpointing;
    }
    return 'stopped';
  }

  /** Runs one step of a lane in the background; the loop is woken when it finishes. */
  #start(lane: BatchLane, signal: AbortSignal): void {
    const step = lane
      .processFront(signal, this.#shardEnded)
      .catch((error: unknown) => {
        if (!signal.aborted) this.#laneError = error;
      })
      .finally(() => {
        this.#busy.delete(lane);
        this.#o.waker.wake();
      });
    this.#busy.set(lane, step);
  }

  /** ④ One GetRecords call; routes what it returns. Returns how many records came back. */
  async #poll(room: number, signal: AbortSignal): Promise<number> {
    const limit = Math.min(1000, room);
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
    const filteredOut: DynamoDBRecord[] = [];
    for (const record of records) {
      const entry = { sequence: sequenceOf(record), done: false };
      this.#pending.push(entry);
      this.#pendingBySequence.set(entry.sequence, entry);
      // ⑤ FilterCriteria: a record it rejects is never sent, and counts as done (Lambda checkpoints past it).
      if (this.#o.filter !== undefined && !this.#o.filter(record)) filteredOut.push(record);
      else (this.#lanes[laneOf(record, this.#lanes.length)] as BatchLane).push(record);
    }
    if (records.length > 0) {
      this.#lastRead = sequenceOf(records.at(-1) as DynamoDBRecord);
      this.#o.metrics.add(this.#o.shardId, 'PolledEventCount', records.length);
      this.#o.metrics.add(this.#o.shardId, 'FilteredOutEventCount', filteredOut.length);
      if (filteredOut.length > 0) await this.#markDone(filteredOut);
    }
    this.#iterator = response.NextShardIterator;
    if (this.#iterator === undefined) this.#shardEnded = true;
    return records.length;
  }

  /** ⑦ Records are done: the checkpoint moves to the last record before which everything is done. */
  #markDone(records: readonly DynamoDBRecord[]): Promise<void> {
    for (const record of records) {
      const entry = this.#pendingBySequence.get(sequenceOf(record));
      if (entry !== undefined) entry.done = true;
    }
    let last: string | undefined;
    while (this.#pending[0]?.done === true) {
      const entry = this.#pending.shift() as { sequence: string };
      this.#pendingBySequence.delete(entry.sequence);
      last = entry.sequence;
    }
    if (last !== undefined) {
      const target = last;
      this.#checkpointing = this.#checkpointing.then(async () => {
        if (this.#checkpointed !== undefined && compareSequenceNumbers(target, this.#checkpointed) <= 0)
          return;
        await this.#o.checkpoints.put(this.#o.mappingId, this.#o.shardId, { sequenceNumber: target });
        this.#checkpointed = target;
      });
    }
    return this.#checkpointing;
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
      shouldRetry: ({ error }) => isTransientError(error),
      onFailedAttempt: ({ error, attemptNumber }) => {
        if (isTransientError(error)) {
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
export { laneOf, ShardConsumer };
