import type { ResolvedMappingConfig } from '../../src/runtime/config/resolveMappingConfig.js';
import type { ShardMetrics } from '../../src/runtime/observability/MappingMetrics.js';

/** What the dashboard reads of a running mapping (an `EventSourceMapping` has all of it). */
interface ObservedMapping {
  readonly config: ResolvedMappingConfig;
  metrics(): { readonly total: ShardMetrics; readonly byShard: Readonly<Record<string, ShardMetrics>> };
  progress(): {
    readonly recordsBehind: number;
    readonly inFlight: number;
    readonly byShard: Readonly<Record<string, { readonly recordsBehind: number; readonly inFlight: number }>>;
  };
}

export type { ObservedMapping };
