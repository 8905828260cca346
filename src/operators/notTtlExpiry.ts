import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import { isTtlExpiryRecord } from '../records/isTtlExpiryRecord.js';

/**
 * Drops the REMOVE records made by DynamoDB's Time to Live and keeps every other record: writes and deletes
 * by users and applications. Use it where an expiry is housekeeping rather than a business event (a
 * replica or an audit log that should not record expiries as deletions). Records filtered out count as
 * handled. The opposite is `isTtlExpiry`.
 *
 * ```
 * items:   --I--R--X--M--X--|   notTtlExpiry()     X: a REMOVE by TTL, R: a REMOVE by a user
 * result:  --I--R-----M-----|
 * ```
 *
 * @example
 * pipe(removes<Order>(), notTtlExpiry(), processEach((item) => recordCancellation(item.oldImage)))
 */
const notTtlExpiry = <T extends Item = Item>(): MonoTypeOperatorFunction<StreamItem<T>> =>
  filter((item) => !isTtlExpiryRecord(item.record));

export { notTtlExpiry };
