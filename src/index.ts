/**
 * Eddy's public API for handlers: turn an RxJS pipeline into a Lambda handler for DynamoDB stream events.
 * The runtime (event source mapping, checkpoints) is exported from `eddy/runtime`.
 */
export type { StreamHandlerOptions, StreamPipeline } from './handler/defineStreamHandler.js';
export { defineStreamHandler } from './handler/defineStreamHandler.js';
export type { RecordOutcome } from './handler/RecordOutcome.js';
export type { Item, StreamItem } from './handler/StreamItem.js';
export { toStreamItem } from './handler/StreamItem.js';
export type { ProcessEachOptions, ProjectOptions } from './operators/index.js';
export { ofEventName, processEach, project, SOURCE_SEQUENCE_ATTRIBUTE } from './operators/index.js';
export type { AttributeMap, AttributeValue } from './records/attributeValue.js';
export { compareSequenceNumbers } from './records/sequenceNumber.js';
export type { EventName, StreamRecord, StreamViewType } from './records/streamRecord.js';
export { unmarshallImage } from './records/unmarshallImage.js';
