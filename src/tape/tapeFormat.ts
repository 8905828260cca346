import type { StreamRecord, StreamViewType } from '../records/streamRecord.js';

/**
 * The `format` of a tape's header line: what tells a tape from any other NDJSON file.
 *
 * @example
 * const isTape = (header: { format?: unknown }) => header.format === TAPE_FORMAT;
 */
const TAPE_FORMAT = 'eddy-tape';

/**
 * The format version this eddy writes and reads. A reader refuses a higher version (written by a newer eddy)
 * instead of guessing at fields it does not know.
 *
 * @example
 * if (header.version > TAPE_VERSION) console.log('written by a newer eddy');
 */
const TAPE_VERSION = 1;

/**
 * One attribute of the table's key, as DescribeStream and DescribeTable return it
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_KeySchemaElement.html).
 *
 * @example
 * const keySchema: TapeKeySchemaElement[] = [{ AttributeName: 'orderId', KeyType: 'HASH' }];
 */
interface TapeKeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

/**
 * How the records got onto the tape: read from a stream with GetRecords (`eddy record`), imported from a
 * Lambda event, or built by the test kit; from and until as asked, and when.
 *
 * @example
 * const recording: TapeRecording = { source: 'GetRecords', tool: 'eddy 0.1.0', startedAt: '2026-01-01T00:00:00.000Z',
 *   from: 'trim-horizon', until: 'now', untilTime: '2026-01-01T00:00:00.000Z' };
 */
interface TapeRecording {
  readonly source: 'GetRecords' | 'lambda-event' | 'test-kit';
  /** The program that wrote the tape and its version, e.g. `eddy 0.1.0`. */
  readonly tool: string;
  /** When the recording started (ISO-8601 UTC). */
  readonly startedAt: string;
  /** `--from` as given: `trim-horizon`, `latest`, an ISO time or a sequence number. */
  readonly from?: string;
  /** `--until` as given: `now`, an ISO time or `follow`. */
  readonly until?: string;
  /** The time `until` stands for (ISO-8601 UTC): records created after this second are not on the tape. */
  readonly untilTime?: string;
  /** The endpoint the stream was read at, when it was not AWS's default. */
  readonly endpoint?: string;
}

/**
 * The first line of every tape: the format and its version, the stream the records come from and how they
 * were recorded.
 *
 * @example
 * const header: TapeHeader = {
 *   type: 'header', format: 'eddy-tape', version: 1,
 *   streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
 *   region: 'us-east-1', tableName: 'orders', keySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
 *   streamViewType: 'NEW_AND_OLD_IMAGES',
 *   recording: { source: 'GetRecords', tool: 'eddy 0.1.0', startedAt: '2026-01-01T00:00:00.000Z' },
 * };
 */
interface TapeHeader {
  readonly type: 'header';
  readonly format: typeof TAPE_FORMAT;
  readonly version: number;
  readonly streamArn: string;
  readonly region: string;
  readonly tableName: string;
  readonly keySchema: readonly TapeKeySchemaElement[];
  readonly streamViewType: StreamViewType;
  readonly recording: TapeRecording;
}

/**
 * A shard of the stream and its place in the lineage. A shard gets a line before its first record, and
 * another when it is seen closed; each line repeats what is known of the shard, and the last one wins.
 * `firstSeenOpenAt` and `firstSeenClosedAt` are when the recorder saw it so (DynamoDB Streams does not say
 * when a shard opened or closed, https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Shard.html).
 *
 * @example
 * const shard: TapeShard = { type: 'shard', shardId: 'shardId-00000001767225600000-1a2b3c4d',
 *   sequenceNumberRange: { StartingSequenceNumber: '100000000000000000001' } };
 */
interface TapeShard {
  readonly type: 'shard';
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly sequenceNumberRange: {
    readonly StartingSequenceNumber?: string;
    /** Present once the shard is closed. */
    readonly EndingSequenceNumber?: string;
  };
  readonly firstSeenOpenAt?: string;
  readonly firstSeenClosedAt?: string;
}

/**
 * One stream record exactly as GetRecords returned it, in its JSON form (epoch seconds, binary as base64), and
 * the shard it was read from.
 *
 * @example
 * for await (const line of readTape('orders.tape.ndjson.gz')) {
 *   if (line.type === 'record') console.log(line.shardId, line.record.dynamodb.SequenceNumber);
 * }
 */
interface TapeRecord {
  readonly type: 'record';
  readonly shardId: string;
  readonly record: StreamRecord;
}

/**
 * The last line of a tape that was closed cleanly: when and why the recording stopped, and what it holds. A
 * tape without one was cut short (the recorder was killed); everything before the cut is still valid.
 *
 * @example
 * const end: TapeEnd = { type: 'end', endedAt: '2026-01-01T00:01:00.000Z', reason: 'interrupted', records: 42, shards: 3 };
 */
interface TapeEnd {
  readonly type: 'end';
  readonly endedAt: string;
  /**
   * `until`: every shard was read to `--until`; `interrupted`: stopped by a signal; `complete`: all input
   * written; `failed`: the recording stopped on an error (the records before it are on the tape).
   */
  readonly reason: 'until' | 'interrupted' | 'complete' | 'failed';
  readonly records: number;
  readonly shards: number;
}

/**
 * Any line of a tape.
 *
 * @example
 * const describe = (line: TapeLine) => (line.type === 'record' ? line.record.eventName : line.type);
 */
type TapeLine = TapeHeader | TapeShard | TapeRecord | TapeEnd;

/**
 * A whole tape in memory: its header, each shard as its last line says, the records in tape order, and the
 * end line if it has one. For small tapes (tests, Lambda events); big ones are read line by line with
 * `readTape`.
 *
 * @example
 * const tape: Tape = await loadTape('orders.tape.ndjson');
 * console.log(`${tape.records.length} records from ${tape.header.tableName}`);
 */
interface Tape {
  readonly header: TapeHeader;
  readonly shards: readonly TapeShard[];
  readonly records: readonly TapeRecord[];
  readonly end?: TapeEnd;
}

export type {
  Tape,
  TapeEnd,
  TapeHeader,
  TapeKeySchemaElement,
  TapeLine,
  TapeRecord,
  TapeRecording,
  TapeShard,
};
export { TAPE_FORMAT, TAPE_VERSION };
