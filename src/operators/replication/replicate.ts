import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { OperatorFunction } from 'rxjs';
import { describeRecord } from '../../pipeline/errors.js';
import type { RecordOutcome } from '../../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../../pipeline/StreamItem.js';
import type { AttributeMap } from '../../records/attributeValue.js';
import { isTtlExpiryRecord } from '../../records/isTtlExpiryRecord.js';
import { type CollectionTtl, checkCollectionTtl, collectionAttributes } from '../collectionTtl.js';
import { TOMBSTONE_ATTRIBUTE } from '../isTombstone.js';
import { type ProcessEachOptions, processEach } from '../processEach.js';
import { requireNewAndOldImages } from '../StreamViewTypeError.js';
import { compareStamps, putIfNewer, type Stamp, stampOf } from './lastWriterWins.js';
import { REPLICATION_ATTRIBUTES } from './stampForReplication.js';

/**
 * Another region's copy of the table.
 *
 * @example
 * const replica: ReplicaRegion = { region: 'eu-west-1', client: new DynamoDBClient({ region: 'eu-west-1' }) };
 */
interface ReplicaRegion {
  readonly region: string;
  /** A client for that region. */
  readonly client: DynamoDBClient;
  /** The table's name there. @default the replicator's `tableName` */
  readonly tableName?: string;
}

/**
 * The source table and region, the replicas to copy writes to, and the tombstones' TTL.
 *
 * @example
 * replicate({
 *   tableName: 'orders',
 *   region: 'us-east-1',
 *   client,
 *   replicas: [{ region: 'eu-west-1', client: new DynamoDBClient({ region: 'eu-west-1' }) }],
 * });
 */
interface ReplicateOptions extends ProcessEachOptions {
  /** The replicated table: the table whose stream this replicator reads. */
  readonly tableName: string;
  /** The region of that table and stream: the writes this replicator forwards are the ones made here. */
  readonly region: string;
  /** A client for `region`: deletes become tombstones there, and lost conflicts are undone there. */
  readonly client: DynamoDBClient;
  /** The other regions, each of which runs a replicator of its own stream towards the rest. */
  readonly replicas: readonly ReplicaRegion[];
  /**
   * Lets each region's TTL collect tombstones this long after the delete (enable TTL on this attribute in every
   * region). Make it longer than a region may be cut off from the others: a tombstone collected before a late
   * older write arrives cannot refuse it. @default tombstones are kept
   */
  readonly tombstoneTtl?: CollectionTtl;
}

/**
 * A write to a replicated table that does not carry the stamp `replicate` orders writes by.
 *
 * @example
 * // Every write to a replicated table goes through stampForReplication; one that did not fails its record:
 * if (error instanceof UnstampedWriteError) console.error(error.sequenceNumber, error.message);
 */
class UnstampedWriteError extends Error {
  readonly sequenceNumber: string;

  constructor(item: StreamItem) {
    super(
      `${describeRecord(item)}: the new image has no ${REPLICATION_ATTRIBUTES.origin} and ` +
        `${REPLICATION_ATTRIBUTES.version}, so replicate cannot order it against other regions' writes; ` +
        'write every item of a replicated table with stampForReplication',
    );
    this.name = 'UnstampedWriteError';
    this.sequenceNumber = item.sequenceNumber;
  }
}

/**
 * Keeps one table identical in several regions, every region taking writes (active-active), from the stream of
 * one region. Run one replicator per region, each reading its own region's stream and writing to the others.
 *
 * - **Versions.** Applications stamp every write with {@link stampForReplication}: the origin region, the
 *   version (the write's time, epoch ms) and a write id. Versions are totally ordered, version first, then
 *   origin region, then write id, so every region picks the same winner of a conflict: **last writer wins**.
 * - **Conditional writes.** A version is put in another region only if the item there has a lower one, so
 *   replaying, duplicating or reordering records never moves an item backwards, and writing a version twice
 *   changes nothing (idempotent).
 * - **No loops.** A replicator forwards only versions whose origin is its own region. The versions it writes
 *   into other regions carry their origin, so those regions' replicators skip their records.
 * - **Deletes are tombstones.** A DeleteItem in this region is turned into a tombstone here (the key,
 *   `eddy_deleted: true`, a version one above the deleted one or the stream record's time, whichever is
 *   higher, and the `tombstoneTtl` attribute), which is then replicated like any write. A deleted item would
 *   remember no version, and a late older write would bring it back. Delete with
 *   `stampForReplication(key, { region, deleted: true })` to order the delete to the millisecond.
 * - **Lost local conflicts are undone.** Application writes are not conditional: one with an older version
 *   than the item it replaced (a clock behind another region's, a restore of old items) loses, so the
 *   replicator puts the newer version back, from the record's old image, conditionally like any write.
 * - TTL deletes are not replicated: each region's TTL collects its own copy (enable it in every region).
 *
 * Readers treat tombstones as absent (`isTombstone`, or `attribute_not_exists(eddy_deleted)` in a filter).
 * After the writes stop and the replicators drain, every region holds the same items, tombstones included.
 *
 * Needs StreamViewType NEW_AND_OLD_IMAGES: a record from any other stream fails with a
 * `StreamViewTypeError` that names the stream's view type.
 *
 * ```
 * east stream:  --w1(east,t1)--w2(west,t2)--R(k)--|       w2 was written here by west's replicator
 * to west:      --put w1 if older---(skip)--tomb(east,t3) put here, then forwarded from its own record
 * ```
 *
 * @example
 * export const handler = defineStreamHandler(
 *   replicate({
 *     tableName: 'accounts',
 *     region: 'us-east-1',
 *     client: new DynamoDBClient({ region: 'us-east-1' }),
 *     replicas: [{ region: 'eu-west-1', client: new DynamoDBClient({ region: 'eu-west-1' }) }],
 *     tombstoneTtl: { attribute: 'expiresAt', seconds: 7 * 24 * 3600 },
 *   }),
 * );
 */
const replicate = <T extends Item = Item>(
  options: ReplicateOptions,
): OperatorFunction<StreamItem<T>, RecordOutcome> => {
  checkCollectionTtl(options.tombstoneTtl, 'replicate: tombstoneTtl');
  if (options.replicas.some((replica) => replica.region === options.region)) {
    throw new TypeError(`replicate: replicas must be other regions than ${options.region}`);
  }
  return processEach<T>(async (item) => {
    requireNewAndOldImages(item, 'replicate');
    const region = item.record.awsRegion;
    if (region !== undefined && region !== options.region) {
      throw new Error(
        `${describeRecord(item)} comes from the stream of ${region}, and this replicator forwards the writes ` +
          `of ${options.region}: give each region's stream a replicator with its own region`,
      );
    }
    if (isTtlExpiryRecord(item.record)) return;
    const data = item.record.dynamodb ?? {};
    const oldImage = data.OldImage as AttributeMap | undefined;
    const previous = stampOf(oldImage);
    if (item.eventName === 'REMOVE') {
      const tombstone = tombstoneFor(item, previous, options);
      await putIfNewer(options.client, options.tableName, tombstone.image, tombstone.stamp);
      return;
    }
    const newImage = data.NewImage as AttributeMap;
    const stamp = stampOf(newImage);
    if (stamp === undefined) throw new UnstampedWriteError(item);
    if (previous !== undefined && compareStamps(previous, stamp) > 0) {
      // An unconditional write replaced a newer version: it lost the conflict, so the newer version goes back.
      await putIfNewer(options.client, options.tableName, oldImage as AttributeMap, previous);
      return;
    }
    // Written here by another region's replicator: that region forwards it. A bootstrap snapshot record is this
    // table's copy of the item, whatever its origin, and a new region has it from nowhere else.
    if (stamp.origin !== options.region && item.snapshot !== true) return;
    await Promise.all(
      options.replicas.map((replica) =>
        putIfNewer(replica.client, replica.tableName ?? options.tableName, newImage, stamp),
      ),
    );
  }, options);
};

/**
 * The tombstone a DeleteItem becomes. Its version is derived from the record alone, so a replayed delete makes
 * the same tombstone: above the deleted version (the delete came after it), and at least the record's time.
 */
const tombstoneFor = (
  item: StreamItem,
  previous: Stamp | undefined,
  options: ReplicateOptions,
): { image: AttributeMap; stamp: Stamp } => {
  const recordedAt = Math.floor((item.approximateCreationDateTime ?? 0) * 1000);
  const stamp: Stamp = {
    version: Math.max(recordedAt, previous === undefined ? 0 : previous.version + 1),
    origin: options.region,
    writeId: `delete-${item.sequenceNumber}`,
  };
  const ttl = collectionAttributes(options.tombstoneTtl, stamp.version / 1000);
  const image: AttributeMap = {
    ...(item.record.dynamodb?.Keys as AttributeMap),
    [REPLICATION_ATTRIBUTES.origin]: { S: stamp.origin },
    [REPLICATION_ATTRIBUTES.version]: { N: String(stamp.version) },
    [REPLICATION_ATTRIBUTES.writeId]: { S: stamp.writeId },
    [TOMBSTONE_ATTRIBUTE]: { BOOL: true },
    ...Object.fromEntries(Object.entries(ttl).map(([name, value]) => [name, { N: String(value) }])),
  };
  return { image, stamp };
};

export type { ReplicaRegion, ReplicateOptions };
export { replicate, UnstampedWriteError };
