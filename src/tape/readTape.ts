import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { compareSequenceNumbers } from '../records/sequenceNumber.js';
import { TapeFormatError } from './TapeFormatError.js';
import type { Tape, TapeEnd, TapeHeader, TapeLine, TapeRecord, TapeShard } from './tapeFormat.js';
import { LineProblem, validateTapeLine } from './validateTapeLine.js';

/** The two bytes every gzip member starts with (RFC 1952, section 2.3.1). */
const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** The bytes of `source`, gunzipped when they start with gzip's magic bytes (whatever the file is named). */
const plainBytes = async (source: AsyncIterable<Uint8Array>): Promise<Readable> => {
  const iterator = source[Symbol.asyncIterator]();
  let first = await iterator.next();
  // A first chunk of 1 byte cannot show the magic: read on until 2 bytes or the end.
  let head = first.done === true ? new Uint8Array() : Buffer.from(first.value);
  while (head.length < 2 && first.done !== true) {
    first = await iterator.next();
    if (first.done !== true) head = Buffer.concat([head, Buffer.from(first.value)]);
  }
  const rest = async function* () {
    if (head.length > 0) yield head;
    if (first.done === true) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  };
  const bytes = Readable.from(rest(), { objectMode: false });
  if (!isGzip(head)) return bytes;
  const gunzip = createGunzip();
  bytes.on('error', (error) => gunzip.destroy(error));
  return bytes.pipe(gunzip);
};

/** The rules between lines: header first, shards before their records, order within and across shards. */
class TapeOrder {
  readonly #name: string;
  #header = false;
  #ended = false;
  readonly #parents = new Map<string, string | undefined>();
  readonly #lastSequence = new Map<string, string>();
  /** Shards whose children have records on the tape already: they may get no more records. */
  readonly #succeeded = new Map<string, string>();

  constructor(name: string) {
    this.#name = name;
  }

  check(line: TapeLine, lineNumber: number): void {
    const fail = (field: string, problem: string) => {
      throw new TapeFormatError(this.#name, lineNumber, field, problem);
    };
    if (this.#ended) fail('type', 'a line after the end line: the end line is the last line of a tape');
    if (!this.#header && line.type !== 'header')
      fail('type', 'the first line of a tape is its header (type "header")');
    switch (line.type) {
      case 'header':
        if (this.#header) fail('type', 'a second header: a tape has one, on its first line');
        this.#header = true;
        return;
      case 'shard': {
        const known = this.#parents.get(line.shardId);
        if (this.#parents.has(line.shardId) && known !== line.parentShardId)
          fail(
            'parentShardId',
            `shard ${line.shardId} was given parent ${known ?? '(none)'} on an earlier line`,
          );
        this.#parents.set(line.shardId, line.parentShardId);
        return;
      }
      case 'record': {
        const { shardId } = line;
        if (!this.#parents.has(shardId))
          fail('shardId', `shard ${shardId} has no shard line before its first record`);
        const child = this.#succeeded.get(shardId);
        if (child !== undefined)
          fail(
            'shardId',
            `a record of shard ${shardId} after records of its child ${child}: a tape keeps parents before children`,
          );
        const parent = this.#parents.get(shardId);
        if (parent !== undefined && !this.#succeeded.has(parent)) this.#succeeded.set(parent, shardId);
        const sequenceNumber = line.record.dynamodb.SequenceNumber;
        const previous = this.#lastSequence.get(shardId);
        if (previous !== undefined && compareSequenceNumbers(sequenceNumber, previous) <= 0)
          fail(
            'record.dynamodb.SequenceNumber',
            `${sequenceNumber} does not follow ${previous}: a shard's records are in sequence-number order`,
          );
        this.#lastSequence.set(shardId, sequenceNumber);
        return;
      }
      case 'end':
        this.#ended = true;
    }
  }

  finish(lineNumber: number): void {
    if (!this.#header)
      throw new TapeFormatError(this.#name, lineNumber, '', 'an empty file: a tape has a header line');
  }
}

/**
 * Reads a tape line by line, checking each against the format (`tape.schema.json`) and the order rules (header
 * first; a shard's line before its records; a shard's records in sequence-number order; no record of a parent
 * shard after one of its children). Gzip is recognised by its magic bytes, whatever the file is called. Memory
 * stays flat: one line at a time. A bad line throws a TapeFormatError naming the line number and the field.
 *
 * @example
 * import { readTape } from 'eddy/runtime';
 *
 * for await (const line of readTape('orders.tape.ndjson.gz')) {
 *   if (line.type === 'header') console.log(`stream ${line.streamArn}`);
 *   if (line.type === 'record') console.log(line.shardId, line.record.eventName, line.record.dynamodb.Keys);
 * }
 */
async function* readTape(
  source: string | AsyncIterable<Uint8Array>,
  options: { readonly name?: string } = {},
): AsyncGenerator<TapeLine> {
  const name = options.name ?? (typeof source === 'string' ? source : 'tape');
  const input = await plainBytes(typeof source === 'string' ? createReadStream(source) : source);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const order = new TapeOrder(name);
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber += 1;
      if (text.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new TapeFormatError(name, lineNumber, '', `not JSON (${(error as Error).message})`);
      }
      let line: TapeLine;
      try {
        line = validateTapeLine(parsed);
      } catch (error) {
        if (!(error instanceof LineProblem)) throw error;
        throw new TapeFormatError(name, lineNumber, error.field, error.message);
      }
      order.check(line, lineNumber);
      yield line;
    }
  } catch (error) {
    if (error instanceof TapeFormatError) throw error;
    // zlib's "unexpected end of file": a gzip tape cut short (the recorder was killed mid-write).
    throw new TapeFormatError(name, lineNumber + 1, '', `cannot be read: ${(error as Error).message}`);
  } finally {
    lines.close();
    input.destroy();
  }
  order.finish(lineNumber + 1);
}

/**
 * Reads a whole tape into memory (for small tapes: tests, Lambda events), with the checks of `readTape`. Each
 * shard appears once, as its last line describes it, in the order of its first line.
 *
 * @example
 * import { loadTape } from 'eddy/runtime';
 *
 * const tape = await loadTape('orders.tape.ndjson');
 * console.log(tape.header.tableName, tape.records.length, tape.end?.reason ?? 'cut short');
 */
const loadTape = async (
  source: string | AsyncIterable<Uint8Array>,
  options: { readonly name?: string } = {},
): Promise<Tape> => {
  let header: TapeHeader | undefined;
  let end: TapeEnd | undefined;
  const shards = new Map<string, TapeShard>();
  const records: TapeRecord[] = [];
  for await (const line of readTape(source, options)) {
    if (line.type === 'header') header = line;
    else if (line.type === 'shard') shards.set(line.shardId, { ...shards.get(line.shardId), ...line });
    else if (line.type === 'record') records.push(line);
    else end = line;
  }
  return {
    header: header as TapeHeader,
    shards: [...shards.values()],
    records,
    ...(end === undefined ? {} : { end }),
  };
};

export { loadTape, readTape };
