import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { StreamRecord } from '../records/streamRecord.js';
import { TAPE_FORMAT, TAPE_VERSION, type TapeEnd, type TapeHeader, type TapeShard } from './tapeFormat.js';

/**
 * Where a TapeWriter writes: a file (gzip when its name ends in `.gz`), or any Node stream.
 *
 * @example
 * const target: TapeTarget = { path: 'orders.tape.ndjson.gz' };
 */
type TapeTarget = { readonly path: string } | { readonly stream: Writable; readonly gzip?: boolean };

/**
 * The header's fields besides the format and version, which the writer fills in.
 *
 * @example
 * const fields: TapeHeaderFields = { streamArn, region: 'us-east-1', tableName: 'orders',
 *   keySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }], streamViewType: 'NEW_IMAGE',
 *   recording: { source: 'GetRecords', tool: 'eddy 0.1.0', startedAt: new Date().toISOString() } };
 */
type TapeHeaderFields = Omit<TapeHeader, 'type' | 'format' | 'version'>;

/**
 * Writes a tape line by line: the header when opened, then shard and record lines, then the end line on
 * `close`. Writes wait when the disk is slower than the stream (backpressure), so memory stays flat however
 * long the recording. A tape whose name ends in `.gz` is gzipped.
 *
 * @example
 * import { TapeWriter } from 'eddy/runtime';
 *
 * const tape = await TapeWriter.open({ path: 'orders.tape.ndjson.gz' }, header);
 * await tape.shard({ shardId, sequenceNumberRange: { StartingSequenceNumber: '100000000000000000001' } });
 * await tape.record(shardId, record);
 * await tape.close('complete');
 */
class TapeWriter {
  readonly #out: Writable;
  readonly #file: Writable;
  #bytes = 0;
  #records = 0;
  readonly #shards = new Set<string>();
  #closed = false;

  private constructor(out: Writable, file: Writable) {
    this.#out = out;
    this.#file = file;
  }

  /** Opens the target and writes the header line. */
  static async open(target: TapeTarget, header: TapeHeaderFields): Promise<TapeWriter> {
    const file = 'path' in target ? createWriteStream(target.path) : target.stream;
    if ('path' in target) await once(file, 'open');
    const gzip = 'path' in target ? target.path.endsWith('.gz') : target.gzip === true;
    let out = file;
    if (gzip) {
      const zip = createGzip();
      zip.pipe(file);
      out = zip;
    }
    const writer = new TapeWriter(out, file);
    await writer.#line({ type: 'header', format: TAPE_FORMAT, version: TAPE_VERSION, ...header });
    return writer;
  }

  /** Bytes of NDJSON written so far (before compression). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Record lines written so far. */
  get records(): number {
    return this.#records;
  }

  /** Shards with a line on the tape so far. */
  get shards(): number {
    return this.#shards.size;
  }

  /** Whether `shardId` has a line on the tape already. */
  hasShard(shardId: string): boolean {
    return this.#shards.has(shardId);
  }

  /** A shard line: before a shard's first record, and again when it is seen closed. */
  shard(shard: Omit<TapeShard, 'type'>): Promise<void> {
    this.#shards.add(shard.shardId);
    return this.#line({ type: 'shard', ...shard });
  }

  /** A record as GetRecords returned it (JSON form), read from `shardId`. */
  record(shardId: string, record: StreamRecord): Promise<void> {
    this.#records += 1;
    return this.#line({ type: 'record', shardId, record });
  }

  /** Writes the end line, flushes and closes the file. Safe to call twice (the second call does nothing). */
  async close(reason: TapeEnd['reason'], endedAt = new Date()): Promise<void> {
    if (this.#closed) return;
    await this.#line({
      type: 'end',
      endedAt: endedAt.toISOString(),
      reason,
      records: this.#records,
      shards: this.#shards.size,
    } satisfies TapeEnd);
    this.#closed = true;
    const finished = once(this.#file, 'finish');
    this.#out.end();
    await finished;
  }

  async #line(line: object): Promise<void> {
    if (this.#closed) throw new Error('eddy: this tape is closed; open a new TapeWriter to write more');
    const text = `${JSON.stringify(line)}\n`;
    this.#bytes += Buffer.byteLength(text);
    if (!this.#out.write(text)) await once(this.#out, 'drain');
  }
}

export type { TapeHeaderFields, TapeTarget };
export { TapeWriter };
