import type { StreamRecord } from '../../../src/records/streamRecord.js';

interface StoredRecord {
  readonly record: StreamRecord;
  readonly sequence: bigint;
  /** Epoch ms of the write, for retention (the record's own time is rounded to the second). */
  readonly writtenAt: number;
}

/** The slice of partition-key hashes (uint32, `low` inclusive, `high` exclusive) a shard takes writes for. */
interface HashRange {
  readonly low: number;
  readonly high: number;
}

/**
 * One shard: an append-only run of records in sequence order, trimmed at the front as records pass the
 * retention period. A shard is open until it closes; a closed shard has an EndingSequenceNumber and never
 * grows again.
 */
class Shard {
  readonly id: string;
  readonly parentId: string | undefined;
  readonly startingSequence: bigint;
  readonly createdAt: number;
  readonly hashRange: HashRange;
  #endingSequence: bigint | undefined;
  #closedAt: number | undefined;
  readonly #records: StoredRecord[] = [];
  /** Index of the first record not yet trimmed. */
  #firstLive = 0;

  constructor(options: {
    id: string;
    startingSequence: bigint;
    createdAt: number;
    hashRange: HashRange;
    parentId?: string;
  }) {
    this.id = options.id;
    this.startingSequence = options.startingSequence;
    this.createdAt = options.createdAt;
    this.hashRange = options.hashRange;
    this.parentId = options.parentId;
  }

  get isOpen(): boolean {
    return this.#endingSequence === undefined;
  }

  get endingSequence(): bigint | undefined {
    return this.#endingSequence;
  }

  get closedAt(): number | undefined {
    return this.#closedAt;
  }

  /** Records not yet trimmed. */
  get size(): number {
    return this.#records.length - this.#firstLive;
  }

  /**
   * The read position after the newest record: its sequence number, or just below the shard's start when it
   * has none (the first record may carry the starting number itself).
   */
  get lastSequence(): bigint {
    return this.#records.at(-1)?.sequence ?? this.startingSequence - 1n;
  }

  /**
   * Reading resumes above this position at TRIM_HORIZON: just below the oldest untrimmed record, or (when
   * everything was trimmed) after the newest.
   */
  get trimHorizon(): bigint {
    const oldest = this.#records[this.#firstLive];
    if (oldest !== undefined) return oldest.sequence - 1n;
    return this.#firstLive === 0 ? this.startingSequence - 1n : this.lastSequence;
  }

  /** True when records above `after` have been trimmed away: reading from there would skip them. */
  isTrimmedAfter(after: bigint): boolean {
    return this.#firstLive > 0 && after < (this.#records[this.#firstLive - 1] as StoredRecord).sequence;
  }

  contains(hash: number): boolean {
    return hash >= this.hashRange.low && hash < this.hashRange.high;
  }

  append(record: StreamRecord, sequence: bigint, writtenAt: number): void {
    if (!this.isOpen) throw new Error(`shard ${this.id} is closed`);
    this.#records.push({ record, sequence, writtenAt });
  }

  close(now: number): void {
    if (!this.isOpen) return;
    // An empty shard closes with Ending equal to Starting, as AWS lists such shards.
    this.#endingSequence = this.#records.at(-1)?.sequence ?? this.startingSequence;
    this.#closedAt = now;
  }

  /** Drops records written before `cutoff` (epoch ms). Returns how many were dropped. */
  trimBefore(cutoff: number): number {
    const start = this.#firstLive;
    while (
      this.#firstLive < this.#records.length &&
      (this.#records[this.#firstLive] as StoredRecord).writtenAt < cutoff
    ) {
      this.#firstLive += 1;
    }
    // Release memory in chunks rather than shifting the array on every trim.
    if (this.#firstLive > 1024 && this.#firstLive * 2 > this.#records.length) {
      const dropped = this.#records.splice(0, this.#firstLive - 1);
      this.#firstLive -= dropped.length;
    }
    return this.#firstLive - start;
  }

  /**
   * True when `sequence` falls within this shard's range: from its StartingSequenceNumber to its last record
   * (or its EndingSequenceNumber). AWS positions AT/AFTER_SEQUENCE_NUMBER iterators at any such number, the
   * starting number included, not only at numbers of records.
   */
  covers(sequence: bigint): boolean {
    const last =
      this.#endingSequence ??
      (this.lastSequence > this.startingSequence ? this.lastSequence : this.startingSequence);
    return sequence >= this.startingSequence && sequence <= last;
  }

  /** Up to `limit` records with sequence numbers above `after`, stopping before `maxBytes` of records. */
  read(after: bigint, limit: number, maxBytes: number): StreamRecord[] {
    const out: StreamRecord[] = [];
    let bytes = 0;
    for (let i = this.#indexAfter(after); i < this.#records.length && out.length < limit; i++) {
      const stored = this.#records[i] as StoredRecord;
      bytes += stored.record.dynamodb.SizeBytes;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(stored.record);
    }
    return out;
  }

  /** Index of the first live record whose sequence is above `after` (binary search). */
  #indexAfter(after: bigint): number {
    let low = this.#firstLive;
    let high = this.#records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#records[mid] as StoredRecord).sequence <= after) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export type { HashRange };
export { Shard };
