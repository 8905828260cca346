import { closeSync, openSync, read, unlinkSync, write } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DynamoDBRecord } from 'aws-lambda';

const readAt = promisify(read);
const writeAt = promisify(write);

/** Past this many records a tape source stops holding records as objects and spools them to a file. */
const SPOOL_AFTER = 100_000;
/** Spooled text is written in pieces of about this size. */
const WRITE_BYTES = 4 * 1024 * 1024;

/** A growable array of numbers, 8 bytes each: a spooled shard's offsets, lengths and creation times. */
class Numbers {
  #values = new Float64Array(64);
  length = 0;

  push(value: number): void {
    if (this.length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.length] = value;
    this.length += 1;
  }

  at(index: number): number {
    return this.#values[index] as number;
  }
}

/** One shard's records: objects while the tape is small, then offsets of their JSON text in the spool file. */
interface ShardStore {
  readonly held: DynamoDBRecord[];
  /** Epoch seconds (NaN without ApproximateCreationDateTime), for every record, held or spooled. */
  readonly created: Numbers;
  offsets?: Numbers;
  lengths?: Numbers;
}

/** The spool: an unlinked temporary file (the system frees it when it is closed, or the process ends). */
interface Spool {
  readonly fd: number;
  size: number;
  pending: string[];
  pendingBytes: number;
}

// A source that is dropped without close() still gives its descriptor back.
const spools = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/**
 * The records of a tape source, shard by shard, in memory up to `spoolAfter` records and on disk past that:
 * a capture of a busy table (millions of records) replays in bounded memory, about 24 bytes a record for its
 * place in the file, instead of the record's object (close to 900 bytes). Records are written as the Lambda
 * records the source hands out, so reading one back is a JSON parse.
 *
 * @example
 * const records = new TapeRecords();
 * await records.add('shardId-1', lambdaRecord);
 * const page = await records.slice('shardId-1', 0, 100);
 * await records.close();
 */
class TapeRecords {
  readonly #shards = new Map<string, ShardStore>();
  readonly #spoolAfter: number;
  #count = 0;
  #spool: Spool | undefined;
  #closed = false;

  constructor(options: { readonly spoolAfter?: number } = {}) {
    this.#spoolAfter = options.spoolAfter ?? SPOOL_AFTER;
  }

  /** How many records there are. */
  get count(): number {
    return this.#count;
  }

  /** Whether records went to the spool file (the tape was larger than `spoolAfter`). */
  get spooled(): boolean {
    return this.#spool !== undefined;
  }

  /** Makes sure `shardId` is known (a shard line without records yet). */
  shard(shardId: string): void {
    if (!this.#shards.has(shardId)) this.#shards.set(shardId, { held: [], created: new Numbers() });
  }

  shardIds(): string[] {
    return [...this.#shards.keys()];
  }

  /** Adds the next record of `shardId` (records of a shard come in sequence-number order). */
  async add(shardId: string, record: DynamoDBRecord): Promise<void> {
    this.shard(shardId);
    const store = this.#shards.get(shardId) as ShardStore;
    store.created.push(record.dynamodb?.ApproximateCreationDateTime ?? Number.NaN);
    this.#count += 1;
    if (this.#spool === undefined) {
      store.held.push(record);
      if (this.#count > this.#spoolAfter) await this.#startSpooling();
      return;
    }
    await this.#append(store, record);
  }

  /** Writes what is still buffered: call once every record is added. */
  async flush(): Promise<void> {
    const spool = this.#spool;
    if (spool === undefined || spool.pending.length === 0) return;
    const bytes = Buffer.from(spool.pending.join(''));
    spool.pending = [];
    spool.pendingBytes = 0;
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await writeAt(spool.fd, bytes, written, bytes.length - written, null);
      written += bytesWritten;
    }
  }

  /** How many records `shardId` has. */
  length(shardId: string): number {
    return this.#shards.get(shardId)?.created.length ?? 0;
  }

  /** The ApproximateCreationDateTime (epoch seconds) of a shard's `index`th record; NaN without one. */
  createdAt(shardId: string, index: number): number {
    return this.#shards.get(shardId)?.created.at(index) ?? Number.NaN;
  }

  /** The records `start` to `end` (exclusive) of `shardId`. */
  async slice(shardId: string, start: number, end: number): Promise<DynamoDBRecord[]> {
    const store = this.#shards.get(shardId);
    if (store === undefined || end <= start) return [];
    const spool = this.#spool;
    if (spool === undefined || store.offsets === undefined) return store.held.slice(start, end);
    if (this.#closed) throw new Error('TapeSource: read after close()');
    const offsets = store.offsets;
    const lengths = store.lengths as Numbers;
    const records: DynamoDBRecord[] = [];
    // Records of one shard usually sit one after another in the file: one read per run.
    let run = start;
    while (run < end) {
      let last = run;
      while (last + 1 < end && offsets.at(last) + lengths.at(last) === offsets.at(last + 1)) last += 1;
      const from = offsets.at(run);
      const bytes = Buffer.allocUnsafe(offsets.at(last) + lengths.at(last) - from);
      let got = 0;
      while (got < bytes.length) {
        const { bytesRead } = await readAt(spool.fd, bytes, got, bytes.length - got, from + got);
        if (bytesRead === 0) throw new Error('TapeSource: the spool file ended early');
        got += bytesRead;
      }
      let at = 0;
      for (let i = run; i <= last; i += 1) {
        const length = lengths.at(i);
        records.push(JSON.parse(bytes.toString('utf8', at, at + length)) as DynamoDBRecord);
        at += length;
      }
      run = last + 1;
    }
    return records;
  }

  /** Closes the spool file (removed already; this frees it). Reads afterwards fail. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const spool = this.#spool;
    if (spool === undefined) return;
    spools.unregister(this);
    closeSync(spool.fd);
  }

  async #startSpooling(): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'eddy-tape-'));
    const path = join(dir, 'records.ndjson');
    const fd = openSync(path, 'w+');
    // Unlinked at once: nothing is left behind, whatever ends the process.
    unlinkSync(path);
    await rm(dir, { recursive: true, force: true });
    this.#spool = { fd, size: 0, pending: [], pendingBytes: 0 };
    spools.register(this, fd, this);
    for (const store of this.#shards.values()) {
      const held = store.held.splice(0);
      store.offsets = new Numbers();
      store.lengths = new Numbers();
      for (const record of held) await this.#append(store, record);
    }
  }

  async #append(store: ShardStore, record: DynamoDBRecord): Promise<void> {
    const spool = this.#spool as Spool;
    store.offsets ??= new Numbers();
    store.lengths ??= new Numbers();
    const text = JSON.stringify(record);
    const bytes = Buffer.byteLength(text);
    store.offsets.push(spool.size);
    store.lengths.push(bytes);
    spool.size += bytes;
    spool.pending.push(text);
    spool.pendingBytes += bytes;
    if (spool.pendingBytes >= WRITE_BYTES) await this.flush();
  }
}

export { TapeRecords };
