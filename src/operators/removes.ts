import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';

/**
 * Keeps the REMOVE records: the deleted items, TTL expiries included (see `notTtlExpiry`). Records
 * filtered out count as handled. The same as `ofEventName('REMOVE')`.
 *
 * ```
 * items:   --I--M--R--I--|   removes()
 * result:  --------R-----|
 * ```
 *
 * @example
 * pipe(removes<Order>(), notTtlExpiry(), processEach((item) => archive(item.oldImage)))
 */
const removes = <T extends Item = Item>(): MonoTypeOperatorFunction<StreamItem<T>> =>
  filter((item) => item.eventName === 'REMOVE');

export { removes };
