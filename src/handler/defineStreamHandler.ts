import type { DynamoDBBatchResponse, DynamoDBStreamEvent, DynamoDBStreamHandler } from 'aws-lambda';
import { from, lastValueFrom, type OperatorFunction, toArray } from 'rxjs';
import { compareSequenceNumbers } from '../records/sequenceNumber.js';
import type { RecordOutcome } from './RecordOutcome.js';
import { type Item, type StreamItem, toStreamItem } from './StreamItem.js';

/** A handler pipeline: stream items in, one outcome per processed record out. */
type StreamPipeline<T extends Item = Item> = OperatorFunction<StreamItem<T>, RecordOutcome>;

interface StreamHandlerOptions {
  /** Called once per failed record with its error, e.g. to log it. @default console.error */
  readonly onRecordError?: (error: unknown, item: StreamItem) => void;
}

const isOutcome = (value: unknown): value is RecordOutcome =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as RecordOutcome).sequenceNumber === 'string' &&
  typeof (value as RecordOutcome).ok === 'boolean';

/**
 * Turns an RxJS pipeline into a Lambda handler for DynamoDB stream events that answers with a partial batch
 * response (`FunctionResponseTypes: [ReportBatchItemFailures]`).
 *
 * Every record of the event goes through the pipeline. A record whose outcome is a failure is reported in
 * `batchItemFailures`, and so is every later record of the same item in the batch, so an item's changes are
 * never applied out of order; the other items' records are unaffected. If the pipeline itself errors, the
 * handler throws and Lambda retries the whole batch.
 *
 * @example
 * export const handler = defineStreamHandler(
 *   pipe(ofEventName('INSERT', 'MODIFY'), project({ client, tableName: 'order-view', view: (o) => o })),
 * );
 */
const defineStreamHandler = <T extends Item = Item>(
  pipeline: StreamPipeline<T>,
  options: StreamHandlerOptions = {},
): DynamoDBStreamHandler & ((event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>) => {
  const onRecordError =
    options.onRecordError ?? ((error, item) => console.error(`record ${item.sequenceNumber} failed:`, error));
  const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const items = event.Records.map((record) => toStreamItem<T>(record));
    const outcomes = await lastValueFrom(from(items).pipe(pipeline, toArray()));
    const bySequence = new Map(items.map((item) => [item.sequenceNumber, item]));
    const failedItems = new Map<string, string>(); // itemKey → lowest failed sequence number
    for (const outcome of outcomes) {
      if (!isOutcome(outcome)) {
        throw new TypeError(
          `defineStreamHandler: the pipeline emitted ${JSON.stringify(outcome)}, which is not a RecordOutcome; ` +
            'end the pipeline with an effect operator such as processEach or project',
        );
      }
      if (outcome.ok) continue;
      const item = bySequence.get(outcome.sequenceNumber);
      if (item !== undefined) onRecordError(outcome.error, item as StreamItem);
      const lowest = failedItems.get(outcome.itemKey);
      if (lowest === undefined || compareSequenceNumbers(outcome.sequenceNumber, lowest) < 0) {
        failedItems.set(outcome.itemKey, outcome.sequenceNumber);
      }
    }
    const failures = items.filter((item) => {
      const lowest = failedItems.get(item.itemKey);
      return lowest !== undefined && compareSequenceNumbers(item.sequenceNumber, lowest) >= 0;
    });
    return { batchItemFailures: failures.map((item) => ({ itemIdentifier: item.sequenceNumber })) };
  };
  return handler as DynamoDBStreamHandler & typeof handler;
};

export type { StreamHandlerOptions, StreamPipeline };
export { defineStreamHandler };
