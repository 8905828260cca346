import type { ShardMetrics } from '../../src/runtime/observability/MappingMetrics.js';
import type { DashboardRegistry } from './DashboardRegistry.js';
import type { ActivityCounts, ActivitySample } from './MappingActivity.js';
import { type ShardLag, shardLag } from './shardLag.js';

/** One mapping as the mappings view shows it. */
interface MappingView {
  readonly mappingId: string;
  readonly region: string;
  readonly functionLabel: string;
  readonly streamArn: string;
  /** `disabled` (Enabled: false), `processing` (a batch in flight), `behind` (records read, not done), `idle`. */
  readonly state: 'disabled' | 'processing' | 'behind' | 'idle';
  readonly settings: Readonly<Record<string, unknown>>;
  readonly inFlight: number;
  readonly recordsBehind: number;
  /** Lambda's metrics, totals since start (IteratorAge: the largest shard's). */
  readonly metrics: ShardMetrics;
  readonly byShard: Readonly<Record<string, ShardLag>>;
  readonly activity: ActivityCounts;
  /** The lag samples, when asked for (`withHistory`): the only part that grows with shards and time. */
  readonly history?: readonly ActivitySample[];
  readonly failuresFile?: string;
}

/**
 * Every registered mapping's state, metrics and activity; takes a lag sample of each (at most one a second, see
 * MappingActivity) so the chart goes on while the page is open, between the samples the mapping's invocations
 * take.
 *
 * @example
 * const views = mappingsView(registry, { withHistory: true });
 */
const mappingsView = (
  registry: DashboardRegistry,
  options: { readonly withHistory: boolean } = { withHistory: false },
): MappingView[] => {
  const now = registry.now();
  return registry.mappings.map((entry) => {
    const { mapping, activity } = entry;
    const metrics = mapping.metrics();
    const progress = mapping.progress();
    const byShard = shardLag(mapping);
    activity.sample(now);
    const { config } = mapping;
    return {
      mappingId: entry.mappingId,
      region: entry.region,
      functionLabel: entry.functionLabel,
      streamArn: entry.streamArn,
      state: !config.Enabled
        ? 'disabled'
        : progress.inFlight > 0
          ? 'processing'
          : progress.recordsBehind > 0
            ? 'behind'
            : 'idle',
      settings: {
        BatchSize: config.BatchSize,
        StartingPosition: config.StartingPosition,
        MaximumRetryAttempts: config.MaximumRetryAttempts,
        BisectBatchOnFunctionError: config.BisectBatchOnFunctionError,
        ReportBatchItemFailures: config.ReportBatchItemFailures,
        ParallelizationFactor: config.ParallelizationFactor,
        ...(config.FilterCriteria === undefined ? {} : { FilterCriteria: config.FilterCriteria }),
      },
      inFlight: progress.inFlight,
      recordsBehind: progress.recordsBehind,
      metrics: metrics.total,
      byShard,
      activity: activity.counts,
      ...(options.withHistory ? { history: activity.samples } : {}),
      ...(entry.failuresFile === undefined ? {} : { failuresFile: entry.failuresFile }),
    };
  });
};

export type { MappingView };
export { mappingsView };
