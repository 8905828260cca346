/**
 * `eddy/runtime`: what Lambda does between a DynamoDB stream and a function, as a library: the event source
 * mapping (polling, batching, retries, bisecting, partial batch responses, tumbling windows, filters, on-failure
 * destinations), checkpoint stores to resume from, and leases so several workers share a stream's shards.
 *
 * @packageDocumentation
 */

export { CheckpointRegressionError } from '../checkpoint/CheckpointRegressionError.js';
export type { Checkpoint, CheckpointEntry } from '../checkpoint/CheckpointStore.js';
export { CheckpointStore } from '../checkpoint/CheckpointStore.js';
export type { CheckpointForTime } from '../checkpoint/checkpointForTime.js';
export { checkpointForTime } from '../checkpoint/checkpointForTime.js';
export type { DynamoDBCheckpointStoreOptions, LeaseFence } from '../checkpoint/DynamoDBCheckpointStore.js';
export { DynamoDBCheckpointStore } from '../checkpoint/DynamoDBCheckpointStore.js';
export { FileCheckpointStore } from '../checkpoint/FileCheckpointStore.js';
export { MemoryCheckpointStore } from '../checkpoint/MemoryCheckpointStore.js';
export { LeaseLostError } from '../leaseTable/LeaseLostError.js';
export * from '../tape/index.js';
export type { Clock } from '../time/clock.js';
export { ManualClock, systemClock } from '../time/clock.js';
export type { InvocationReport } from './BatchLane.js';
export type { DestinationClients } from './destinations/destinationFor.js';
export { destinationFor } from './destinations/destinationFor.js';
export { FileDestination } from './destinations/FileDestination.js';
export type { OnFailureDestination } from './destinations/OnFailureDestination.js';
export type { FailureCondition, OnFailureRecord } from './destinations/onFailureRecord.js';
export { onFailureRecord } from './destinations/onFailureRecord.js';
export { SnsDestination } from './destinations/SnsDestination.js';
export { SqsDestination } from './destinations/SqsDestination.js';
export type { EventSourceMappingOptions, ShardWakeUps } from './EventSourceMapping.js';
export { EventSourceMapping } from './EventSourceMapping.js';
export { FunctionTimeoutError, MappingConfigError } from './errors.js';
export type { FunctionInvoker } from './FunctionInvoker.js';
export type { FilterCriteria } from './filter/compileFilterCriteria.js';
export { compileFilterCriteria, FilterCriteriaError } from './filter/compileFilterCriteria.js';
export type { InProcessInvokerOptions, StreamHandlerFunction } from './inProcessInvoker.js';
export { inProcessInvoker } from './inProcessInvoker.js';
export type { BatchOutcome } from './interpretResponse.js';
export { interpretResponse } from './interpretResponse.js';
export type { LeaseManagerOptions } from './leases/LeaseManager.js';
export { DEFAULT_LEASE_DURATION_MS, LeaseManager } from './leases/LeaseManager.js';
export type { ShardLeases } from './leases/ShardLeases.js';
export type { Logger } from './logger.js';
export { jsonLogger, silentLogger } from './logger.js';
export type { ShardMetrics } from './MappingMetrics.js';
export { MAPPING_SETTINGS } from './mappingSettings.js';
export type { MappingConfigInput, ResolvedMappingConfig } from './resolveMappingConfig.js';
export { resolveMappingConfig } from './resolveMappingConfig.js';
export type { StartAt } from './ShardConsumer.js';
