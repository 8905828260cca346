import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import { MemoryCheckpointStore } from '../checkpoint/MemoryCheckpointStore.js';
import { type Clock, systemClock } from '../time/clock.js';
import {
  type MappingConfigInput,
  type ResolvedMappingConfig,
  resolveMappingConfig,
} from './config/resolveMappingConfig.js';
import { EventSourceMapping } from './EventSourceMapping.js';
import { BootstrapRetentionError } from './errors/BootstrapRetentionError.js';
import type { OnFailureDestination } from './failures/destinations/OnFailureDestination.js';
import type { FunctionInvoker } from './invocation/FunctionInvoker.js';
import { inProcessInvoker, type StreamHandlerFunction } from './invocation/inProcessInvoker.js';
import type { InvocationReport } from './observability/InvocationReport.js';
import { type Logger, silentLogger } from './observability/logger.js';
import { cutSecondOf, retentionOf } from './sources/snapshot/bootstrapDecisions.js';
import {
  BOOTSTRAP_STATE_SHARD,
  type BootstrapState,
  readState,
  writeState,
} from './sources/snapshot/bootstrapState.js';
import {
  noProgress,
  type SnapshotProgress,
  SnapshotSource,
  segmentShardId,
} from './sources/snapshot/SnapshotSource.js';
import { StreamTracker } from './sources/snapshot/StreamTracker.js';

/**
 * Where a bootstrap stands: the snapshot's figures, the stream side's, and how far the cut is behind now.
 *
 * @example
 * const onProgress = (p: BootstrapProgress) => console.log(`${p.scanned} scanned, ${p.emitted} emitted`);
 */
interface BootstrapProgress extends Readonly<SnapshotProgress> {
  readonly segments: number;
  /** Changes since the cut read from the stream (processed by the live mapping after the snapshot). */
  readonly tracked: number;
  /** How far behind now the stream side's reading is (ms). */
  readonly streamLagMs: number;
  /** How long ago the cut was (ms): the age of the oldest change the live mapping will process. */
  readonly behindCutMs: number;
  /** Snapshot records read by the mapping and not yet done. */
  readonly recordsBehind: number;
}

/**
 * What to bootstrap (the table, its stream, the function and its mapping's settings) and where the progress
 * is kept.
 *
 * @example
 * const options: BootstrapOptions = { tableName: 'orders', mappingId: 'OrdersProjection-orders',
 *   dynamodb: new DynamoDBClient({}), streams: new DynamoDBStreamsClient({}), handler,
 *   checkpoints: new FileCheckpointStore('.eddy/checkpoints.json') };
 */
interface BootstrapOptions {
  /** The source table: scanned, and its stream read. */
  readonly tableName: string;
  /** The mapping whose checkpoints the bootstrap writes and the live mapping continues from. */
  readonly mappingId: string;
  /** Scans the table (and describes it). */
  readonly dynamodb: DynamoDBClient;
  /** Reads the table's stream. */
  readonly streams: DynamoDBStreamsClient;
  readonly invoker?: FunctionInvoker;
  /** Or a handler run in this process. */
  readonly handler?: StreamHandlerFunction;
  /** The mapping's settings (SAM names): BatchSize, FilterCriteria, retries… apply to the snapshot records. */
  readonly config?: MappingConfigInput | ResolvedMappingConfig;
  /** Keeps the bootstrap's progress and the mapping's checkpoints. Give a durable store to resume. @default memory */
  readonly checkpoints?: CheckpointStore;
  /** Parallel Scan segments (1 to 1,000,000; fixed by the first run). @default 4 */
  readonly segments?: number;
  /** Items per Scan page (Limit, 1 to 1000; DynamoDB also ends a page at 1 MB). @default 1000 */
  readonly pageSize?: number;
  /** Allowed clock difference with DynamoDB and delay of a record reaching the stream (ms). @default 1000 */
  readonly graceMs?: number;
  /**
   * Seconds the source floors ApproximateCreationDateTime to: DynamoDB stamps whole seconds
   * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html); DynamoDB
   * Local stamps whole minutes (60). Every page waits this long for the stream to pass its window. @default 1
   */
  readonly creationTimeGranularitySeconds?: number;
  /** Stop with a `BootstrapRetentionError` when less than this is left of the 24 h retention (ms). @default 1 h */
  readonly retentionMarginMs?: number;
  /**
   * How often the mapping's metrics (the bootstrap's figures under `source`: `BootstrapSegmentsDone`,
   * `BootstrapScannedItemCount`, `BootstrapEmittedEventCount`, `BootstrapSupersededItemCount`,
   * `BootstrapStreamLag`…) are written to the logger as one line (0: never). @default 60000
   */
  readonly metricsLogIntervalMs?: number;
  /** How often `onProgress` is called (ms). @default 1000 */
  readonly progressIntervalMs?: number;
  readonly onProgress?: (progress: BootstrapProgress) => void;
  readonly onInvocation?: (report: InvocationReport) => void;
  readonly onFailure?: OnFailureDestination;
  readonly functionArn?: string;
  readonly filter?: (record: DynamoDBRecord) => boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Stops the bootstrap; it resumes from its checkpoints when run again. */
  readonly signal?: AbortSignal;
  /**
   * Where the live mapping starts each shard once the snapshot is processed.
   *
   * - `'cut'`: right before the first change since the cut, so every change reaches the handler once, after
   *   the snapshot. What a projection or an aggregate needs: a change older than the snapshot row would move it
   *   backwards.
   * - `'trimHorizon'`: at the stream's TRIM_HORIZON (no checkpoints written), for a handler that may see a change
   *   again, and older than the snapshot, without harm: `replicate`, whose writes are last-writer-wins. Adding a
   *   region while both regions write, the source's changes from before the cut are then forwarded too: a
   *   delete there of an item the new region wrote meanwhile (which the snapshot cannot carry: the item is not
   *   in the table) becomes a tombstone in both, and the regions converge.
   *
   * @default 'cut'
   */
  readonly handover?: BootstrapHandover;
}

/**
 * Where the live mapping starts after a bootstrap: after the cut, or at the stream's start (see
 * `BootstrapOptions.handover`).
 *
 * @example
 * await bootstrap({ ...options, handler: replicator, handover: 'trimHorizon' });
 */
type BootstrapHandover = 'cut' | 'trimHorizon';

/**
 * What a bootstrap did. `completed`: the snapshot is processed and the live mapping's checkpoints are written
 * (false: stopped by `signal`, resumable).
 *
 * @example
 * const { completed, emitted, superseded } = await bootstrap(options);
 */
interface BootstrapSummary extends BootstrapProgress {
  readonly completed: boolean;
  /** The stream the live mapping continues on. */
  readonly streamArn: string;
  /** It had completed in an earlier run: nothing was done. */
  readonly alreadyDone: boolean;
}

const check = (name: string, value: number, min: number, max: number): number => {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`bootstrap: ${name} ${value}: expected an integer from ${min} to ${max}`);
  return value;
};

/**
 * Builds a read model from a live table: processes the table's contents, exact per item against the writes it
 * keeps taking, through the function with the mapping's settings, then writes the mapping's checkpoints so the
 * live mapping (same `mappingId` and `checkpoints`) continues with every change since, and nothing before.
 * The snapshot records are INSERTs marked `snapshot` (see `SnapshotSource` for the algorithm, why it is exact,
 * and its assumptions); `project`, `aggregate`, `aggregateEvents` and `replicate` handle them with their
 * exactly-once guarantees. Resumable: run it again with the same `checkpoints` after a crash or `signal`.
 *
 * @example
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
 * import { bootstrap, EventSourceMapping, FileCheckpointStore } from 'eddy/runtime';
 * import { handler } from './handlers/ordersProjection.js';
 *
 * const checkpoints = new FileCheckpointStore('.eddy/checkpoints.json');
 * const summary = await bootstrap({ tableName: 'orders', mappingId: 'orders-view', handler, checkpoints,
 *   dynamodb: new DynamoDBClient({}), streams: new DynamoDBStreamsClient({}), segments: 8,
 *   onProgress: (p) => console.log(`${p.scanned} scanned, ${p.emitted} emitted, ${p.superseded} superseded`) });
 * // Then live, from where the bootstrap left off:
 * const live = new EventSourceMapping({ mappingId: 'orders-view', streamArn: summary.streamArn, checkpoints,
 *   client: new DynamoDBStreamsClient({}), invoker: inProcessInvoker(handler), config: { StartingPosition: 'TRIM_HORIZON' } });
 * live.start();
 */
const bootstrap = async (options: BootstrapOptions): Promise<BootstrapSummary> => {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const checkpoints = options.checkpoints ?? new MemoryCheckpointStore();
  const { mappingId } = options;
  const invoker =
    options.invoker ??
    (options.handler === undefined ? undefined : inProcessInvoker(options.handler, { clock }));
  if (invoker === undefined) throw new TypeError('bootstrap: give an invoker or a handler');
  const pageSize = check('pageSize', options.pageSize ?? 1000, 1, 1000);
  if (options.handover !== undefined && options.handover !== 'cut' && options.handover !== 'trimHorizon') {
    throw new RangeError(
      `bootstrap: handover ${JSON.stringify(options.handover)}: expected 'cut' (after the cut, the default) or ` +
        "'trimHorizon' (the stream's start, for replicate)",
    );
  }
  const graceMs = options.graceMs ?? 1000;
  const granularity = check(
    'creationTimeGranularitySeconds',
    options.creationTimeGranularitySeconds ?? 1,
    1,
    3600,
  );
  const marginMs = options.retentionMarginMs ?? 60 * 60 * 1000;
  const given = options.config ?? {};
  const config: ResolvedMappingConfig =
    typeof (given as ResolvedMappingConfig).ReportBatchItemFailures === 'boolean'
      ? { ...(given as ResolvedMappingConfig), StartingPosition: 'TRIM_HORIZON' }
      : resolveMappingConfig({ ...given, StartingPosition: 'TRIM_HORIZON' });

  const { Table } = await options.dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  const viewType = Table?.StreamSpecification?.StreamViewType;
  if (
    streamArn === undefined ||
    Table?.StreamSpecification?.StreamEnabled === false ||
    viewType === undefined
  )
    throw new Error(
      `bootstrap: table ${options.tableName} has no stream; enable one (StreamSpecification, ` +
        'StreamViewType NEW_AND_OLD_IMAGES) and bootstrap again',
    );
  const keyAttributes = (Table?.KeySchema ?? []).map((k) => k.AttributeName as string);

  const stored = await readState<BootstrapState>(checkpoints, mappingId, BOOTSTRAP_STATE_SHARD);
  const segments = stored?.segments ?? check('segments', options.segments ?? 4, 1, 1_000_000);
  if (stored !== undefined && options.segments !== undefined && options.segments !== stored.segments)
    logger.warn('bootstrap: resuming with the segment count of its first run', {
      mappingId,
      segments: stored.segments,
    });
  const base = {
    ...noProgress(),
    segments,
    tracked: 0,
    streamLagMs: 0,
    behindCutMs: 0,
    recordsBehind: 0,
    streamArn,
  };
  if (stored?.done === true) return { ...base, segmentsDone: segments, completed: true, alreadyDone: true };
  const cutSecond = stored?.cutSecond ?? cutSecondOf(clock.now(), granularity);
  if (stored === undefined)
    await writeState(checkpoints, mappingId, BOOTSTRAP_STATE_SHARD, { cutSecond, segments, done: false });

  const retention = () => retentionOf(clock.now(), cutSecond, marginMs);
  const first = retention();
  if (first.tooClose) throw new BootstrapRetentionError(mappingId, first.behindMs, first.leftMs, 0, segments);

  const tracker = new StreamTracker({
    client: options.streams,
    streamArn,
    mappingId,
    cutSecond,
    graceMs,
    granularity,
    clock,
    logger,
  });
  const endedSegments: number[] = [];
  for (let i = 0; i < segments; i += 1)
    if ((await checkpoints.get(mappingId, segmentShardId(i)))?.shardEnded === true) endedSegments.push(i);
  const source = new SnapshotSource({
    client: options.dynamodb,
    tableName: options.tableName,
    keyAttributes,
    streamArn,
    streamViewType: viewType,
    mappingId,
    checkpoints,
    tracker,
    segments,
    cutSecond,
    pageSize,
    graceMs,
    granularity,
    clock,
    endedSegments,
  });
  const mapping = new EventSourceMapping({
    mappingId,
    streamArn,
    source,
    config,
    invoker,
    checkpoints,
    clock,
    logger,
    metricsLogIntervalMs: options.metricsLogIntervalMs ?? 60_000,
    pollIntervalMs: 50,
    discoveryIntervalMs: 500,
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    ...(options.onFailure === undefined ? {} : { onFailure: options.onFailure }),
    ...(options.functionArn === undefined ? {} : { functionArn: options.functionArn }),
    ...(options.onInvocation === undefined ? {} : { onInvocation: options.onInvocation }),
  });
  const progress = (): BootstrapProgress => ({
    ...source.progress,
    segments,
    tracked: tracker.tracked,
    streamLagMs: tracker.lagMs(),
    behindCutMs: retention().behindMs,
    recordsBehind: mapping.progress().recordsBehind,
  });
  const stopped = new AbortController();
  const onAbort = () => stopped.abort(options.signal?.reason);
  if (options.signal?.aborted === true) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let completed = false;
  try {
    await tracker.start();
    mapping.start();
    let drained = false;
    const draining = mapping.drained().then((d) => {
      drained = d;
    });
    while (!drained && !stopped.signal.aborted) {
      const tick = new AbortController();
      // A stop ends the wait at once: the mapping stops taking batches now, not at the next tick.
      const endTick = () => tick.abort();
      stopped.signal.addEventListener('abort', endTick, { once: true });
      try {
        await Promise.race([draining, clock.sleep(options.progressIntervalMs ?? 1000, tick.signal)]);
      } catch {
        // the tick was cut short
      } finally {
        stopped.signal.removeEventListener('abort', endTick);
        tick.abort();
      }
      if (drained || stopped.signal.aborted) break;
      tracker.check();
      options.onProgress?.(progress());
      const r = retention();
      if (r.tooClose)
        throw new BootstrapRetentionError(mappingId, r.behindMs, r.leftMs, source.progress.scanned, segments);
    }
    await mapping.stop();
    if (drained) {
      // The snapshot is processed: the live mapping starts each shard right before its first tracked record,
      // or (handover 'trimHorizon') where the mapping's StartingPosition says, with no checkpoint of ours.
      if ((options.handover ?? 'cut') === 'cut') {
        for (const { shardId, checkpoint } of tracker.handover())
          await checkpoints.reposition(mappingId, shardId, checkpoint);
      }
      await writeState(checkpoints, mappingId, BOOTSTRAP_STATE_SHARD, { cutSecond, segments, done: true });
      completed = true;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await mapping.stop();
    await tracker.stop();
  }
  options.onProgress?.(progress());
  return { ...progress(), completed, streamArn, alreadyDone: false };
};

export type { BootstrapHandover, BootstrapOptions, BootstrapProgress, BootstrapSummary };
export { bootstrap };
