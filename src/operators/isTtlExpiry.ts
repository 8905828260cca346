import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import { isTtlExpiryRecord } from '../records/isTtlExpiryRecord.js';

/**
 * Keeps the REMOVE records made by DynamoDB's Time to Live: the items that expired, deleted by the service
 * (`userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' }`), not by a user's DeleteItem.
 * Their `oldImage` is the expired item when the stream has OLD_IMAGE or NEW_AND_OLD_IMAGES. Records filtered
 * out count as handled. The opposite is `notTtlExpiry`.
 *
 * ```
 * items:   --I--R--X--M--X--|   isTtlExpiry()      X: a REMOVE by TTL, R: a REMOVE by a user
 * result:  --------X-----X--|
 * ```
 *
 * @example
 * pipe(isTtlExpiry<Session>(), processEach((item) => archiveExpiredSession(item.oldImage)))
 */
const isTtlExpiry = <T extends Item = Item>(): MonoTypeOperatorFunction<StreamItem<T>> =>
  filter((item) => isTtlExpiryRecord(item.record));

export { isTtlExpiry };
