import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';

/**
 * Keeps the INSERT records: the new items. Records filtered out count as handled.
 * The same as `ofEventName('INSERT')`.
 *
 * ```
 * items:   --I--M--R--I--|   inserts()
 * result:  --I--------I--|
 * ```
 *
 * @example
 * pipe(inserts<Order>(), processEach((item) => sendConfirmation(item.newImage)))
 */
const inserts = <T extends Item = Item>(): MonoTypeOperatorFunction<StreamItem<T>> =>
  filter((item) => item.eventName === 'INSERT');

export { inserts };
