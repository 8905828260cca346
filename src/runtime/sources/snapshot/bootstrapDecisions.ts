// The bootstrap's decisions, pure: time in, verdict out. The algorithm and why it is exact are described on
// `SnapshotSource`; these are its steps, one function each, so tests can pin each of them.

/** DynamoDB Streams keep records 24 hours (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html). */
const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * The cut: the first whole second after the bootstrap starts (epoch seconds), or the first multiple of
 * `granularity` seconds where the source stamps records coarser (DynamoDB Local floors
 * ApproximateCreationDateTime to the minute: 60). A stream record whose ApproximateCreationDateTime is at or
 * after it is *tracked*: processed as a change after the snapshot. Every record before it is in the state the
 * snapshot describes.
 *
 * @example
 * cutSecondOf(1_700_000_000_400); // 1700000001
 */
const cutSecondOf = (nowMs: number, granularity = 1): number =>
  (Math.floor(nowMs / 1000 / granularity) + 1) * granularity;

/**
 * When the first Scan may be sent: once every write whose record predates the cut has been made, allowing
 * `graceMs` for the clocks of this process and DynamoDB to differ.
 *
 * @example
 * scanMayStartAt(1700000001, 1000); // 1700000002000
 */
const scanMayStartAt = (cutSecond: number, graceMs: number): number => cutSecond * 1000 + graceMs;

/**
 * The last second of a Scan page's window (its request to its response), widened to whole seconds and by
 * `graceMs`: a write the page may reflect has a record created at or before this second.
 *
 * @example
 * windowEndSecond(1_700_000_005_200, 1000); // 1700000007
 */
const windowEndSecond = (responseAtMs: number, graceMs: number, granularity = 1): number =>
  Math.ceil((responseAtMs + graceMs) / 1000 / granularity) * granularity;

/**
 * How far the bootstrap has read one shard: whether it ended, the newest ApproximateCreationDateTime read,
 * and when the last read that found nothing new was sent (the shard's tip then).
 */
interface ShardProgress {
  readonly ended: boolean;
  readonly newestSecond: number | undefined;
  readonly tipReadAtMs: number | undefined;
}

/**
 * Whether every record created at or before `second` has been read from a shard: it ended, or a later record was
 * read (records of a shard are read in order), or a read sent after the last write stamped `second` (`second`
 * plus the stamps' `granularity`, plus `graceMs` for the record to reach the stream) found nothing more.
 *
 * @example
 * shardPassed({ ended: false, newestSecond: 12, tipReadAtMs: undefined }, 11, 1000); // true
 */
const shardPassed = (progress: ShardProgress, second: number, graceMs: number, granularity = 1): boolean =>
  progress.ended ||
  (progress.newestSecond !== undefined && progress.newestSecond > second) ||
  (progress.tipReadAtMs !== undefined && progress.tipReadAtMs >= (second + granularity) * 1000 + graceMs);

/**
 * What to do with a scanned row: emit it as the item's state at the cut, or leave the item to the stream (its
 * first tracked record's old image is that state, and it comes through the stream's side). Decided once every
 * shard has passed the page's window end.
 *
 * @example
 * rowVerdict(undefined, 1700000007); // 'emit': no change of this item since the cut
 * rowVerdict(1700000003, 1700000007); // 'superseded'
 */
const rowVerdict = (firstTrackedSecond: number | undefined, windowEnd: number): 'emit' | 'superseded' =>
  firstTrackedSecond !== undefined && firstTrackedSecond <= windowEnd ? 'superseded' : 'emit';

/**
 * How the bootstrap stands against the stream's 24 h retention: how long ago the cut was (the oldest record it
 * still has to process is that old), how long is left before records could be trimmed, and whether that is
 * less than `marginMs`, the time the live side needs to process what was tracked.
 *
 * @example
 * retentionOf(Date.now(), cutSecond, 60 * 60 * 1000).tooClose; // false at first
 */
const retentionOf = (
  nowMs: number,
  cutSecond: number,
  marginMs: number,
  retentionMs: number = STREAM_RETENTION_MS,
): { readonly behindMs: number; readonly leftMs: number; readonly tooClose: boolean } => {
  const behindMs = Math.max(0, nowMs - cutSecond * 1000);
  const leftMs = retentionMs - behindMs;
  return { behindMs, leftMs, tooClose: leftMs <= marginMs };
};

export type { ShardProgress };
export {
  cutSecondOf,
  retentionOf,
  rowVerdict,
  STREAM_RETENTION_MS,
  scanMayStartAt,
  shardPassed,
  windowEndSecond,
};
