import type { DynamoDBRecord } from 'aws-lambda';
import { compareSequenceNumbers } from '../../../records/sequenceNumber.js';
import { loadTape } from '../../../tape/readTape.js';
import type { Tape, TapeHeader } from '../../../tape/tapeFormat.js';
import { type Clock, systemClock } from '../../../time/clock.js';
import { lambdaRecordOf } from '../live/toLambdaRecord.js';
import type { RecordSource, ShardPage, ShardReader, SourceShard } from '../RecordSource.js';
import type { StartAt } from '../StartAt.js';

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
}

/**
 * A record as Lambda hands it to a function: the record as GetRecords returned it (the tape keeps it so), plus
 * `eventSourceARN`, and a TTL delete's `userIdentity` spelled `type`/`principalId` as Lambda spells it
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html). The live source's `toLambdaRecord` makes the
 * same record from the SDK's decoded form.
 */

const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber as string;

/**
 * ④ A tape as a record source (`eddy replay TAPE`): the shards of the tape with their lineage (a parent before
 * its children, as the tape's shard lines say), each read in sequence-number order and `ended` once its last
 * record on the tape is handed out, so a mapping over it finishes. Every shard is finite: reading it always
 * reaches `ended`, whether or not the stream's shard was closed when it was recorded. The tape is held in
 * memory (`TapeSource.load` reads it whole).
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
  readonly #records = new Map<string, DynamoDBRecord[]>();
  readonly #speed: number | 'max';
  readonly #clock: Clock;
  /** The earliest ApproximateCreationDateTime on the tape (ms): the replay's time zero. */
  readonly #tapeStartMs: number;
  /** When the first reader opened (ms on the clock): the recorded time zero is replayed then. */
  #replayStartMs: number | undefined;

  constructor(tape: Tape, options: TapeSourceOptions = {}) {
    const speed = options.speed ?? 'max';
    if (speed !== 'max' && !(typeof speed === 'number' && Number.isFinite(speed) && speed > 0))
      throw new RangeError(`speed ${String(speed)}: expected max or a number greater than 0`);
    this.header = tape.header;
    this.#speed = speed;
    this.#clock = options.clock ?? systemClock;
    for (const shard of tape.shards) this.#records.set(shard.shardId, []);
    let earliest = Number.POSITIVE_INFINITY;
    for (const { shardId, record } of tape.records) {
      let records = this.#records.get(shardId);
      if (records === undefined) {
        records = [];
        this.#records.set(shardId, records);
      }
      records.push(lambdaRecordOf(record, tape.header.streamArn));
      const created = record.dynamodb.ApproximateCreationDateTime;
      if (created !== undefined && created * 1000 < earliest) earliest = created * 1000;
    }
    this.#tapeStartMs = Number.isFinite(earliest) ? earliest : 0;
    const listed = new Map(tape.shards.map((s) => [s.shardId, s]));
    this.#shards = [...this.#records.keys()].map((shardId) => {
      const parentShardId = listed.get(shardId)?.parentShardId;
      return { shardId, ...(parentShardId === undefined ? {} : { parentShardId }), closed: true };
    });
  }

  /**
   * Reads a tape file (NDJSON, gzip or not) with `loadTape`'s checks, as a source.
   *
   * @example
   * const source = await TapeSource.load('orders.tape.ndjson', { speed: 2 });
   */
  static async load(path: string, options: TapeSourceOptions = {}): Promise<TapeSource> {
    return new TapeSource(await loadTape(path), options);
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
    let count = 0;
    for (const records of this.#records.values()) count += records.length;
    return count;
  }

  async listShards(): Promise<SourceShard[]> {
    return [...this.#shards];
  }

  reader(shardId: string, startAt: StartAt): ShardReader {
    const records = this.#records.get(shardId) ?? [];
    let next = 0;
    return {
      open: async () => {
        this.#replayStartMs ??= this.#clock.now();
        // LATEST: records written from now on; a tape has none.
        if (startAt.type === 'LATEST') next = records.length;
        if (startAt.type === 'AFTER_SEQUENCE_NUMBER') {
          next = records.findIndex((r) => compareSequenceNumbers(sequenceOf(r), startAt.sequenceNumber) > 0);
          if (next === -1) next = records.length;
        }
      },
      read: async (limit: number): Promise<ShardPage> => {
        let end = Math.min(records.length, next + limit);
        if (this.#speed !== 'max') {
          // Only what is due at this speed: the consumer polls again (as it does a live shard) for the rest.
          const now = this.#clock.now();
          let due = next;
          while (due < end && this.#dueAt(records[due] as DynamoDBRecord) <= now) due += 1;
          end = due;
        }
        const page = next === 0 && end === records.length ? records : records.slice(next, end);
        next = end;
        return { records: page, ended: next >= records.length };
      },
    };
  }

  /** When `record` is due on the clock: its recorded offset from the tape's start, divided by the speed. */
  #dueAt(record: DynamoDBRecord): number {
    const created = record.dynamodb?.ApproximateCreationDateTime;
    const offset = created === undefined ? 0 : created * 1000 - this.#tapeStartMs;
    return (this.#replayStartMs ?? this.#clock.now()) + offset / (this.#speed as number);
  }
}

export type { TapeSourceOptions };
export { TapeSource };
