import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import type { EventName } from '../records/streamRecord.js';

/**
 * Keeps the records of the given event names. Records filtered out count as handled.
 *
 * ```
 * items:   --I--M--R--I--|   ofEventName('INSERT')
 * result:  --I--------I--|
 * ```
 *
 * @example
 * pipe(ofEventName<Order>('INSERT', 'REMOVE'), processEach(audit));
 */
const ofEventName = <T extends Item = Item>(...names: EventName[]): MonoTypeOperatorFunction<StreamItem<T>> =>
  filter((item) => names.includes(item.eventName));

export { ofEventName };
