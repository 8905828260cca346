import type { DynamoDBRecord } from 'aws-lambda';
import type { OnFailureRecord } from '../runtime/failures/destinations/onFailureRecord.js';

/**
 * A run of records an event source mapping gave up on, as its on-failure record names it: a shard, the first
 * and last sequence number, how many records the batch had, when the first and last arrived, and where the
 * failure record was read from (for messages).
 *
 * @example
 * const range = failedRangeOf(record, '.eddy/failures/OrdersProjection.jsonl:3');
 * console.log(range.shardId, range.startSequenceNumber, range.endSequenceNumber, range.batchSize);
 */
interface FailedRange {
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  /** Epoch ms of the first record's arrival (whole seconds, as the failure record gives it). */
  readonly firstArrival: number;
  readonly lastArrival: number;
  readonly condition: string;
  readonly requestId: string;
  readonly functionArn: string;
  /** Where the failure record came from: a file and line, a queue message, an object key. */
  readonly from: string;
  /** The records themselves, when the failure record carries them (an S3 destination's `payload`). */
  readonly records?: readonly DynamoDBRecord[];
}

/**
 * The range an on-failure record names (`DDBStreamBatchInfo`,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
 *
 * @example
 * const range = failedRangeOf(JSON.parse(message.Body), message.MessageId);
 */
const failedRangeOf = (record: OnFailureRecord, from: string): FailedRange => {
  const info = record.DDBStreamBatchInfo;
  return {
    streamArn: info.streamArn,
    shardId: info.shardId,
    startSequenceNumber: info.startSequenceNumber,
    endSequenceNumber: info.endSequenceNumber,
    batchSize: info.batchSize,
    firstArrival: Date.parse(info.approximateArrivalOfFirstRecord),
    lastArrival: Date.parse(info.approximateArrivalOfLastRecord),
    condition: record.requestContext.condition,
    requestId: record.requestContext.requestId,
    functionArn: record.requestContext.functionArn,
    from,
  };
};

export type { FailedRange };
export { failedRangeOf };
