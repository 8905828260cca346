import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * Why Lambda gave up on records. `RecordAgeExceeded` is LocalStack's name; AWS's is UNCONFIRMED.
 *
 * @example
 * const gaveUp = (record: OnFailureRecord) =>
 *   record.requestContext.condition === ('RetryAttemptsExhausted' satisfies FailureCondition);
 */
type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/**
 * The record Lambda sends to an on-failure destination for discarded DynamoDB stream records
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
 *
 * @example
 * const record: OnFailureRecord = JSON.parse(message.Body);
 * const { shardId, startSequenceNumber, endSequenceNumber } = record.DDBStreamBatchInfo;
 */
interface OnFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: FailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    /** "Unhandled" after an exception or timeout; null when the failure came from batchItemFailures. */
    readonly functionError: 'Unhandled' | null;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
  /**
   * Only in objects written to an S3 destination: the invocation event of the discarded records as an escaped
   * JSON string (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html, "Example Amazon S3
   * invocation record"). SQS and SNS messages never carry it.
   */
  readonly payload?: string;
}

interface OnFailureRecordInput {
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: FailureCondition;
  readonly approximateInvokeCount: number;
  /** True when the function threw or timed out; false when it reported batch item failures. */
  readonly functionThrew: boolean;
  readonly records: readonly DynamoDBRecord[];
  readonly shardId: string;
  readonly streamArn: string;
  /** Epoch ms. */
  readonly now: number;
  /** The event to carry as `payload` (S3 destinations only); without it the record has no `payload` field. */
  readonly payload?: DynamoDBStreamEvent;
}

/** Arrival times are whole seconds with a Z; the record's own timestamp keeps milliseconds (as AWS writes them). */
const secondsIso = (epochSeconds: number | undefined): string =>
  new Date(Math.floor(epochSeconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The failure record AWS writes, field for field and in AWS's order: it carries where the records were (shard,
 * first and last sequence number), not the records themselves, for a consumer to fetch them from the stream.
 *
 * @example
 * const record = onFailureRecord({ requestId, functionArn, condition: 'RetryAttemptsExhausted',
 *   approximateInvokeCount: 3, functionThrew: true, records: batch, shardId, streamArn, now: clock.now() });
 */
const onFailureRecord = (input: OnFailureRecordInput): OnFailureRecord => {
  const first = input.records[0];
  const last = input.records.at(-1);
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: input.functionThrew ? 'Unhandled' : null,
    },
    version: '1.0',
    timestamp: new Date(input.now).toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first?.dynamodb?.SequenceNumber ?? '',
      endSequenceNumber: last?.dynamodb?.SequenceNumber ?? '',
      approximateArrivalOfFirstRecord: secondsIso(first?.dynamodb?.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: secondsIso(last?.dynamodb?.ApproximateCreationDateTime),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
    // Last, as in AWS's S3 example; an escaped JSON string, not an object.
    ...(input.payload === undefined ? {} : { payload: JSON.stringify(input.payload) }),
  };
};

export type { FailureCondition, OnFailureRecord, OnFailureRecordInput };
export { onFailureRecord };
