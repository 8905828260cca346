import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';

/**
 * Keeps the MODIFY records: the updated items. Records filtered out count as handled.
 * The same as `ofEventName('MODIFY')`; to keep only the updates that changed given attributes, see `changed`.
 *
 * ```
 * items:   --I--M--R--I--|   modifies()
 * result:  -----M--------|
 * ```
 *
 * @example
 * pipe(modifies<Order>(), processEach((item) => reindex(item.newImage)))
 */
const modifies = <T extends Item = Item>(): MonoTypeOperatorFunction<StreamItem<T>> =>
  filter((item) => item.eventName === 'MODIFY');

export { modifies };
