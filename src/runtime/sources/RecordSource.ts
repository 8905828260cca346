import type { DynamoDBRecord } from 'aws-lambda';
import type { StartAt } from './StartAt.js';

/**
 * A shard as the stages see it: its id, its parent (read to its end before it), and whether it is closed
 * (it has an end, so reading it reaches `ended`).
 *
 * @example
 * const child: SourceShard = { shardId: 'shardId-2', parentShardId: 'shardId-1', closed: false };
 */
interface SourceShard {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly closed: boolean;
}

/**
 * One read from a shard: the next records in stream order (possibly none yet), and whether the shard has
 * ended (nothing will ever follow the records returned).
 *
 * @example
 * const page: ShardPage = { records: [], ended: false }; // nothing new yet
 */
interface ShardPage {
  readonly records: readonly DynamoDBRecord[];
  readonly ended: boolean;
}

/**
 * Reads one shard in order from where it was told to start. Every record comes once per reader, in sequence
 * order; a read after `ended` is never made. Transient errors are the reader's to retry; what it throws
 * stops the shard's consumer, which restarts from its checkpoint.
 *
 * @example
 * const reader = source.reader('shardId-1', { type: 'TRIM_HORIZON' });
 * await reader.open(signal);
 * const { records, ended } = await reader.read(100, signal);
 */
interface ShardReader {
  /** Takes the reader's place in the shard: with LATEST, records written after this resolves are read. */
  open(signal: AbortSignal): Promise<void>;
  /** At most `limit` next records. */
  read(limit: number, signal: AbortSignal): Promise<ShardPage>;
}

/**
 * ④ Where records come from: shards with their lineage (a parent before its children) and a reader per
 * shard. Live DynamoDB streams are one source (`sources/live/LiveShardSource`); a tape, a bounded range or a
 * table snapshot plug into the same stages by implementing this.
 *
 * @example
 * const source: RecordSource = new LiveShardSource({ client, streamArn, ...observability });
 * for (const shard of await source.listShards()) console.log(shard.shardId, shard.parentShardId);
 */
interface RecordSource {
  /**
   * Every shard of this source ends and nothing is added while it is read (a tape, a bounded range): a
   * tumbling window closes on its records (a record of a later window, or the shard's end), not on the clock,
   * since the records may be much older than now. Live streams leave it unset.
   */
  readonly finite?: boolean;
  /** The shards there are now, parents listed with their children while they are still readable. */
  listShards(): Promise<SourceShard[]>;
  reader(shardId: string, startAt: StartAt): ShardReader;
  /**
   * The source's own figures (a snapshot's progress: segments done, items scanned…), reported with the
   * mapping's metrics under `source` and in its metrics log lines. Live streams leave it unset.
   */
  metrics?(): Readonly<Record<string, number>>;
}

export type { RecordSource, ShardPage, ShardReader, SourceShard };
