import type { AttributeMap } from '../../../src/records/attributeValue.js';
import type { StreamViewType } from '../../../src/records/streamRecord.js';
import type { PersistedTableState } from '../dynamodb/controlPlane/TableState.js';
import type { SecondaryIndexDefinition } from '../dynamodb/indexes/SecondaryIndexDefinition.js';
import type { TableDefinition } from '../dynamodb/Table.js';

/**
 * The data dir holds **effects, not requests** (journal format 2). A committed request is written as one line
 * listing the state changes it made, in the order it made them; replaying a line applies those changes and
 * never runs an operation, so a newer Eddy rebuilds exactly the state an older one wrote, whatever its
 * operations now do. (Format 1 journaled requests and replayed them through the operations: a code change
 * could change what a restart rebuilt.) A snapshot is the same vocabulary describing a whole state.
 *
 * Time-driven changes are not effects: a shard rolling over by age, records trimmed after retention and
 * table statuses are functions of the clock, recomputed on replay at each line's instant.
 */
type Effect =
  /** An item stored (its key is its key attributes). */
  | readonly ['put', table: string, item: AttributeMap]
  /**
   * Several items stored (snapshots), each under a key not stored yet, in the table's order; with their
   * `itemSize`s when the snapshot carries them (earlier ones do not: the sizes are measured on restore).
   */
  | readonly ['puts', table: string, items: readonly AttributeMap[], sizes?: readonly number[]]
  /**
   * Several items stored (snapshots), as `puts` does, given by their keys and `itemSize`s; their JSON texts
   * are the line's attachments, in order, kept as text until a read needs them (Table.restoreStoredItems).
   */
  | readonly ['putsText', table: string, keys: readonly AttributeMap[], sizes: readonly number[]]
  /** An item deleted. */
  | readonly ['del', table: string, key: AttributeMap]
  /**
   * A stream record appended: its sequence number, write time (epoch ms), SizeBytes, and its JSON text as
   * GetRecords sends it, which is the line's attachment number `text`.
   */
  | readonly [
      'rec',
      streamArn: string,
      shardId: string,
      sequence: string,
      writtenAt: number,
      sizeBytes: number,
      text: number,
    ]
  /**
   * Several records of one shard (snapshots), as columns: sequence numbers as offsets from the shard's
   * StartingSequenceNumber, write times, SizeBytes; their texts are the line's attachments, in order.
   */
  | readonly [
      'recs',
      streamArn: string,
      shardId: string,
      offsets: readonly number[],
      writtenAt: readonly number[],
      sizes: readonly number[],
    ]
  /**
   * Several records of one shard (snapshots since records files), as `recs` columns, whose texts are a chunk
   * of a records file beside the snapshot (RecordFiles.ts): bytes `at` to `at + length` of `file`, joined by
   * `\x1e`, with their CRC-32. A restart leaves them there until a read needs them.
   */
  | readonly [
      'recsAt',
      streamArn: string,
      shardId: string,
      offsets: readonly number[],
      writtenAt: readonly number[],
      sizes: readonly number[],
      chunk: { readonly file: string; readonly at: number; readonly length: number; readonly crc: number },
    ]
  /** A shard created (a new stream's, a rollover's or a split's child); not one created by age. */
  | readonly ['shard', streamArn: string, shard: ShardMeta]
  /** A shard closed at an instant (a rollover, a split, a stream disabled). */
  | readonly ['close', streamArn: string, shardId: string, closedAt: number]
  /** A stream's settings after a change: created, disabled, tagged. Comes before its shards. */
  | readonly ['stream', stream: StreamMeta]
  /** A table's settings after a control-plane change (CreateTable, UpdateTable, TTL, tags, stream). */
  | readonly ['table', table: TableMeta]
  /** A table deleted (DeleteTable); it shows DELETING until `goneAt`. */
  | readonly ['drop', table: string, goneAt: number];

/** One line: the effects of one request (or one chunk of a snapshot) in one account's region. */
interface EffectLine {
  /** The instant the request ran at: the clock replayed effects see. */
  readonly n: number;
  readonly a: string;
  readonly r: string;
  readonly e: readonly Effect[];
}

interface ShardMeta {
  readonly id: string;
  readonly parentId?: string;
  readonly start: string;
  readonly createdAt: number;
  readonly low: number;
  readonly high: number;
}

interface StreamMeta {
  readonly arn: string;
  readonly tableName: string;
  readonly keySchema: readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  readonly viewType: StreamViewType;
  readonly createdAt: number;
  readonly status: 'ENABLED' | 'DISABLED';
  readonly tags: readonly (readonly [string, string])[];
}

/** Everything it takes to build a table again, items aside. */
interface TableMeta {
  readonly definition: Omit<TableDefinition, 'indexes' | 'region' | 'accountId'>;
  readonly id: string;
  /** The indexes it has now (UpdateTable's changes included), in creation order. */
  readonly indexes: readonly SecondaryIndexDefinition[];
  readonly state: PersistedTableState;
  /** The TTL attribute while TTL is enabled. */
  readonly ttl: string | null;
  /** DescribeTable's LatestStreamArn. */
  readonly latestStream: string | null;
}

/** The header of a data dir file. */
interface FileHeader {
  readonly format: 'eddy-journal' | 'eddy-snapshot';
  readonly version: 2;
  /**
   * A journal's generation, or for a snapshot the generation of the first journal it does not include: a
   * restart applies the snapshot, then every journal of that generation or later.
   */
  readonly generation: number;
  /** Snapshots: the emulator's last sequence number, as text. */
  readonly sequence?: string;
  /** Snapshots: when the state was taken. */
  readonly at?: number;
}

export type { Effect, EffectLine, FileHeader, ShardMeta, StreamMeta, TableMeta };
