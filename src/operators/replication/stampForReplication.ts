import type { Item } from '../../pipeline/StreamItem.js';
import { type CollectionTtl, collectionAttributes } from '../collectionTtl.js';
import { TOMBSTONE_ATTRIBUTE } from '../isTombstone.js';

/**
 * The attributes that order the versions of a replicated item (last writer wins): the version (epoch
 * milliseconds of the write), then the region it was written in, then a random write id, compared in that
 * order. Every write to a replicated table carries all three.
 *
 * @example
 * const { eddy_origin, eddy_version, eddy_write_id, ...order } = row; // REPLICATION_ATTRIBUTES lists these names
 */
const REPLICATION_ATTRIBUTES = {
  /** The region the write was made in (S). */
  origin: 'eddy_origin',
  /** When the write was made, epoch milliseconds (N). */
  version: 'eddy_version',
  /** A random id that orders two writes of one region in the same millisecond (S). */
  writeId: 'eddy_write_id',
} as const;

/**
 * The stamp attributes `stampForReplication` adds.
 *
 * @example
 * const stamp: ReplicationStamp = stampForReplication(order, { region: 'eu-west-1' });
 */
interface ReplicationStamp {
  readonly eddy_origin: string;
  readonly eddy_version: number;
  readonly eddy_write_id: string;
}

/**
 * The writing region and, for a delete, the tombstone's TTL that `stampForReplication` puts on a write.
 *
 * @example
 * await client.send(new PutItemCommand({ TableName: 'orders', Item: marshall(stampForReplication(order, { region: 'us-east-1' })) }));
 */
interface StampOptions {
  /** The region the write is made in: the region of the client that writes it. */
  readonly region: string;
  /** The write's time, epoch milliseconds. @default Date.now() */
  readonly now?: number;
  /**
   * Makes the write a delete: the result is a tombstone (`item` should then be the key). Writing a tombstone
   * instead of calling DeleteItem orders the delete to the millisecond; a DeleteItem is turned into a tombstone
   * by the replicator with the stream record's time, which is only precise to the second.
   * @default false
   */
  readonly deleted?: boolean;
  /** For a tombstone: lets the table's TTL collect it, as the replicator's `tombstoneTtl` does. */
  readonly tombstoneTtl?: CollectionTtl;
  /** The write id. @default crypto.randomUUID() */
  readonly writeId?: string;
}

/**
 * Stamps an item for a table that `replicate` keeps identical across regions: adds the region it is written in,
 * the version (the write's time) and a write id, which decide which write wins a conflict (last writer wins).
 * Use it for every write: a PutItem writes the stamped item; an UpdateItem sets the three attributes of
 * {@link REPLICATION_ATTRIBUTES} from a stamp (`stampForReplication({}, { region })`). A write that is not
 * stamped fails in the replicator, which cannot place it.
 *
 * @example
 * await east.send(new PutItemCommand({
 *   TableName: 'accounts',
 *   Item: marshall(stampForReplication({ id: 'a-1', balance: 10 }, { region: 'us-east-1' })),
 * }));
 * // a delete that wins or loses to the millisecond:
 * await east.send(new PutItemCommand({
 *   TableName: 'accounts',
 *   Item: marshall(stampForReplication({ id: 'a-1' }, { region: 'us-east-1', deleted: true })),
 * }));
 */
const stampForReplication = <T extends Item>(item: T, options: StampOptions): T & ReplicationStamp => {
  const version = options.now ?? Date.now();
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new RangeError(`stampForReplication: now must be epoch milliseconds, got ${version}`);
  }
  if (options.region === '') throw new TypeError('stampForReplication: region must name a region');
  const { [TOMBSTONE_ATTRIBUTE]: _deleted, ...rest } = item as Item;
  const ttl = options.tombstoneTtl;
  if (ttl !== undefined) delete rest[ttl.attribute];
  return {
    ...rest,
    [REPLICATION_ATTRIBUTES.origin]: options.region,
    [REPLICATION_ATTRIBUTES.version]: version,
    [REPLICATION_ATTRIBUTES.writeId]: options.writeId ?? globalThis.crypto.randomUUID(),
    ...(options.deleted === true
      ? { [TOMBSTONE_ATTRIBUTE]: true, ...collectionAttributes(ttl, version / 1000) }
      : {}),
  } as T & ReplicationStamp;
};

export type { ReplicationStamp, StampOptions };
export { REPLICATION_ATTRIBUTES, stampForReplication };
