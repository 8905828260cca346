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
import { EarlierRecordFailedError } from '../pipeline/errors.js';
import { InvocationFailures } from '../pipeline/InvocationFailures.js';
import { type RecordOutcome, SUPERSEDED } from '../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';

/**
 * How many items `processEach` (and the operators built on it) work on at the same time.
 *
 * @example
 * processEach((item) => sendToSearchIndex(item.newImage), { concurrency: 4 });
 */
interface ProcessEachOptions {
  /** How many items are processed at the same time; records of one item always run one after another. @default 16 */
  readonly concurrency?: number;
}

/**
 * Runs an effect for every record and emits its outcome. Records of the same item run in stream order, one at
 * a time; different items run concurrently. A failing effect becomes a failed outcome, never an error of the
 * pipeline, and once a record of an item fails, the item's later records in the batch are failed without
 * running (applying them would reorder the item's changes). That includes failures reported upstream through
 * the invocation's side channel (a record `decodeWith` refused, say): the item's later records are failed with
 * an {@link EarlierRecordFailedError} instead of running. Failures are also reported to that channel, so
 * `defineWindowedHandler` pipelines, which emit state rather than outcomes, see them. An effect whose last
 * value is {@link SUPERSEDED} found its work already done: its outcome is ok and marked `superseded`.
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
        let failed: { readonly sequenceNumber: string; readonly error: unknown } | undefined;
        return itemRecords.pipe(
          concatMap((item): ObservableInput<RecordOutcome> => {
            const base = { sequenceNumber: item.sequenceNumber, itemKey: item.itemKey };
            const invocation = InvocationFailures.of(item);
            const fail = (error: unknown): RecordOutcome => {
              invocation?.report(item, error);
              return { ...base, ok: false as const, error };
            };
            const earlier = failed ?? invocation?.earlierFailure(item);
            if (earlier !== undefined) {
              return of(fail(new EarlierRecordFailedError(earlier.sequenceNumber, earlier.error)));
            }
            return defer(() => effect(item)).pipe(
              last(null, undefined),
              map((value) =>
                value === SUPERSEDED
                  ? { ...base, ok: true as const, superseded: true as const }
                  : { ...base, ok: true as const },
              ),
              catchError((error: unknown) => {
                failed = { sequenceNumber: item.sequenceNumber, error };
                return of(fail(error));
              }),
            );
          }),
        );
      }, options.concurrency ?? 16),
    );

export type { ProcessEachOptions };
export { processEach };
