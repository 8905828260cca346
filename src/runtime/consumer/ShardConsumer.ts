import type { DynamoDBRecord } from 'aws-lambda';
import type { CheckpointStore } from '../../checkpoint/CheckpointStore.js';
import type { Clock } from '../../time/clock.js';
import { laneOf } from '../batching/laneOf.js';
import { CheckpointTracker } from '../checkpointing/CheckpointTracker.js';
import { CheckpointWriter } from '../checkpointing/CheckpointWriter.js';
import type { ResolvedMappingConfig } from '../config/resolveMappingConfig.js';
import type { OnFailureDestination } from '../failures/destinations/OnFailureDestination.js';
import type { FunctionInvoker } from '../invocation/FunctionInvoker.js';
import { sequenceOf } from '../observability/describeRecords.js';
import type { InvocationReport } from '../observability/InvocationReport.js';
import type { Logger } from '../observability/logger.js';
import type { MappingMetrics } from '../observability/MappingMetrics.js';
import { type IdlePolling, idlePollDelay } from '../sources/idlePollDelay.js';
import type { ShardReader } from '../sources/RecordSource.js';
import type { StartAt } from '../sources/StartAt.js';
import type { Waker } from '../sources/Waker.js';
import { BatchLane } from './BatchLane.js';

interface ShardConsumerOptions {
  readonly mappingId: string;
  readonly streamArn: string;
  readonly shardId: string;
  readonly startAt: StartAt;
  readonly config: ResolvedMappingConfig;
  /** The shard's records, in order, from `startAt` (a `ShardReader` of the mapping's record source). */
  readonly reader: ShardReader;
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
  /**
   * With a wake-up hint, idle waits grow past `pollIntervalMs` (see `idlePollDelay`). @default Lambda's fixed
   * rate
   */
  readonly idlePolling?: IdlePolling;
  /** Backoff after a function error before the batch is retried: base × 2^(attempt-1), capped. */
  readonly retryBackoff: { readonly baseMs: number; readonly maxMs: number };
  readonly onInvocation?: (report: InvocationReport) => void;
  /**
   * A finite source (`RecordSource.finite`): a tumbling window closes when a record of a later window comes or
   * the shard ends, never because the clock passed its end (a replayed record is older than any clock).
   */
  readonly windowsCloseOnRecords?: boolean;
}

/** GetRecords returns at most 1,000 records (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html). */
const GET_RECORDS_LIMIT = 1000;
/**
 * ④–⑦ for one shard: read it from its source, filter (⑤), hand the records to ParallelizationFactor ordered
 * lanes (⑤–⑥), and checkpoint (⑦) up to the last record before which everything is done. Records of one item
 * are processed strictly in order; a failing batch blocks only its own lane of its own shard.
 */
class ShardConsumer {
  readonly #o: ShardConsumerOptions;
  readonly #lanes: BatchLane[];
  readonly #tracker = new CheckpointTracker();
  readonly #writer: CheckpointWriter;
  #lastRead: string | undefined;
  #shardEnded = false;
  readonly #busy = new Map<BatchLane, Promise<void>>();
  #laneError: unknown;
  /** Polls in a row that found nothing new: the idle backoff's step. */
  #emptyPolls = 0;

  constructor(options: ShardConsumerOptions) {
    this.#o = options;
    this.#writer = new CheckpointWriter(options.checkpoints, options.mappingId, options.shardId);
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
          windowGraceMs:
            options.windowsCloseOnRecords === true ? Number.POSITIVE_INFINITY : options.pollIntervalMs + 50,
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
   * Resolves once the consumer holds its place in the shard (LATEST means records written after this), or
   * once it stops without one.
   */
  get positioned(): Promise<void> {
    return this.#positioned;
  }

  /** Records read and not yet done (processed or discarded), and the batches being processed now. */
  get progress(): { readonly recordsBehind: number; readonly inFlight: number } {
    return { recordsBehind: this.#tracker.pending, inFlight: this.#busy.size };
  }

  /** Runs until the shard is read to its end ('ended') or `signal` aborts ('stopped'). */
  async run(signal: AbortSignal): Promise<'ended' | 'stopped'> {
    const { config, clock } = this.#o;
    // The runtime pulls: it reads when less than one batch per lane waits, whatever the stream holds, and then a
    // whole GetRecords page (1,000 records or 1 MB at most): a small BatchSize does not cost a request per batch.
    const capacity = config.BatchSize * config.ParallelizationFactor;
    try {
      try {
        await this.#o.reader.open(signal);
      } finally {
        this.#positionedResolve();
      }
      while (!signal.aborted) {
        if (this.#laneError !== undefined) throw this.#laneError;
        let pageWasEmpty = false;
        // Records waiting in lanes (not those already processed and waiting for a window to close) count.
        const queued = this.#lanes.reduce((sum, lane) => sum + lane.size, 0);
        if (!this.#shardEnded && queued < capacity) {
          pageWasEmpty = (await this.#poll(signal)) === 0;
          this.#emptyPolls = pageWasEmpty ? this.#emptyPolls + 1 : 0;
        }
        const now = clock.now();
        for (const lane of this.#lanes) {
          if (!this.#busy.has(lane) && lane.isReady(now, this.#shardEnded)) this.#start(lane, signal);
        }
        if (this.#shardEnded && this.#tracker.pending === 0 && this.#busy.size === 0) {
          await this.#writer.end(this.#lastRead);
          return 'ended';
        }
        if (pageWasEmpty || queued >= capacity || this.#shardEnded) {
          const untilWindow = Math.min(
            ...this.#lanes.map((l) => (this.#busy.has(l) ? Infinity : l.untilWindowCloses(now))),
          );
          const idle = idlePollDelay(
            this.#emptyPolls,
            this.#o.idlePolling ?? { intervalMs: this.#o.pollIntervalMs, hinted: false, hintedMaxMs: 0 },
          );
          await this.#o.waker.wait(clock, Math.max(0, Math.min(idle, untilWindow)), signal);
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      // A graceful stop lets in-flight invocations finish and their checkpoints land.
      await Promise.allSettled(this.#busy.values());
      await this.#writer.settled();
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

  /** ④ One read of a whole page from the shard; routes what it returns. Returns how many records came back. */
  async #poll(signal: AbortSignal): Promise<number> {
    const { records, ended } = await this.#o.reader.read(GET_RECORDS_LIMIT, signal);
    const filteredOut: DynamoDBRecord[] = [];
    for (const record of records) {
      this.#tracker.read(sequenceOf(record));
      // ⑤ FilterCriteria: a record it rejects is never sent, and counts as done (Lambda checkpoints past it).
      if (this.#o.filter !== undefined && !this.#o.filter(record)) filteredOut.push(record);
      else (this.#lanes[laneOf(record, this.#lanes.length)] as BatchLane).push(record);
    }
    if (records.length > 0) {
      this.#lastRead = sequenceOf(records.at(-1));
      this.#o.metrics.add(this.#o.shardId, 'PolledEventCount', records.length);
      this.#o.metrics.add(this.#o.shardId, 'FilteredOutEventCount', filteredOut.length);
      if (filteredOut.length > 0) await this.#markDone(filteredOut);
    }
    if (ended) this.#shardEnded = true;
    return records.length;
  }

  /** ⑦ Records are done: the checkpoint moves to the last record before which everything is done. */
  #markDone(records: readonly DynamoDBRecord[]): Promise<void> {
    const target = this.#tracker.done(records.map(sequenceOf));
    return target === undefined ? this.#writer.settled() : this.#writer.write(target);
  }
}

export type { ShardConsumerOptions };
export { ShardConsumer };
