import { RecordNotInInvocationError } from './errors.js';
import { type FailedOutcome, InvocationFailures } from './InvocationFailures.js';
import type { StreamItem } from './StreamItem.js';

/**
 * Reports a record as failed through its invocation's side channel, for operators that drop a bad record
 * instead of passing it on (see `defineStreamHandler`). The handler lists the record, and every later record of
 * its item in the batch, in `batchItemFailures`; `processEach` will not run the item's later records.
 *
 * Throws {@link RecordNotInInvocationError} for an item that no handler invocation is processing (a pipeline
 * run outside `defineStreamHandler` / `defineWindowedHandler`): a failure must never vanish.
 *
 * @example
 * const positiveTotals = <T extends Item>(): MonoTypeOperatorFunction<StreamItem<T>> =>
 *   filter((item) => {
 *     if (Number(item.newImage?.total) >= 0) return true;
 *     failRecord(item, new Error(`negative total in ${item.sequenceNumber}`));
 *     return false;
 *   });
 */
const failRecord = (item: StreamItem, error: unknown): FailedOutcome => {
  const failures = InvocationFailures.of(item);
  if (failures === undefined) throw new RecordNotInInvocationError(item);
  return failures.report(item, error);
};

export { failRecord };
