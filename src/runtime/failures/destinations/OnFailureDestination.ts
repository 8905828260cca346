import type { DynamoDBRecord } from 'aws-lambda';
import type { OnFailureRecord } from './onFailureRecord.js';

/**
 * The records an on-failure record describes, for destinations that keep more than the record: an S3 bucket
 * gets the whole invocation payload (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
 *
 * @example
 * const s3: OnFailureDestination = {
 *   destination: 'console',
 *   send: async (record, batch?: DiscardedBatch) => console.error(batch?.mappingId, batch?.records.length),
 * };
 */
interface DiscardedBatch {
  /** The mapping that discarded them: its `mappingId` stands where AWS puts the event source mapping's UUID. */
  readonly mappingId: string;
  /** The discarded records, in stream order: the ones `record.DDBStreamBatchInfo` ranges over. */
  readonly records: readonly DynamoDBRecord[];
}

/**
 * Where discarded records are reported (DestinationConfig.OnFailure). `send` resolves once the destination
 * has the record; the runtime retries a failing send and does not move past the records until it succeeds,
 * so a discard is never silent. The runtime passes the discarded records as `batch`; SQS and SNS ignore them.
 *
 * @example
 * const toLog: OnFailureDestination = {
 *   destination: 'console',
 *   send: async (record) => console.error(JSON.stringify(record)),
 * };
 * new EventSourceMapping({ ...options, onFailure: toLog });
 */
interface OnFailureDestination {
  /** The destination's ARN or location, for logs. */
  readonly destination: string;
  send(record: OnFailureRecord, batch?: DiscardedBatch): Promise<void>;
}

export type { DiscardedBatch, OnFailureDestination };
