/**
 * `eddy/dynamodb`: the operators that write what a stream says to DynamoDB tables, exactly once under
 * redelivery and replay: a view (`project`), totals per key over current items (`aggregate`) or over events
 * (`aggregateEvents`), totals per tumbling window
 * (`windowedAggregate`) and multi-region replication (`replicate`). They take a `DynamoDBClient`, so they live
 * apart from `eddy`: a handler that does not write to DynamoDB never loads the client.
 *
 * @packageDocumentation
 */

export { AggregateConflictError } from '../operators/aggregates/AggregateConflictError.js';
export type { AggregateOptions } from '../operators/aggregates/aggregate.js';
export { aggregate } from '../operators/aggregates/aggregate.js';
export type { AggregateEventsOptions } from '../operators/aggregates/aggregateEvents.js';
export { aggregateEvents } from '../operators/aggregates/aggregateEvents.js';
export type { Measure } from '../operators/aggregates/measures.js';
export { count, max, min, reducer, sum } from '../operators/aggregates/measures.js';
export type {
  WindowAggregateState,
  WindowedAggregateOptions,
} from '../operators/aggregates/windowedAggregate.js';
export { WindowOverlapError, windowedAggregate } from '../operators/aggregates/windowedAggregate.js';
export type { ProjectOptions } from '../operators/project.js';
export { project, SOURCE_SEQUENCE_ATTRIBUTE } from '../operators/project.js';
export type { ProjectWrites } from '../operators/projectWrites.js';
export type { ReplicaRegion, ReplicateOptions } from '../operators/replication/replicate.js';
export { replicate, UnstampedWriteError } from '../operators/replication/replicate.js';
export { VIEW_SHAPE_ATTRIBUTE } from '../operators/viewShape.js';
