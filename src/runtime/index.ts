/**
 * `eddy/runtime`: what Lambda does between a DynamoDB stream and a function, as a library: the event source
 * mapping (polling, batching, retries, bisecting, partial batch responses, tumbling windows, filters, on-failure
 * destinations), checkpoint stores to resume from, and leases so several workers share a stream's shards.
 *
 * The runtime's folders, in the order a record goes through them (`EventSourceMapping.ts` wires them):
 * - `sources/`: where records come from (`RecordSource`: shards with lineage, a reader per shard); `live/` reads
 *   a DynamoDB stream (discovery, the lineage decision, GetRecords), `leases/` shares its shards between workers,
 *   `tape/` replays a tape or a bounded range of a live stream (`TapeSource`, `replay`).
 * - `filter/`: FilterCriteria, compiled to a matcher; records it rejects are checkpointed past.
 * - `batching/`: lanes (ParallelizationFactor), batch readiness (BatchSize, batching window), the 6 MB cap, tumbling windows.
 * - `invocation/`: the event Lambda sends, the invokers, and how a response reads (partial batch responses).
 * - `failures/`: what happens after a failed invocation (retry, bisect, record age, discard) and on-failure destinations.
 * - `checkpointing/`: where a shard's checkpoint may move, and its serialised writes.
 * - `consumer/`: one shard's loop (`ShardConsumer`) and its ordered lanes (`BatchLane`) running the stages above.
 * - below them all: `config/` (settings under SAM's names), `errors/`, `observability/` (metrics, logs, reports).
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
export type { InvocationStats } from '../records/invocationStats.js';
export { invocationStatsOf, setInvocationStats } from '../records/invocationStats.js';
export { isSnapshotRecord, SNAPSHOT_EVENT_ID_PREFIX } from '../records/isSnapshotRecord.js';
export type { FailedRange } from '../redrive/FailedRange.js';
export { FailureRecordError, parseFailureRecord } from '../redrive/parseFailureRecord.js';
export type { RedrivePlan } from '../redrive/planRedrive.js';
export { planRedrive } from '../redrive/planRedrive.js';
export type { RangeRead } from '../redrive/readFailedRange.js';
export { readFailedRange } from '../redrive/readFailedRange.js';
export { failedRangesInFile, failedRangesInQueue, failedRangesInS3 } from '../redrive/readFailureRecords.js';
export * from '../tape/index.js';
export type { Clock } from '../time/clock.js';
export { ManualClock, systemClock } from '../time/clock.js';
export type {
  BootstrapHandover,
  BootstrapOptions,
  BootstrapProgress,
  BootstrapSummary,
} from './bootstrap.js';
export { bootstrap } from './bootstrap.js';
export { MAPPING_SETTINGS } from './config/mappingSettings.js';
export type { MappingConfigInput, ResolvedMappingConfig } from './config/resolveMappingConfig.js';
export { resolveMappingConfig } from './config/resolveMappingConfig.js';
export type { EventSourceMappingOptions } from './EventSourceMapping.js';
export { EventSourceMapping } from './EventSourceMapping.js';
export { BootstrapRetentionError } from './errors/BootstrapRetentionError.js';
export { MappingConfigError } from './errors/MappingConfigError.js';
export type { DestinationClients } from './failures/destinations/destinationFor.js';
export { destinationFor } from './failures/destinations/destinationFor.js';
export { FileDestination } from './failures/destinations/FileDestination.js';
export { LocalS3Destination } from './failures/destinations/LocalS3Destination.js';
export type { DiscardedBatch, OnFailureDestination } from './failures/destinations/OnFailureDestination.js';
export type { FailureCondition, OnFailureRecord } from './failures/destinations/onFailureRecord.js';
export { onFailureRecord } from './failures/destinations/onFailureRecord.js';
export type {
  ReadS3FailureRecordsOptions,
  S3FailureRecord,
} from './failures/destinations/readS3FailureRecords.js';
export { readS3FailureRecords } from './failures/destinations/readS3FailureRecords.js';
export { S3Destination } from './failures/destinations/S3Destination.js';
export { SnsDestination } from './failures/destinations/SnsDestination.js';
export { SqsDestination } from './failures/destinations/SqsDestination.js';
export { s3FailureObject, s3FailureObjectKey } from './failures/destinations/s3FailureObject.js';
export type { FilterCriteria } from './filter/compileFilterCriteria.js';
export { compileFilterCriteria, FilterCriteriaError } from './filter/compileFilterCriteria.js';
export type { FunctionInvoker } from './invocation/FunctionInvoker.js';
export { FunctionTimeoutError } from './invocation/FunctionTimeoutError.js';
export type { InProcessInvokerOptions, StreamHandlerFunction } from './invocation/inProcessInvoker.js';
export { inProcessInvoker } from './invocation/inProcessInvoker.js';
export type { BatchOutcome } from './invocation/interpretResponse.js';
export { interpretResponse } from './invocation/interpretResponse.js';
export { paceDelayMs, pacedInvoker } from './invocation/pacedInvoker.js';
export type { InvocationReport } from './observability/InvocationReport.js';
export type { Logger } from './observability/logger.js';
export { jsonLogger, silentLogger } from './observability/logger.js';
export type { ShardMetrics } from './observability/MappingMetrics.js';
export type { RangeOutcome, RedriveOptions, RedriveSummary } from './redrive.js';
export { redrive } from './redrive.js';
export type { ReplayOptions, ReplaySummary } from './replay.js';
export { replay } from './replay.js';
export type { LeaseManagerOptions } from './sources/leases/LeaseManager.js';
export { DEFAULT_LEASE_DURATION_MS, LeaseManager } from './sources/leases/LeaseManager.js';
export type { ShardLeases } from './sources/leases/ShardLeases.js';
export type { ShardWakeUps } from './sources/live/ShardWakeUps.js';
export type { RecordSource, ShardPage, ShardReader, SourceShard } from './sources/RecordSource.js';
export type { StartAt } from './sources/StartAt.js';
export type { SnapshotProgress } from './sources/snapshot/SnapshotSource.js';
export { SnapshotSource } from './sources/snapshot/SnapshotSource.js';
export type { LiveRangeOptions } from './sources/tape/liveRangeSource.js';
export { liveRangeSource } from './sources/tape/liveRangeSource.js';
export type { TapeSourceOptions } from './sources/tape/TapeSource.js';
export { TapeSource } from './sources/tape/TapeSource.js';
