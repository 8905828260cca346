import {
  catchError,
  concatMap,
  defer,
  groupBy,
  last,
  map,
  mergeMap,
  type ObservableInput,
  type OperatorFunction,
  of,
  ReplaySubject,
} from 'rxjs';
import type { RecordOutcome } from '../handler/RecordOutcome.js';
import type { Item, StreamItem } from '../handler/StreamItem.js';

interface ProcessEachOptions {
  /** How many items are processed at the same time; records of one item always run one after another. @default 16 */
  readonly concurrency?: number;
}

/**
 * Runs an effect for every record and emits its outcome. Records of the same item run in stream order, one at
 * a time; different items run concurrently. A failing effect becomes a failed outcome, never an error of the
 * pipeline, and once a record of an item fails, the item's later records in the batch are failed without
 * running (applying them would reorder the item's changes).
 *
 * ```
 * items:     --a1--b1--a2--b2--|      b1's effect fails
 * outcomes:  --✓a1--✗b1--✓a2--✗b2--|  b2 is failed without running; a2 is unaffected
 * ```
 *
 * @example
 * pipe(processEach((item) => sendToSearchIndex(item.newImage)))
 */
const processEach =
  <T extends Item = Item>(
    effect: (item: StreamItem<T>) => ObservableInput<unknown>,
    options: ProcessEachOptions = {},
  ): OperatorFunction<StreamItem<T>, RecordOutcome> =>
  (items) =>
    items.pipe(
      // Groups wait their turn under the concurrency limit; the replay connector keeps their records meanwhile.
      groupBy((item) => item.itemKey, { connector: () => new ReplaySubject<StreamItem<T>>() }),
      mergeMap((itemRecords) => {
        let failed: unknown;
        let hasFailed = false;
        return itemRecords.pipe(
          concatMap((item): ObservableInput<RecordOutcome> => {
            const base = { sequenceNumber: item.sequenceNumber, itemKey: item.itemKey };
            if (hasFailed) {
              return of({
                ...base,
                ok: false as const,
                error: new Error('an earlier record of this item failed', { cause: failed }),
              });
            }
            return defer(() => effect(item)).pipe(
              last(null, undefined),
              map(() => ({ ...base, ok: true as const })),
              catchError((error: unknown) => {
                hasFailed = true;
                failed = error;
                return of({ ...base, ok: false as const, error });
              }),
            );
          }),
        );
      }, options.concurrency ?? 16),
    );

export type { ProcessEachOptions };
export { processEach };
