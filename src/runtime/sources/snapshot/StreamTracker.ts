import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Checkpoint } from '../../../checkpoint/CheckpointStore.js';
import { itemKeyOf } from '../../../pipeline/StreamItem.js';
import type { AttributeMap } from '../../../records/attributeValue.js';
import type { Clock } from '../../../time/clock.js';
import { messageOf } from '../../observability/describeRecords.js';
import type { Logger } from '../../observability/logger.js';
import { MappingMetrics } from '../../observability/MappingMetrics.js';
import { LiveShardSource } from '../live/LiveShardSource.js';
import type { SourceShard } from '../RecordSource.js';
import { type ShardProgress, shardPassed } from './bootstrapDecisions.js';

/** An item's state at the cut, from the old image of its first tracked record. */
interface StreamBase {
  readonly keys: AttributeMap;
  readonly image: AttributeMap;
  readonly second: number;
}

interface StreamTrackerOptions {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly mappingId: string;
  /** Records created at or after this second (epoch seconds), and every record after them in a shard, are tracked. */
  readonly cutSecond: number;
  readonly graceMs: number;
  /** Seconds ApproximateCreationDateTime is floored to by the source (1; DynamoDB Local: 60). */
  readonly granularity: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a shard read that found nothing waits before the next. @default 200 */
  readonly pollIntervalMs?: number;
}

interface ShardState extends ShardProgress {
  readonly shard: SourceShard;
  /** A tracked record was read in this shard or its parent: everything after is tracked. */
  cutFound: boolean;
  /** The last record before the cut (the live mapping's checkpoint at handover). */
  beforeCut: string | undefined;
  ended: boolean;
  newestSecond: number | undefined;
  tipReadAtMs: number | undefined;
  started: boolean;
}

/**
 * The bootstrap's stream side: reads every shard of the stream from TRIM_HORIZON, parents to their end before
 * their children, and keeps, for every item changed since the cut, the second of its first tracked record, and
 * that record's old image (the item's state at the cut) as a base for the snapshot. It processes nothing: the
 * tracked records are processed by the live mapping after the bootstrap, from the checkpoints `handover()` gives.
 */
class StreamTracker {
  readonly #o: StreamTrackerOptions;
  readonly #source: LiveShardSource;
  readonly #shards = new Map<string, ShardState>();
  readonly #firstTracked = new Map<string, number>();
  readonly #bases: StreamBase[] = [];
  #listedAtMs: number | undefined;
  /** When reading began: a shard nothing has been read from yet is this far behind. */
  #startedAtMs: number | undefined;
  #tracked = 0;
  #error: unknown;
  readonly #abort = new AbortController();
  #running: Promise<void> | undefined;
  readonly #readers = new Set<Promise<void>>();
  /**
   * One signal per shard read, each aborted by `stop`: a signal shared by every shard would carry a listener
   * per shard (its sleep, its GetRecords), past Node's ten and its MaxListenersExceededWarning after a few splits.
   */
  readonly #shardAborts = new Set<AbortController>();

  constructor(options: StreamTrackerOptions) {
    this.#o = options;
    this.#source = new LiveShardSource({
      client: options.client,
      streamArn: options.streamArn,
      mappingId: options.mappingId,
      clock: options.clock,
      logger: options.logger,
      metrics: new MappingMetrics(),
    });
  }

  /** Lists the shards and starts reading them; resolves once the first listing is done. */
  async start(): Promise<void> {
    this.#startedAtMs = this.#o.clock.now();
    await this.#discover();
    this.#running = this.#discoverLoop(this.#abort.signal);
  }

  async stop(): Promise<void> {
    const reason = new Error('bootstrap stream tracker stopped');
    this.#abort.abort(reason);
    for (const shardAbort of this.#shardAborts) shardAbort.abort(reason);
    await this.#running;
    await Promise.allSettled([...this.#readers]);
  }

  /** Throws what stopped the tracker, if anything did. */
  check(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  /** The first tracked record's second of an item (by `itemKeyOf` its keys), if it has one. */
  firstTrackedSecond(itemKey: string): number | undefined {
    return this.#firstTracked.get(itemKey);
  }

  /** Bases found since the last call. */
  takeBases(): StreamBase[] {
    return this.#bases.splice(0, this.#bases.length);
  }

  /** Records tracked so far (changes since the cut). */
  get tracked(): number {
    return this.#tracked;
  }

  /** Items changed since the cut. */
  get changedItems(): number {
    return this.#firstTracked.size;
  }

  /**
   * Whether every record created at or before `second` has been read: a listing made after it, and every shard
   * it lists passed it (`shardPassed`).
   */
  passed(second: number): boolean {
    const after = (second + this.#o.granularity) * 1000 + this.#o.graceMs;
    if (this.#listedAtMs === undefined || this.#listedAtMs < after) return false;
    for (const state of this.#shards.values()) {
      if (!shardPassed(state, second, this.#o.graceMs, this.#o.granularity)) return false;
    }
    return true;
  }

  /** How far behind the stream side is: now minus the oldest second every shard has passed (ms). */
  lagMs(): number {
    const now = this.#o.clock.now();
    let oldest = now;
    for (const state of this.#shards.values()) {
      if (state.ended) continue;
      // Before its first read a shard is as far behind as the bootstrap is old (not since 1970).
      const at =
        state.tipReadAtMs === undefined && state.newestSecond === undefined
          ? (this.#startedAtMs ?? now)
          : Math.max(state.tipReadAtMs ?? 0, ((state.newestSecond ?? 0) + 1) * 1000);
      oldest = Math.min(oldest, at);
    }
    return Math.max(0, now - oldest);
  }

  /**
   * Where the live mapping starts each shard once the snapshot is processed: right after its last record
   * before the cut, or (a shard ended before the cut) past its end; shards with no record before the cut are
   * left without a checkpoint (read from TRIM_HORIZON).
   */
  handover(): { readonly shardId: string; readonly checkpoint: Checkpoint }[] {
    const out: { shardId: string; checkpoint: Checkpoint }[] = [];
    for (const state of this.#shards.values()) {
      if (state.ended && !state.cutFound)
        out.push({
          shardId: state.shard.shardId,
          checkpoint: {
            ...(state.beforeCut === undefined ? {} : { sequenceNumber: state.beforeCut }),
            shardEnded: true,
          },
        });
      else if (state.beforeCut !== undefined)
        out.push({ shardId: state.shard.shardId, checkpoint: { sequenceNumber: state.beforeCut } });
    }
    return out;
  }

  /** Time in the discovery loop between listings: short, since page windows wait on a listing after them. */
  async #discoverLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.#o.clock.sleep(this.#o.pollIntervalMs ?? 200, signal);
        await this.#discover();
      } catch (error) {
        if (signal.aborted) return;
        this.#o.logger.warn("bootstrap: could not list the stream's shards; retrying", {
          error: messageOf(error),
        });
      }
    }
  }

  async #discover(): Promise<void> {
    const listedAt = this.#o.clock.now();
    const shards = await this.#source.listShards();
    for (const shard of shards) {
      if (!this.#shards.has(shard.shardId))
        this.#shards.set(shard.shardId, {
          shard,
          cutFound: false,
          beforeCut: undefined,
          ended: false,
          newestSecond: undefined,
          tipReadAtMs: undefined,
          started: false,
        });
    }
    for (const state of this.#shards.values()) {
      if (state.started) continue;
      const parentId = state.shard.parentShardId;
      const parent = parentId === undefined ? undefined : this.#shards.get(parentId);
      // Parents before children: an item's records continue in the child once the parent has ended.
      if (parent !== undefined && !parent.ended) continue;
      if (parent?.cutFound === true) state.cutFound = true;
      state.started = true;
      const shardAbort = new AbortController();
      if (this.#abort.signal.aborted) shardAbort.abort(this.#abort.signal.reason);
      this.#shardAborts.add(shardAbort);
      const reading = this.#read(state, shardAbort.signal).catch((error: unknown) => {
        if (!this.#abort.signal.aborted) this.#error = error;
      });
      this.#readers.add(reading);
      void reading.finally(() => {
        this.#readers.delete(reading);
        this.#shardAborts.delete(shardAbort);
      });
    }
    // A listing counts for `passed` only once every shard it showed is being read.
    this.#listedAtMs = listedAt;
  }

  async #read(state: ShardState, signal: AbortSignal): Promise<void> {
    const reader = this.#source.reader(state.shard.shardId, { type: 'TRIM_HORIZON' });
    await reader.open(signal);
    while (!signal.aborted) {
      const sentAt = this.#o.clock.now();
      const { records, ended } = await reader.read(1000, signal);
      for (const record of records) this.#take(state, record);
      if (ended) {
        state.ended = true;
        // Its children may start now.
        await this.#discover();
        return;
      }
      if (records.length === 0) {
        state.tipReadAtMs = sentAt;
        await this.#o.clock.sleep(this.#o.pollIntervalMs ?? 200, signal);
      }
    }
  }

  #take(state: ShardState, record: DynamoDBRecord): void {
    const data = record.dynamodb ?? {};
    const second = data.ApproximateCreationDateTime ?? 0;
    state.newestSecond = Math.max(state.newestSecond ?? second, second);
    if (!state.cutFound && second < this.#o.cutSecond) {
      state.beforeCut = data.SequenceNumber;
      return;
    }
    state.cutFound = true;
    this.#tracked += 1;
    const keys = (data.Keys ?? {}) as AttributeMap;
    const itemKey = itemKeyOf(keys);
    if (this.#firstTracked.has(itemKey)) return;
    this.#firstTracked.set(itemKey, second);
    // The first change of the item since the cut: its old image is the item's state at the cut. An INSERT had
    // none (the item did not exist); without old images (NEW_IMAGE streams) the new images carry the truth.
    if (record.eventName !== 'INSERT' && data.OldImage !== undefined)
      this.#bases.push({ keys, image: data.OldImage as AttributeMap, second });
  }
}

export type { StreamBase, StreamTrackerOptions };
export { StreamTracker };
