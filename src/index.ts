/**
 * Eddy's public API for handlers: turn an RxJS pipeline into a Lambda handler for DynamoDB stream events.
 * The runtime (event source mapping, checkpoints) is exported from `eddy/runtime`.
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
export type { ImageName, SchemaIssue } from './handler/errors.js';
export {
  EarlierRecordFailedError,
  MissingImageError,
  RecordNotInInvocationError,
  RecordValidationError,
} from './handler/errors.js';
export { failRecord } from './handler/failRecord.js';
export type { RecordOutcome } from './handler/RecordOutcome.js';
export type { Item, StreamItem } from './handler/StreamItem.js';
export { toStreamItem } from './handler/StreamItem.js';
export type {
  AggregateEventsOptions,
  AggregateOptions,
  CollectionTtl,
  Measure,
  ProcessEachOptions,
  ProjectOptions,
  RecordSchema,
  ReplicaRegion,
  ReplicateOptions,
  ReplicationStamp,
  SafeParseSchema,
  StampOptions,
  StandardSchema,
  WindowAggregateState,
  WindowedAggregateOptions,
} from './operators/index.js';
export {
  AggregateConflictError,
  aggregate,
  aggregateEvents,
  changed,
  count,
  decodeWith,
  inserts,
  isTombstone,
  isTtlExpiry,
  max,
  min,
  modifies,
  newImage,
  notTtlExpiry,
  ofEventName,
  oldImage,
  processEach,
  project,
  REPLICATION_ATTRIBUTES,
  reducer,
  removes,
  replicate,
  SOURCE_SEQUENCE_ATTRIBUTE,
  StreamViewTypeError,
  stampForReplication,
  sum,
  TOMBSTONE_ATTRIBUTE,
  UnstampedWriteError,
  WindowOverlapError,
  windowedAggregate,
} from './operators/index.js';
export type { AttributeMap, AttributeValue } from './records/attributeValue.js';
export { isTtlExpiryRecord } from './records/isTtlExpiryRecord.js';
export { compareSequenceNumbers } from './records/sequenceNumber.js';
export type { EventName, StreamRecord, StreamViewType } from './records/streamRecord.js';
export { unmarshallImage } from './records/unmarshallImage.js';
export { valuesEqual } from './records/valuesEqual.js';
