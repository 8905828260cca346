import type { Observable, ObservableInput } from 'rxjs';
import type { Item, StreamItem } from './StreamItem.js';

/**
 * What a window pipeline knows about its invocation, besides the records.
 *
 * @example
 * const count = (items: Observable<StreamItem>, { state }: WindowInvocation<{ orders: number }>) =>
 *   items.pipe(reduce((s) => ({ orders: s.orders + 1 }), state));
 * defineWindowedHandler(count, { initialState: () => ({ orders: 0 }) });
 */
interface WindowInvocation<S extends object> {
  /** The window's state so far: the last invocation's answer, or the initial state on the first invocation. */
  readonly state: S;
  readonly window: { readonly start: string; readonly end: string };
  readonly isFinalInvokeForWindow: boolean;
  readonly isWindowTerminatedEarly: boolean;
  readonly shardId: string;
  readonly eventSourceARN: string;
}

/**
 * A window pipeline: the invocation's records and the window's state in, the new state out (its last value).
 *
 * @example
 * const countOrders: WindowPipeline<{ orders: number }> = (items, { state }) =>
 *   items.pipe(reduce((s) => ({ orders: s.orders + 1 }), state));
 * export const handler = defineWindowedHandler(countOrders, { initialState: () => ({ orders: 0 }) });
 */
type WindowPipeline<S extends object, T extends Item = Item> = (
  records: Observable<StreamItem<T>>,
  invocation: WindowInvocation<S>,
) => ObservableInput<S>;

export type { WindowInvocation, WindowPipeline };
