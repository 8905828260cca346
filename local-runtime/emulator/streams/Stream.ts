import { createHash } from 'node:crypto';
import { streamArn, streamLabelAt } from '../../../src/records/arn.js';
import type { StreamViewType } from '../../../src/records/streamRecord.js';
import type { Clock } from '../../../src/time/clock.js';
import { onRollback } from '../atomic/requestScope.js';
import type { ItemChange } from '../changes/ItemChange.js';
import { captureChangeText } from './changeCapture.js';
import { flatText } from './flatText.js';
import { HASH_SPACE, partitionHash } from './partitionHash.js';
import type { SequenceNumbers } from './SequenceNumbers.js';
import { type HashRange, Shard } from './Shard.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from './streamSettings.js';

/**
 * What a stream tells the data dir's journal (persistence/EffectSink implements it). Declared here so streams/
 * does not import persistence/, which snapshots streams.
 */
interface StreamEffects {
  record(
    stream: Stream,
    shard: Shard,
    text: string,
    sequence: bigint,
    writtenAt: number,
    sizeBytes: number,
  ): void;
  shardOpened(stream: Stream, shard: Shard): void;
  shardClosed(stream: Stream, shard: Shard): void;
}

interface StreamOptions {
  readonly region: string;
  readonly accountId: string;
  readonly tableName: string;
  readonly keySchema: readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  readonly viewType: StreamViewType;
  readonly clock: Clock;
  readonly sequenceNumbers: SequenceNumbers;
  /** Event ids come from here: seeded per request, so a replayed journal writes the same ids. */
  readonly random: ((bytes: number) => Buffer) & { readonly hex?: (bytes: number) => string };
  readonly settings?: StreamSettings;
  /** Told after every append: the in-process wake-up hint for local consumers. */
  readonly onRecord: (stream: Stream, shard: Shard) => void;
  /** Told of records and of shards created and closed (not by age), for the data dir's journal. */
  readonly effects?: StreamEffects;
  /** Built from a data dir: no initial shards, they are restored one by one (`restoreShard`). */
  readonly restored?: boolean;
  /** Built from a data dir: when it was created (otherwise now). */
  readonly createdAt?: number;
}

/**
 * `shardId-<20-digit creation epoch ms>-<8 hex>`, AWS's format
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Shard.html). The hex part is derived
 * from the stream, the parent and the child's position rather than drawn at random: shards are created by the
 * passage of time (rollover) as well as by requests, and a restarted emulator must give them the same ids.
 */
const newShardId = (streamArn: string, now: number, parentId: string, index: number): string => {
  const digest = createHash('sha256').update(`${streamArn}|${parentId}|${now}|${index}`).digest('hex');
  return `shardId-${String(now).padStart(20, '0')}-${digest.slice(0, 8)}`;
};

/**
 * One DynamoDB stream of one table: its shards, oldest first, and the records written to them.
 *
 * The open shards divide the partition-key hash space between them, so an item always writes to the same open
 * shard; when a shard rolls over or splits, its children take over its hash range, so an item's later records
 * always land in a descendant of the shard that holds its earlier ones (which is what lets a consumer keep
 * per-item order by reading parents before children). A stream is ENABLED while its table writes to it; once
 * disabled its shards are closed but stay readable until retention trims them.
 */
class Stream {
  readonly arn: string;
  readonly label: string;
  readonly tableName: string;
  readonly keySchema: StreamOptions['keySchema'];
  readonly viewType: StreamViewType;
  readonly createdAt: number;
  readonly region: string;
  readonly settings: StreamSettings;
  #status: 'ENABLED' | 'DISABLED' = 'ENABLED';
  #shards: Shard[] = [];
  readonly #options: StreamOptions;
  readonly #hashKey: string;

  constructor(options: StreamOptions) {
    this.#options = options;
    this.settings = options.settings ?? DEFAULT_STREAM_SETTINGS;
    this.createdAt = options.createdAt ?? options.clock.now();
    this.label = streamLabelAt(this.createdAt);
    this.arn = streamArn(options.region, options.accountId, options.tableName, this.label);
    this.tableName = options.tableName;
    this.keySchema = options.keySchema;
    this.viewType = options.viewType;
    this.region = options.region;
    this.#hashKey = options.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
    if (options.restored) return;
    const count = Math.max(1, Math.floor(this.settings.shardCount));
    for (let i = 0; i < count; i++) {
      const low = Math.floor((HASH_SPACE * i) / count);
      const high = Math.floor((HASH_SPACE * (i + 1)) / count);
      const shard = this.#newShard({ low, high }, this.createdAt, undefined, i);
      this.#shards.push(shard);
      options.effects?.shardOpened(this, shard);
    }
  }

  get status(): 'ENABLED' | 'DISABLED' {
    return this.#status;
  }

  get shards(): readonly Shard[] {
    return this.#shards;
  }

  shard(id: string): Shard | undefined {
    return this.#shards.find((s) => s.id === id);
  }

  /**
   * ③ Prepares the record for one item change: chooses the open shard that owns the item's partition key,
   * numbers the record, builds it and its JSON text, and decides whether the shard rolls over. Everything that
   * can fail happens here, before the table stores the item; the returned function appends the prepared record
   * and cannot fail (see `ChangeListener`).
   */
  prepare(change: ItemChange): () => void {
    if (this.#status !== 'ENABLED') throw new Error(`stream ${this.arn} is not enabled`);
    const now = this.#options.clock.now();
    // What time alone changes (rollover, trimming) is brought up to date first, as any read would.
    this.maintain(now);
    const shard = this.#openShardFor(change);
    const sequenceNumbers = this.#options.sequenceNumbers;
    const random = this.#options.random;
    let sequence = sequenceNumbers.peek();
    // On AWS a shard's first record is numbered above its StartingSequenceNumber, never equal to it.
    if (sequence <= shard.startingSequence) sequence += 1n;
    // Serialized once, here, as text straight away: every read after this joins the stored text (see Shard).
    const captured = captureChangeText(change, {
      viewType: this.viewType,
      region: this.region,
      sequenceNumber: sequence.toString(),
      eventId: random.hex === undefined ? random(16).toString('hex') : random.hex(16),
      now,
    });
    const text = flatText(captured.text);
    const sizeBytes = captured.sizeBytes;
    const rollsOver = shard.size + 1 >= this.settings.rolloverAfterRecords;
    return () => {
      sequenceNumbers.advanceTo(sequence);
      shard.append(text, sequence, now, sizeBytes);
      this.#options.effects?.record(this, shard, text, sequence, now, sizeBytes);
      if (rollsOver) this.rollOver(shard.id);
      this.#options.onRecord(this, shard);
    };
  }

  /**
   * The open shard that takes an item's records: the one whose hash range holds its partition key's hash. A
   * sole open shard over the whole hash space takes every key, so its partition key is not hashed (an MD5 per
   * write, once a rollover has left a closed shard beside it).
   */
  #openShardFor(change: ItemChange): Shard {
    const shards = this.#shards;
    let open: Shard | undefined;
    let openCount = 0;
    for (const shard of shards) {
      if (!shard.isOpen) continue;
      open = shard;
      openCount += 1;
    }
    if (openCount === 1 && open !== undefined) {
      const range = open.hashRange;
      if (range.low === 0 && range.high >= HASH_SPACE) return open;
    }
    const hash = shards.length === 1 ? 0 : partitionHash(change.keys[this.#hashKey]);
    for (const shard of shards) if (shard.isOpen && shard.contains(hash)) return shard;
    throw new Error(`stream ${this.arn} has no open shard for hash ${hash}`);
  }

  /** ③ Writes the record for one item change at once (see `prepare`). */
  append(change: ItemChange): void {
    this.prepare(change)();
  }

  /**
   * Brings the stream up to `now`: open shards past their age roll over, records past retention are trimmed,
   * and closed shards whose records have all been trimmed disappear, as on AWS.
   */
  maintain(now: number): void {
    const rolloverAfterMs = this.settings.rolloverAfterMs;
    if (
      this.#status === 'ENABLED' &&
      this.#shards.some((s) => s.isOpen && now - s.createdAt >= rolloverAfterMs)
    ) {
      // Each due rollover happens at the instant it was due, not when someone looks: the stream's shape is a
      // function of time alone, and a long idle stream shows every generation AWS would have made.
      const isDue = (s: Shard) => s.isOpen && now - s.createdAt >= rolloverAfterMs;
      for (let due = this.#shards.filter(isDue); due.length > 0; due = this.#shards.filter(isDue)) {
        for (const shard of due) {
          this.#replace(shard.id, (range) => [range], shard.createdAt + rolloverAfterMs, true);
        }
      }
    }
    const cutoff = now - this.settings.retentionMs;
    // A closed shard whose records are all gone leaves the listing once it has been closed for the retention
    // period; its children then have a ParentShardId that is no longer listed, as on AWS. Every write comes
    // through here: the listing is only rebuilt when a shard leaves it.
    const stays = (s: Shard) => s.isOpen || s.size > 0 || (s.closedAt as number) > cutoff;
    let leaving = false;
    for (const shard of this.#shards) {
      shard.trimBefore(cutoff);
      if (!stays(shard)) leaving = true;
    }
    if (leaving) this.#shards = this.#shards.filter(stays);
  }

  /** Closes an open shard and gives it one child that takes over its hash range (AWS's periodic rollover). */
  rollOver(shardId: string): Shard[] {
    return this.#replace(shardId, (range) => [range]);
  }

  /** Closes an open shard and gives it two children that share its hash range (a partition split). */
  split(shardId: string): Shard[] {
    return this.#replace(shardId, (range) => {
      const middle = Math.floor((range.low + range.high) / 2);
      return [
        { low: range.low, high: middle },
        { low: middle, high: range.high },
      ];
    });
  }

  /** Closes every open shard; the records stay readable until retention trims them. */
  disable(): void {
    const status = this.#status;
    onRollback(() => {
      this.#status = status;
    });
    this.#status = 'DISABLED';
    const now = this.#options.clock.now();
    for (const shard of this.#shards) {
      if (!shard.isOpen) continue;
      shard.close(now);
      this.#options.effects?.shardClosed(this, shard);
    }
  }

  /** Adds a shard read back from a data dir (see persistence/restoreState.ts); ignored if it exists. */
  restoreShard(shard: Shard): void {
    if (this.shard(shard.id) === undefined) this.#shards.push(shard);
  }

  #replace(
    shardId: string,
    childRanges: (range: HashRange) => HashRange[],
    at = this.#options.clock.now(),
    byAge = false,
  ): Shard[] {
    const parent = this.shard(shardId);
    if (parent === undefined || !parent.isOpen || this.#status !== 'ENABLED') return [];
    parent.close(at);
    const children = childRanges(parent.hashRange).map((range, i) => this.#newShard(range, at, parent.id, i));
    this.#shards.push(...children);
    onRollback(() => {
      this.#shards = this.#shards.filter((s) => !children.includes(s));
    });
    // A rollover by age is a function of time, recomputed on replay; the others are journaled.
    const effects = byAge ? undefined : this.#options.effects;
    if (effects !== undefined) {
      effects.shardClosed(this, parent);
      for (const child of children) effects.shardOpened(this, child);
    }
    return children;
  }

  #newShard(hashRange: HashRange, now: number, parentId: string | undefined, index: number): Shard {
    return new Shard({
      id: newShardId(this.arn, now, parentId ?? '', index),
      // The number the next record will get, without taking it: shards also appear when a read notices that
      // time has passed, and reads must not move the counter, or a replayed journal would number differently.
      startingSequence: this.#options.sequenceNumbers.peek(),
      createdAt: now,
      hashRange,
      ...(parentId === undefined ? {} : { parentId }),
    });
  }
}

export type { StreamEffects, StreamOptions };
export { Stream };
