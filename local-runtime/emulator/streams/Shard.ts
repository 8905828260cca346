import type { StreamRecord } from '../../../src/records/streamRecord.js';

interface StoredRecord {
  readonly record: StreamRecord;
  readonly sequence: bigint;
}

/**
 * One shard: an append-only run of records in sequence order. A shard is open until it closes; a closed shard
 * has an EndingSequenceNumber and never grows again.
 */
class Shard {
  readonly id: string;
  readonly parentId: string | undefined;
  readonly startingSequence: bigint;
  #endingSequence: bigint | undefined;
  readonly #records: StoredRecord[] = [];

  constructor(id: string, startingSequence: bigint, parentId?: string) {
    this.id = id;
    this.startingSequence = startingSequence;
    this.parentId = parentId;
  }

  get isOpen(): boolean {
    return this.#endingSequence === undefined;
  }

  get endingSequence(): bigint | undefined {
    return this.#endingSequence;
  }

  get size(): number {
    return this.#records.length;
  }

  /** The sequence number of the newest record, or just below the shard's start when it is empty. */
  get lastSequence(): bigint {
    return this.#records.at(-1)?.sequence ?? this.startingSequence - 1n;
  }

  append(record: StreamRecord, sequence: bigint): void {
    if (!this.isOpen) throw new Error(`shard ${this.id} is closed`);
    this.#records.push({ record, sequence });
  }

  close(): void {
    this.#endingSequence ??= this.#records.at(-1)?.sequence ?? this.startingSequence;
  }

  /** True when `sequence` names a record this shard holds. */
  holds(sequence: bigint): boolean {
    return this.#records[this.#indexAfter(sequence - 1n)]?.sequence === sequence;
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

  /** Index of the first record whose sequence is above `after` (binary search). */
  #indexAfter(after: bigint): number {
    let low = 0;
    let high = this.#records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#records[mid] as StoredRecord).sequence <= after) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export { Shard };
