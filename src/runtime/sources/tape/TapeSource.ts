import type { DynamoDBRecord } from 'aws-lambda';
import { compareSequenceNumbers } from '../../../records/sequenceNumber.js';
import { readTape } from '../../../tape/readTape.js';
import type { Tape, TapeHeader, TapeLine, TapeShard } from '../../../tape/tapeFormat.js';
import { type Clock, systemClock } from '../../../time/clock.js';
import { lambdaRecordOf } from '../live/toLambdaRecord.js';
import type { RecordSource, ShardPage, ShardReader, SourceShard } from '../RecordSource.js';
import type { StartAt } from '../StartAt.js';
import { TapeRecords } from './TapeRecords.js';

/**
 * How a `TapeSource` hands out its records: as fast as the stages take them (`speed: 'max'`), or at `speed`
 * times the pace they were recorded at (the gaps between their `ApproximateCreationDateTime`s, divided by
 * `speed`), timed on `clock`.
 *
 * @example
 * const options: TapeSourceOptions = { speed: 10 }; // ten times faster than it happened
 */
interface TapeSourceOptions {
  /**
   * `max`: no waiting; a number N > 0: N× the recorded pace, counted from when the first reader opens (so a
   * paced source serves one replay; at `max` one source serves any number). @default 'max'
   */
  readonly speed?: number | 'max';
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Past this many records, `TapeSource.load` keeps them in a temporary file instead of memory (about 24
   * bytes a record stay in memory instead of close to 900). @default 100000
   */
  readonly spoolAfter?: number;
}

const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber as string;

/** What a tape source is made of: its header, its shards' lineage, and its records (held or spooled). */
interface TapeContents {
  readonly header: TapeHeader;
  readonly shards: readonly TapeShard[];
  readonly records: TapeRecords;
  /** The earliest ApproximateCreationDateTime (ms), or +Infinity. */
  readonly earliestMs: number;
}

/**
 * Reads tape lines into a source's contents: each record as Lambda hands it to a function (the record as
 * GetRecords returned it, which the tape keeps, plus `eventSourceARN`, and a TTL delete's `userIdentity` spelled
 * as Lambda spells it: https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html), converted once here.
 */
const contentsOf = async (
  lines: AsyncIterable<TapeLine> | Iterable<TapeLine>,
  spoolAfter: number | undefined,
): Promise<TapeContents> => {
  let header: TapeHeader | undefined;
  const shards = new Map<string, TapeShard>();
  const records = new TapeRecords(spoolAfter === undefined ? {} : { spoolAfter });
  let earliest = Number.POSITIVE_INFINITY;
  try {
    for await (const line of lines) {
      if (line.type === 'header') header = line;
      else if (line.type === 'shard') {
        shards.set(line.shardId, { ...shards.get(line.shardId), ...line });
        records.shard(line.shardId);
      } else if (line.type === 'record') {
        const created = line.record.dynamodb.ApproximateCreationDateTime;
        if (created !== undefined && created * 1000 < earliest) earliest = created * 1000;
        await records.add(line.shardId, lambdaRecordOf(line.record, (header as TapeHeader).streamArn));
      }
    }
    await records.flush();
  } catch (error) {
    await records.close();
    throw error;
  }
  return { header: header as TapeHeader, shards: [...shards.values()], records, earliestMs: earliest };
};

/** A tape already in memory, as a source's contents (synchronously: no spooling). */
const contentsOfTape = (tape: Tape): TapeContents => {
  const records = new TapeRecords({ spoolAfter: Number.POSITIVE_INFINITY });
  let earliest = Number.POSITIVE_INFINITY;
  for (const shard of tape.shards) records.shard(shard.shardId);
  for (const { shardId, record } of tape.records) {
    const created = record.dynamodb.ApproximateCreationDateTime;
    if (created !== undefined && created * 1000 < earliest) earliest = created * 1000;
    // Never spools (spoolAfter is infinite), so add completes at once.
    void records.add(shardId, lambdaRecordOf(record, tape.header.streamArn));
  }
  return { header: tape.header, shards: tape.shards, records, earliestMs: earliest };
};

/**
 * ④ A tape as a record source (`eddy replay TAPE`): the shards of the tape with their lineage (a parent before
 * its children, as the tape's shard lines say), each read in sequence-number order and `ended` once its last
 * record on the tape is handed out, so a mapping over it finishes. Every shard is finite: reading it always
 * reaches `ended`, whether or not the stream's shard was closed when it was recorded. `TapeSource.load` reads
 * the tape once; a large tape's records go to a temporary file (past `spoolAfter`), so memory stays bounded
 * whatever the capture's size; `close()` frees it.
 *
 * @example
 * import { EventSourceMapping, TapeSource, inProcessInvoker } from 'eddy/runtime';
 *
 * const source = await TapeSource.load('orders.tape.ndjson.gz', { speed: 'max' });
 * const mapping = new EventSourceMapping({ mappingId: 'replay', streamArn: source.streamArn, source,
 *   invoker: inProcessInvoker(handler), config: { StartingPosition: 'TRIM_HORIZON' } });
 * mapping.start();
 * await mapping.drained();
 * await mapping.stop();
 */
class TapeSource implements RecordSource {
  /** Every shard ends: tumbling windows close on the tape's records, not on the clock. */
  readonly finite = true;
  /** The tape's header: the stream, table, key schema and how it was recorded. */
  readonly header: TapeHeader;
  readonly #shards: readonly SourceShard[];
  readonly #records: TapeRecords;
  readonly #speed: number | 'max';
  readonly #clock: Clock;
  /** The earliest ApproximateCreationDateTime on the tape (ms): the replay's time zero. */
  readonly #tapeStartMs: number;
  /** When the first reader opened (ms on the clock): the recorded time zero is replayed then. */
  #replayStartMs: number | undefined;

  /** A tape already in memory (a test kit's, an event's) as a source; `TapeSource.load` reads a file. */
  constructor(tape: Tape | TapeContents, options: TapeSourceOptions = {}) {
    const speed = options.speed ?? 'max';
    if (speed !== 'max' && !(typeof speed === 'number' && Number.isFinite(speed) && speed > 0))
      throw new RangeError(`speed ${String(speed)}: expected max or a number greater than 0`);
    const contents =
      tape.records instanceof TapeRecords ? (tape as TapeContents) : contentsOfTape(tape as Tape);
    this.header = contents.header;
    this.#speed = speed;
    this.#clock = options.clock ?? systemClock;
    this.#records = contents.records;
    this.#tapeStartMs = Number.isFinite(contents.earliestMs) ? contents.earliestMs : 0;
    const listed = new Map(contents.shards.map((s) => [s.shardId, s]));
    this.#shards = this.#records.shardIds().map((shardId) => {
      const parentShardId = listed.get(shardId)?.parentShardId;
      return { shardId, ...(parentShardId === undefined ? {} : { parentShardId }), closed: true };
    });
  }

  /**
   * Reads a tape file (NDJSON, gzip or not) with `readTape`'s checks, as a source. Past `spoolAfter` records
   * the records wait in a temporary file rather than in memory.
   *
   * @example
   * const source = await TapeSource.load('orders.tape.ndjson', { speed: 2 });
   */
  static async load(path: string, options: TapeSourceOptions = {}): Promise<TapeSource> {
    return TapeSource.from(readTape(path), options);
  }

  /**
   * Tape lines (checked ones: `readTape`'s) as a source, spooled to a temporary file past `spoolAfter` records.
   *
   * @example
   * const source = await TapeSource.from(readTape(process.stdin), { speed: 'max' });
   */
  static async from(
    lines: AsyncIterable<TapeLine> | Iterable<TapeLine>,
    options: TapeSourceOptions = {},
  ): Promise<TapeSource> {
    return new TapeSource(await contentsOf(lines, options.spoolAfter), options);
  }

  /** Frees the temporary file of a spooled tape; reading afterwards fails. */
  async close(): Promise<void> {
    await this.#records.close();
  }

  /** Whether the records wait in a temporary file (the tape had more than `spoolAfter`). */
  get spooled(): boolean {
    return this.#records.spooled;
  }

  /** The stream the tape was recorded from: the `eventSourceARN` of its records. */
  get streamArn(): string {
    return this.header.streamArn;
  }

  /** When the tape's oldest record was created (epoch ms, from `ApproximateCreationDateTime`); undefined without records. */
  get oldestCreatedAt(): number | undefined {
    return this.recordCount === 0 ? undefined : this.#tapeStartMs;
  }

  /** How many records the tape holds. */
  get recordCount(): number {
    return this.#records.count;
  }

  async listShards(): Promise<SourceShard[]> {
    return [...this.#shards];
  }

  reader(shardId: string, startAt: StartAt): ShardReader {
    const records = this.#records;
    const length = records.length(shardId);
    let next = 0;
    return {
      open: async () => {
        this.#replayStartMs ??= this.#clock.now();
        // LATEST: records written from now on; a tape has none.
        if (startAt.type === 'LATEST') next = length;
        if (startAt.type === 'AFTER_SEQUENCE_NUMBER') {
          // The first record past the checkpoint: a shard's records are in sequence-number order.
          let low = 0;
          let high = length;
          while (low < high) {
            const middle = (low + high) >>> 1;
            const [record] = await records.slice(shardId, middle, middle + 1);
            if (compareSequenceNumbers(sequenceOf(record as DynamoDBRecord), startAt.sequenceNumber) > 0)
              high = middle;
            else low = middle + 1;
          }
          next = low;
        }
      },
      read: async (limit: number): Promise<ShardPage> => {
        let end = Math.min(length, next + limit);
        if (this.#speed !== 'max') {
          // Only what is due at this speed: the consumer polls again (as it does a live shard) for the rest.
          const now = this.#clock.now();
          let due = next;
          while (due < end && this.#dueAt(records.createdAt(shardId, due)) <= now) due += 1;
          end = due;
        }
        const page = await records.slice(shardId, next, end);
        next = end;
        return { records: page, ended: next >= length };
      },
    };
  }

  /** When a record created at `created` (epoch s) is due on the clock: its offset from the tape's start / speed. */
  #dueAt(created: number): number {
    const offset = Number.isNaN(created) ? 0 : created * 1000 - this.#tapeStartMs;
    return (this.#replayStartMs ?? this.#clock.now()) + offset / (this.#speed as number);
  }
}

export type { TapeContents, TapeSourceOptions };
export { TapeSource };
