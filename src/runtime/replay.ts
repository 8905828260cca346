import type { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import { MemoryCheckpointStore } from '../checkpoint/MemoryCheckpointStore.js';
import { type Clock, systemClock } from '../time/clock.js';
import {
  type MappingConfigInput,
  type ResolvedMappingConfig,
  resolveMappingConfig,
} from './config/resolveMappingConfig.js';
import { EventSourceMapping } from './EventSourceMapping.js';
import type { OnFailureDestination } from './failures/destinations/OnFailureDestination.js';
import type { FunctionInvoker } from './invocation/FunctionInvoker.js';
import { inProcessInvoker, type StreamHandlerFunction } from './invocation/inProcessInvoker.js';
import type { InvocationReport } from './observability/InvocationReport.js';
import type { Logger } from './observability/logger.js';
import type { RecordSource } from './sources/RecordSource.js';

/**
 * What to replay, through what, with which settings: a finite source (a `TapeSource`, a `liveRangeSource`),
 * a function (an invoker, or a handler run in this process), and the mapping's settings under SAM's names.
 *
 * @example
 * const options: ReplayOptions = { source: await TapeSource.load('orders.tape.ndjson'), handler,
 *   config: { BatchSize: 100, FunctionResponseTypes: ['ReportBatchItemFailures'] } };
 */
interface ReplayOptions {
  /** A finite source: the replay ends when every shard of it has ended. */
  readonly source: RecordSource & { readonly streamArn?: string };
  /** The stream named in events and failure records. @default the source's `streamArn` */
  readonly streamArn?: string;
  /** The function, as an invoker (`eddy replay --function` runs it as `eddy dev` does). */
  readonly invoker?: FunctionInvoker;
  /** Or a handler run in this process (`inProcessInvoker`). */
  readonly handler?: StreamHandlerFunction;
  /**
   * The mapping's settings (SAM names), validated as a template's are. `StartingPosition` is always
   * `TRIM_HORIZON`: a replay reads its source from the start (or from its own checkpoints).
   */
  readonly config?: MappingConfigInput | ResolvedMappingConfig;
  /** The replay's checkpoints (never the live mapping's). @default a fresh MemoryCheckpointStore */
  readonly checkpoints?: CheckpointStore;
  /** Keys the replay's checkpoints. @default 'replay' */
  readonly mappingId?: string;
  /** DestinationConfig.OnFailure, resolved (see `destinationFor`). */
  readonly onFailure?: OnFailureDestination;
  readonly functionArn?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly onInvocation?: (report: InvocationReport) => void;
  /** Stops the replay: in-flight batches finish and are checkpointed; the summary says it did not complete. */
  readonly signal?: AbortSignal;
}

/**
 * What a replay did: records read from the source, invocations (retries included), failed invocations,
 * records discarded after their retries (sent to the on-failure destination, if any), records filtered out,
 * records the function found already applied, how long it took on the clock and the records per second that
 * makes.
 *
 * @example
 * const { records, recordsPerSecond, discarded } = await replay(options);
 * console.log(`${records} records at ${Math.round(recordsPerSecond)}/s, ${discarded} discarded`);
 */
interface ReplaySummary {
  readonly records: number;
  readonly invocations: number;
  readonly failures: number;
  readonly discarded: number;
  readonly filteredOut: number;
  /**
   * Records the function found already applied and skipped (a projection's row already reflected a newer
   * record): counted once each, whatever the retries.
   */
  readonly superseded: number;
  readonly durationMs: number;
  readonly recordsPerSecond: number;
  /** Every shard of the source was read to its end and every record is done (false: stopped by `signal`). */
  readonly completed: boolean;
}

/**
 * Replays a finite source through a function with the runtime live processing uses: filters, batching,
 * ParallelizationFactor, retries, bisect, partial batch responses, tumbling windows and destinations apply;
 * each item's records keep their order and parents go before children. Resolves with a summary once every
 * record is done. Its checkpoints are its own (a fresh memory store unless given).
 *
 * @example
 * import { TapeSource, replay } from 'eddy/runtime';
 * import { handler } from './handlers/ordersProjection.js';
 *
 * const summary = await replay({
 *   source: await TapeSource.load('orders.tape.ndjson.gz'),
 *   handler,
 *   config: { BatchSize: 100, FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 2 },
 * });
 * console.log(`${summary.records} records, ${summary.discarded} discarded`);
 */
const replay = async (options: ReplayOptions): Promise<ReplaySummary> => {
  const streamArn = options.streamArn ?? options.source.streamArn;
  if (streamArn === undefined) throw new TypeError('replay: give the streamArn the source was read from');
  const invoker =
    options.invoker ??
    (options.handler === undefined
      ? undefined
      : inProcessInvoker(options.handler, options.clock === undefined ? {} : { clock: options.clock }));
  if (invoker === undefined) throw new TypeError('replay: give an invoker or a handler');
  const given = options.config ?? {};
  const config: ResolvedMappingConfig =
    typeof (given as ResolvedMappingConfig).ReportBatchItemFailures === 'boolean'
      ? { ...(given as ResolvedMappingConfig), StartingPosition: 'TRIM_HORIZON' }
      : resolveMappingConfig({ ...given, StartingPosition: 'TRIM_HORIZON' });
  const clock = options.clock ?? systemClock;
  let invocations = 0;
  let failures = 0;
  const superseded = new Set<string>();
  const mapping = new EventSourceMapping({
    mappingId: options.mappingId ?? 'replay',
    streamArn,
    source: options.source,
    config,
    invoker,
    checkpoints: options.checkpoints ?? new MemoryCheckpointStore(),
    clock,
    metricsLogIntervalMs: 0,
    ...(options.onFailure === undefined ? {} : { onFailure: options.onFailure }),
    ...(options.functionArn === undefined ? {} : { functionArn: options.functionArn }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    onInvocation: (report) => {
      invocations += 1;
      if (report.outcome !== 'success') failures += 1;
      for (const sequenceNumber of report.superseded ?? [])
        superseded.add(`${report.shardId}/${sequenceNumber}`);
      options.onInvocation?.(report);
    },
  });
  const started = clock.now();
  const stop = () => void mapping.stop();
  if (options.signal?.aborted === true) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    mapping.start();
    const completed = await mapping.drained();
    await mapping.stop();
    const durationMs = clock.now() - started;
    const { total } = mapping.metrics();
    const records = total.PolledEventCount;
    return {
      records,
      invocations,
      failures,
      discarded: total.DroppedEventCount,
      filteredOut: total.FilteredOutEventCount,
      superseded: superseded.size,
      durationMs,
      recordsPerSecond: durationMs > 0 ? (records * 1000) / durationMs : records === 0 ? 0 : Infinity,
      completed,
    };
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
};

export type { ReplayOptions, ReplaySummary };
export { replay };
