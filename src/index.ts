/**
 * `eddy`: turn an RxJS pipeline into a Lambda handler for DynamoDB stream events, with the pure operators that
 * select, decode and fail records. Light to load: nothing here imports an AWS SDK client, so a handler that
 * only reads its event starts fast. The operators that write to DynamoDB tables are in `eddy/dynamodb`, the
 * runtime that reads streams outside Lambda (event source mapping, checkpoints, leases) in `eddy/runtime`.
 *
 * @packageDocumentation
 */
export type { StreamHandlerOptions, StreamPipeline } from './handler/defineStreamHandler.js';
export { defineStreamHandler } from './handler/defineStreamHandler.js';
export type {
  DynamoDBStreamStateResponse,
  DynamoDBStreamTumblingWindowEvent,
  TumblingWindowFields,
  WindowedHandlerOptions,
  WindowInvocation,
  WindowPipeline,
  WindowState,
} from './handler/defineWindowedHandler.js';
export { defineWindowedHandler } from './handler/defineWindowedHandler.js';
export { changed } from './operators/changed.js';
export type { CollectionTtl } from './operators/collectionTtl.js';
export type { RecordSchema, SafeParseSchema, StandardSchema } from './operators/decodeWith.js';
export { decodeWith } from './operators/decodeWith.js';
export { inserts } from './operators/inserts.js';
export { isTombstone, TOMBSTONE_ATTRIBUTE } from './operators/isTombstone.js';
export { isTtlExpiry } from './operators/isTtlExpiry.js';
export { modifies } from './operators/modifies.js';
export { newImage } from './operators/newImage.js';
export { notTtlExpiry } from './operators/notTtlExpiry.js';
export { ofEventName } from './operators/ofEventName.js';
export { oldImage } from './operators/oldImage.js';
export type { ProcessEachOptions } from './operators/processEach.js';
export { processEach } from './operators/processEach.js';
export { removes } from './operators/removes.js';
export type { ReplicationStamp, StampOptions } from './operators/replication/stampForReplication.js';
export { REPLICATION_ATTRIBUTES, stampForReplication } from './operators/replication/stampForReplication.js';
export { StreamViewTypeError } from './operators/StreamViewTypeError.js';
export type { ImageName, SchemaIssue } from './pipeline/errors.js';
export {
  EarlierRecordFailedError,
  MissingImageError,
  RecordNotInInvocationError,
  RecordValidationError,
} from './pipeline/errors.js';
export { failRecord } from './pipeline/failRecord.js';
export { type RecordOutcome, SUPERSEDED } from './pipeline/RecordOutcome.js';
export type { Item, StreamItem } from './pipeline/StreamItem.js';
export { toStreamItem } from './pipeline/StreamItem.js';
export type { AttributeMap, AttributeValue } from './records/attributeValue.js';
export { isTtlExpiryRecord } from './records/isTtlExpiryRecord.js';
export { compareSequenceNumbers } from './records/sequenceNumber.js';
export type { EventName, StreamRecord, StreamViewType } from './records/streamRecord.js';
export { unmarshallImage } from './records/unmarshallImage.js';
export { valuesEqual } from './records/valuesEqual.js';
