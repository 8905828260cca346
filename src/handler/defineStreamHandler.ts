import type { DynamoDBBatchResponse, DynamoDBStreamEvent, DynamoDBStreamHandler } from 'aws-lambda';
import { from, lastValueFrom, type OperatorFunction, toArray } from 'rxjs';
import { type FailedOutcome, InvocationFailures } from '../pipeline/InvocationFailures.js';
import type { RecordOutcome } from '../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import { setInvocationStats } from '../records/invocationStats.js';
import { compareSequenceNumbers } from '../records/sequenceNumber.js';

// How record failures reach batchItemFailures
//
// Two paths, merged here per invocation:
//   1. Outcomes: the pipeline's effect operators (processEach, project) emit a RecordOutcome per record.
//   2. A side channel: operators that refuse a record before any effect (decodeWith, changed, newImage,
//      oldImage, failRecord) drop it and report it to the invocation's InvocationFailures, found from the record.
//
// Why a side channel rather than a pipeline element of `StreamItem | RecordOutcome`: with the union every
// operator between the refusing one and the effect (filters, maps, the user's own) would have to pass failures
// through untouched, and a user's `map` or `filter` would drop or break them silently; with the channel the
// pipeline carries only valid, plainly typed items, `processEach`/`project` keep their contract, and the same
// channel serves defineWindowedHandler, whose pipeline emits state instead of outcomes. The channel is keyed by
// the record object rather than by subscription, so it works in any operator, inner observables included, and
// several invocations at once never mix (a record object already held by a live invocation is bound as a copy).

/**
 * A handler pipeline: stream items in, one outcome per processed record out.
 *
 * @example
 * const pipeline: StreamPipeline<Order> = pipe(inserts(), processEach((item) => notify(item.newImage)));
 * export const handler = defineStreamHandler(pipeline);
 */
type StreamPipeline<T extends Item = Item> = OperatorFunction<StreamItem<T>, RecordOutcome>;

/**
 * How a stream handler reports the records its pipeline failed.
 *
 * @example
 * defineStreamHandler(pipeline, { onRecordError: (error, item) => logger.error({ error, key: item.itemKey }) });
 */
interface StreamHandlerOptions {
  /** Called once per failed record with its error, e.g. to log it. @default console.error */
  readonly onRecordError?: (error: unknown, item: StreamItem) => void;
}

const isOutcome = (value: unknown): value is RecordOutcome =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as RecordOutcome).sequenceNumber === 'string' &&
  typeof (value as RecordOutcome).ok === 'boolean';

const defaultOnRecordError = (error: unknown, item: StreamItem): void =>
  console.error(`record ${item.sequenceNumber} failed:`, error);

/**
 * Turns an RxJS pipeline into a Lambda handler for DynamoDB stream events that answers with a partial batch
 * response (`FunctionResponseTypes: [ReportBatchItemFailures]`).
 *
 * Every record of the event goes through the pipeline. A record fails in one of two ways, and both end up in
 * `batchItemFailures`:
 *
 * - **an outcome**: effect operators (`processEach`, `project`) end the pipeline and emit one
 *   {@link RecordOutcome} per record they ran, `ok: false` when its effect failed;
 * - **the side channel**: operators that refuse a record before any effect (`decodeWith` on an invalid image,
 *   `changed` or `newImage` without the image the StreamViewType should give, or your own through
 *   `failRecord`) drop it from the pipeline and report it to the invocation's {@link InvocationFailures}, so
 *   valid records continue with plain `StreamItem` types and no operator has to pass failures along.
 *
 * Once a record of an item fails, every later record of that item in the batch is reported too, so an item's
 * changes are never applied out of order; `processEach` does not run them, whichever way the earlier failure
 * was reported. Other items' records are unaffected. A record that emits nothing and is not reported (filtered
 * out) counts as handled. If the pipeline itself errors, the handler throws and Lambda retries the whole batch.
 *
 * @example
 * export const handler = defineStreamHandler(
 *   pipe(
 *     decodeWith(Order),                       // invalid orders → batchItemFailures
 *     changed('status'),                       // MODIFYs that changed the status
 *     processEach((item) => notify(item.newImage)),
 *   ),
 * );
 */
const defineStreamHandler = <T extends Item = Item>(
  pipeline: StreamPipeline<T>,
  options: StreamHandlerOptions = {},
): DynamoDBStreamHandler & ((event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>) => {
  const onRecordError = options.onRecordError ?? defaultOnRecordError;
  const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const {
      result: outcomes,
      failures,
      items,
    } = await InvocationFailures.run<T, unknown[]>(event.Records, (items) =>
      lastValueFrom(from(items).pipe(pipeline, toArray())),
    );
    const failed = new Map<string, FailedOutcome>(failures.failures.map((f) => [f.sequenceNumber, f]));
    const superseded: string[] = [];
    for (const outcome of outcomes) {
      if (!isOutcome(outcome)) {
        throw new TypeError(
          `defineStreamHandler: the pipeline emitted ${JSON.stringify(outcome)}, which is not a RecordOutcome; ` +
            'end the pipeline with an effect operator such as processEach or project',
        );
      }
      if (!outcome.ok && !failed.has(outcome.sequenceNumber)) failed.set(outcome.sequenceNumber, outcome);
      if (outcome.ok && outcome.superseded === true) superseded.push(outcome.sequenceNumber);
    }
    // For the runtime that invoked us (a replay or a redrive counts these as skipped); Lambda never sees it.
    if (superseded.length > 0) setInvocationStats(event, { superseded });
    return { batchItemFailures: itemFailures(items, failed.values(), onRecordError) };
  };
  return handler as DynamoDBStreamHandler & typeof handler;
};

/**
 * The batch item failures for a set of failed records: each failed record, and every later record of its item.
 * Calls `onRecordError` once per failed record.
 */
const itemFailures = (
  items: readonly StreamItem[],
  failed: Iterable<FailedOutcome>,
  onRecordError: NonNullable<StreamHandlerOptions['onRecordError']>,
): { itemIdentifier: string }[] => {
  const bySequence = new Map(items.map((item) => [item.sequenceNumber, item]));
  const lowestByItem = new Map<string, string>(); // itemKey → lowest failed sequence number
  for (const outcome of failed) {
    const item = bySequence.get(outcome.sequenceNumber);
    if (item !== undefined) onRecordError(outcome.error, item);
    const lowest = lowestByItem.get(outcome.itemKey);
    if (lowest === undefined || compareSequenceNumbers(outcome.sequenceNumber, lowest) < 0) {
      lowestByItem.set(outcome.itemKey, outcome.sequenceNumber);
    }
  }
  return items
    .filter((item) => {
      const lowest = lowestByItem.get(item.itemKey);
      return lowest !== undefined && compareSequenceNumbers(item.sequenceNumber, lowest) >= 0;
    })
    .map((item) => ({ itemIdentifier: item.sequenceNumber }));
};

export type { StreamHandlerOptions, StreamPipeline };
export { defineStreamHandler };
