/**
 * How the emulator's streams behave. AWS does not let you choose these; the defaults follow what AWS does
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html), and tests shrink them to exercise
 * rollover, lineage and retention quickly.
 *
 * @example
 * // Rollover after 100 records, to exercise shard lineage in a test.
 * await startEmulator({ port: 0, streams: { shardCount: 2, rolloverAfterRecords: 100 } });
 */
interface StreamSettings {
  /** Open shards per new stream. AWS sizes this by table partitions; a new table has one. @default 1 */
  readonly shardCount: number;
  /** An open shard closes (and gets a child) after this long. AWS: about four hours. @default 4 h */
  readonly rolloverAfterMs: number;
  /** …or once it holds this many records. @default 100 000 */
  readonly rolloverAfterRecords: number;
  /** Records older than this are trimmed. AWS: 24 hours. @default 24 h */
  readonly retentionMs: number;
}

const DEFAULT_STREAM_SETTINGS: StreamSettings = {
  shardCount: 1,
  rolloverAfterMs: 4 * 60 * 60 * 1000,
  rolloverAfterRecords: 100_000,
  retentionMs: 24 * 60 * 60 * 1000,
};

export type { StreamSettings };
export { DEFAULT_STREAM_SETTINGS };
