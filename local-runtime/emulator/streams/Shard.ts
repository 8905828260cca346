import { onRollback } from '../atomic/requestScope.js';

/** Records a read returns: their JSON texts in order, and the sequence number of the last one. */
interface RecordTexts {
  readonly texts: string[];
  readonly last: bigint | undefined;
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
 *
 * Records are kept as columns: each record's JSON text as GetRecords sends it, its sequence number as an
 * offset from the shard's start, its write time and its SizeBytes. A stream of a million records is then a
 * million strings and some arrays of numbers, not millions of small objects (and old item images) for every
 * major garbage collection to trace, and a read joins stored text instead of serializing objects.
 */
class Shard {
  readonly id: string;
  readonly parentId: string | undefined;
  readonly startingSequence: bigint;
  readonly createdAt: number;
  readonly hashRange: HashRange;
  /**
   * When the newest iterator of this shard was handed out (GetShardIterator, or GetRecords' NextShardIterator):
   * iterators are stateless tokens, so this is what the dashboard can say about one nearing its 15 minutes.
   * Not journaled: it describes readers of this process, not the data.
   */
  lastIteratorIssuedAt: number | undefined;
  #endingSequence: bigint | undefined;
  #closedAt: number | undefined;
  /**
   * Each record's JSON, exactly as GetRecords returns it; or, for a record restored from a snapshot and kept as
   * the snapshot's bytes (`restoreStoredRecords`), a number that says where those bytes are (`#storedText`).
   */
  #texts: (string | number)[] = [];
  /** Snapshot lines whose record texts are kept as bytes, decoded when read (see `restoreStoredRecords`). */
  #stored: StoredTexts[] = [];
  /** Chunks on disk whose bytes are loaded now, oldest first (see `bytesOf`). */
  readonly #loaded: StoredTexts[] = [];
  /** Sequence number minus startingSequence: exact as a double, no bigint object per record. */
  #offsets: number[] = [];
  /** Epoch ms of each write, for retention (the record's own time is rounded to the second). */
  #writtenAt: number[] = [];
  /** Each record's SizeBytes, for GetRecords' 1 MB limit. */
  #sizes: number[] = [];
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
    return this.#texts.length - this.#firstLive;
  }

  /**
   * The read position after the newest record: its sequence number, or just below the shard's start when it
   * has none (the first record may carry the starting number itself).
   */
  get lastSequence(): bigint {
    const count = this.#offsets.length;
    return count === 0 ? this.startingSequence - 1n : this.#sequenceAt(count - 1);
  }

  /**
   * Reading resumes above this position at TRIM_HORIZON: just below the oldest untrimmed record, or (when
   * everything was trimmed) after the newest.
   */
  get trimHorizon(): bigint {
    if (this.#firstLive < this.#offsets.length) return this.#sequenceAt(this.#firstLive) - 1n;
    return this.#firstLive === 0 ? this.startingSequence - 1n : this.lastSequence;
  }

  /** True when records above `after` have been trimmed away: reading from there would skip them. */
  isTrimmedAfter(after: bigint): boolean {
    return this.#firstLive > 0 && after < this.#sequenceAt(this.#firstLive - 1);
  }

  contains(hash: number): boolean {
    return hash >= this.hashRange.low && hash < this.hashRange.high;
  }

  /** Adds a record: its JSON text, its sequence number (above every earlier one), write time and SizeBytes. */
  append(text: string, sequence: bigint, writtenAt: number, sizeBytes: number): void {
    if (!this.isOpen) throw new Error(`shard ${this.id} is closed`);
    this.#texts.push(text);
    this.#offsets.push(Number(sequence - this.startingSequence));
    this.#writtenAt.push(writtenAt);
    this.#sizes.push(sizeBytes);
    onRollback(() => this.#dropLast());
  }

  /**
   * Adds records read back from a data dir snapshot, as columns (sequence numbers as offsets from the shard's
   * start): one push per column instead of a bigint per record.
   */
  restoreRecords(
    texts: readonly string[],
    offsets: readonly number[],
    writtenAt: readonly number[],
    sizes: readonly number[],
  ): void {
    if (!this.isOpen) throw new Error(`shard ${this.id} is closed`);
    for (let i = 0; i < texts.length; i++) {
      this.#texts.push(texts[i] as string);
      this.#offsets.push(offsets[i] as number);
      this.#writtenAt.push(writtenAt[i] as number);
      this.#sizes.push(sizes[i] as number);
    }
  }

  /**
   * Adds records read back from a data dir snapshot whose texts stay the snapshot line's bytes (`texts`: the
   * texts one after another, each followed by `separator` but the last) until a read decodes them. A restart
   * then neither decodes nor keeps as strings hundreds of MB of records that may never be read again; a read
   * decodes a page (~1 MB) in about a millisecond.
   */
  restoreStoredRecords(
    texts: Buffer,
    separator: number,
    offsets: readonly number[],
    writtenAt: readonly number[],
    sizes: readonly number[],
  ): void {
    this.#restoreChunk(
      { bytes: texts, separator, count: offsets.length, bounds: undefined },
      offsets,
      writtenAt,
      sizes,
    );
  }

  /**
   * Adds records read back from a data dir snapshot whose texts stay on disk, in a chunk of a records file
   * (`load` reads and checks it; `ref` names it, for the next snapshot to name again instead of copying it).
   * A read loads the chunk, and the shard keeps the last few loaded.
   */
  restoreRecordsOnDisk(
    chunk: { readonly load: () => Buffer; readonly ref: unknown; readonly separator: number },
    offsets: readonly number[],
    writtenAt: readonly number[],
    sizes: readonly number[],
  ): void {
    this.#restoreChunk(
      { bytes: undefined, ...chunk, count: offsets.length, bounds: undefined },
      offsets,
      writtenAt,
      sizes,
    );
  }

  #restoreChunk(
    stored: StoredTexts,
    offsets: readonly number[],
    writtenAt: readonly number[],
    sizes: readonly number[],
  ): void {
    if (!this.isOpen) throw new Error(`shard ${this.id} is closed`);
    const count = offsets.length;
    const chunk = this.#stored.length;
    // Each text is named by one small integer (its chunk and its place in it), so a million restored records
    // are a million numbers in the column, not a million objects.
    if (count > STORED_PER_CHUNK || chunk >= MAX_STORED_CHUNKS) {
      this.restoreRecords(
        splitTexts(bytesOf(stored, this.#loaded), stored.separator, count),
        offsets,
        writtenAt,
        sizes,
      );
      return;
    }
    this.#stored.push(stored);
    const base = chunk * STORED_PER_CHUNK;
    for (let i = 0; i < count; i++) {
      this.#texts.push(base + i);
      this.#offsets.push(offsets[i] as number);
      this.#writtenAt.push(writtenAt[i] as number);
      this.#sizes.push(sizes[i] as number);
    }
  }

  /**
   * Records with these `offsets` (from the shard's start, in order) were written to disk by a snapshot now in
   * place, as one chunk: from now on they are read from there (`load`), and the next snapshot names the chunk
   * (`ref`) again instead of writing them once more. Records already read from an older chunk are pointed here
   * too, so no record names a file that a later compaction deletes (a chunk cut by trimming is written again).
   * Records that trimming sliced away meanwhile are skipped.
   */
  adoptOnDisk(
    offsets: readonly number[],
    chunk: { readonly load: () => Buffer; readonly ref: unknown },
  ): void {
    const count = offsets.length;
    if (count === 0 || count > STORED_PER_CHUNK || this.#stored.length >= MAX_STORED_CHUNKS) return;
    // The first of them still in the columns (trimming may have sliced them since the capture).
    let at = 0;
    let end = this.#offsets.length;
    while (at < end) {
      const mid = (at + end) >>> 1;
      if ((this.#offsets[mid] as number) < (offsets[0] as number)) at = mid + 1;
      else end = mid;
    }
    let place = offsets.indexOf(this.#offsets[at] as number);
    if (place < 0) return;
    const base = this.#stored.length * STORED_PER_CHUNK;
    this.#stored.push({ bytes: undefined, ...chunk, separator: 0x1e, count, bounds: undefined });
    for (; place < count && this.#offsets[at] === offsets[place]; place++, at++)
      this.#texts[at] = base + place;
  }

  close(now: number): void {
    if (!this.isOpen) return;
    // An empty shard closes with Ending equal to Starting, as AWS lists such shards.
    this.#endingSequence = this.#offsets.length === 0 ? this.startingSequence : this.lastSequence;
    this.#closedAt = now;
    onRollback(() => {
      this.#endingSequence = undefined;
      this.#closedAt = undefined;
    });
  }

  /** Takes back the newest record (undo runs newest first, so it is the one `append` added). */
  #dropLast(): void {
    this.#texts.pop();
    this.#offsets.pop();
    this.#writtenAt.pop();
    this.#sizes.pop();
  }

  /** Drops records written before `cutoff` (epoch ms). Returns how many were dropped. */
  trimBefore(cutoff: number): number {
    const start = this.#firstLive;
    while (
      this.#firstLive < this.#writtenAt.length &&
      (this.#writtenAt[this.#firstLive] as number) < cutoff
    ) {
      this.#firstLive += 1;
    }
    const trimmed = this.#firstLive - start;
    // Release memory in chunks rather than shifting the arrays on every trim. The record just before the
    // first live one stays: isTrimmedAfter compares with its sequence number.
    if (this.#firstLive > 1024 && this.#firstLive * 2 > this.#texts.length) {
      const dropped = this.#firstLive - 1;
      this.#texts = this.#texts.slice(dropped);
      this.#offsets = this.#offsets.slice(dropped);
      this.#writtenAt = this.#writtenAt.slice(dropped);
      this.#sizes = this.#sizes.slice(dropped);
      this.#firstLive -= dropped;
      // Once no record names a stored chunk, neither are its bytes kept.
      if (this.#stored.length > 0 && !this.#texts.some((text) => typeof text === 'number')) {
        this.#stored = [];
        this.#loaded.length = 0;
      }
    }
    return trimmed;
  }

  /**
   * True when `sequence` falls within this shard's range: from its StartingSequenceNumber to its last record
   * (or its EndingSequenceNumber). AWS positions AT/AFTER_SEQUENCE_NUMBER iterators at any such number, the
   * starting number included, not only at numbers of records.
   */
  covers(sequence: bigint): boolean {
    const last =
      this.#endingSequence ??
      // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max does not take
      (this.lastSequence > this.startingSequence ? this.lastSequence : this.startingSequence);
    return sequence >= this.startingSequence && sequence <= last;
  }

  /** Up to `limit` records with sequence numbers above `after`, stopping before `maxBytes` of records. */
  read(after: bigint, limit: number, maxBytes: number): RecordTexts {
    const start = this.#indexAfter(after);
    let end = start;
    let bytes = 0;
    while (end < this.#texts.length && end - start < limit) {
      bytes += this.#sizes[end] as number;
      if (end > start && bytes > maxBytes) break;
      end += 1;
    }
    return {
      texts: textsOf(this.#texts, this.#stored, start, end, this.#loaded),
      last: end > start ? this.#sequenceAt(end - 1) : undefined,
    };
  }

  /**
   * The shard's records as they are now, for a snapshot: the column arrays and the range to read. Appends only
   * push beyond `end` and trimming replaces the arrays, so the view stays what it was when taken. It starts at
   * the last trimmed record, if any, so a restored shard trims it again and still knows where trimming ended.
   */
  columns(): {
    /** The texts of records `from` to `to` (exclusive). */
    texts(from: number, to: number): string[];
    /**
     * When record `index` starts a chunk kept on disk: the chunk's `ref` (see `restoreRecordsOnDisk`) and how
     * many records it holds, so a snapshot can name the chunk again instead of writing its texts.
     */
    chunkAt(index: number): { readonly ref: unknown; readonly count: number } | undefined;
    offsets: readonly number[];
    writtenAt: readonly number[];
    sizes: readonly number[];
    start: number;
    end: number;
  } {
    const texts = this.#texts;
    const stored = this.#stored;
    const loaded = this.#loaded;
    return {
      texts: (from, to) => textsOf(texts, stored, from, to, loaded),
      chunkAt: (index) => {
        const text = texts[index];
        if (typeof text !== 'number' || text % STORED_PER_CHUNK !== 0) return undefined;
        const chunk = stored[text / STORED_PER_CHUNK] as StoredTexts;
        return chunk.ref === undefined ? undefined : { ref: chunk.ref, count: chunk.count };
      },
      offsets: this.#offsets,
      writtenAt: this.#writtenAt,
      sizes: this.#sizes,
      start: Math.max(0, this.#firstLive - 1),
      end: this.#texts.length,
    };
  }

  #sequenceAt(index: number): bigint {
    return this.startingSequence + BigInt(this.#offsets[index] as number);
  }

  /** Index of the first live record whose sequence is above `after` (binary search on the offsets). */
  #indexAfter(after: bigint): number {
    const offset = after - this.startingSequence;
    // Every record's offset is at least 1: anything below reads from the first live record.
    if (offset < 1n) return this.#firstLive;
    if (offset > BigInt(Number.MAX_SAFE_INTEGER)) return this.#offsets.length;
    const target = Number(offset);
    let low = this.#firstLive;
    let high = this.#offsets.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#offsets[mid] as number) <= target) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** A snapshot line's record texts, as bytes (see `Shard.restoreStoredRecords`). */
interface StoredTexts {
  /** The texts' bytes: kept for a snapshot line's, loaded while in use for a chunk on disk. */
  bytes: Buffer | undefined;
  /** Reads a chunk on disk (checked against its checksum). */
  readonly load?: () => Buffer;
  /** Names a chunk on disk, for the next snapshot. */
  readonly ref?: unknown;
  readonly separator: number;
  readonly count: number;
  /** Where each text starts, and where the last ends: found at the first read. */
  bounds: Uint32Array | undefined;
}

/** Texts per stored line a number can name (`line * STORED_PER_CHUNK + place`), and lines per shard. */
const STORED_PER_CHUNK = 4096;
const MAX_STORED_CHUNKS = 2 ** 18;

/** Chunks on disk a shard keeps loaded: a reader moving through the shard reads each chunk once. */
const LOADED_CHUNKS = 2;

/** The bytes of a stored chunk, loading one on disk (and letting the oldest loaded one go). */
const bytesOf = (stored: StoredTexts, loaded: StoredTexts[]): Buffer => {
  if (stored.bytes !== undefined) return stored.bytes;
  const bytes = (stored.load as () => Buffer)();
  stored.bytes = bytes;
  loaded.push(stored);
  if (loaded.length > LOADED_CHUNKS) {
    const evicted = loaded.shift() as StoredTexts;
    evicted.bytes = undefined;
  }
  return bytes;
};

const boundsOf = (stored: StoredTexts, bytes: Buffer): Uint32Array => {
  if (stored.bounds !== undefined) return stored.bounds;
  const bounds = new Uint32Array(stored.count + 1);
  let at = 0;
  for (let i = 0; i < stored.count; i++) {
    bounds[i] = at;
    const end = i === stored.count - 1 ? bytes.length : bytes.indexOf(stored.separator, at);
    if (end < 0) throw new Error('eddy: a snapshot line has fewer record texts than records');
    at = end + 1;
  }
  // Past the last text's end as if a separator followed it, like every other text's.
  bounds[stored.count] = bytes.length + 1;
  stored.bounds = bounds;
  return bounds;
};

/** Texts `from` to `to` (exclusive) of a texts column, stored ones decoded. */
const textsOf = (
  texts: readonly (string | number)[],
  stored: readonly StoredTexts[],
  from: number,
  to: number,
  loaded: StoredTexts[],
): string[] => {
  const out = new Array<string>(to - from);
  for (let i = from; i < to; i++) {
    const text = texts[i] as string | number;
    if (typeof text === 'string') {
      out[i - from] = text;
      continue;
    }
    const chunk = stored[Math.floor(text / STORED_PER_CHUNK)] as StoredTexts;
    const place = text % STORED_PER_CHUNK;
    const bytes = bytesOf(chunk, loaded);
    const bounds = boundsOf(chunk, bytes);
    out[i - from] = bytes.toString('utf8', bounds[place], (bounds[place + 1] as number) - 1);
  }
  return out;
};

/** Texts separated by `separator`, as strings (a line too long for `restoreStoredRecords` to name). */
const splitTexts = (bytes: Buffer, separator: number, count: number): string[] => {
  const bounds = boundsOf({ bytes, separator, count, bounds: undefined }, bytes);
  return Array.from({ length: count }, (_, i) =>
    bytes.toString('utf8', bounds[i], (bounds[i + 1] as number) - 1),
  );
};

export type { HashRange, RecordTexts };
export { Shard };
