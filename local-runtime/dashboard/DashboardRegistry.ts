import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { OnFailureDestination } from '../../src/runtime/failures/destinations/OnFailureDestination.js';
import type { FunctionInvoker } from '../../src/runtime/invocation/FunctionInvoker.js';
import type { InvocationReport } from '../../src/runtime/observability/InvocationReport.js';
import type { JobReport } from './JobReport.js';
import { MappingActivity } from './MappingActivity.js';
import type { ObservedMapping } from './ObservedMapping.js';
import type { ProgressSource } from './ProgressSource.js';
import { ReportedJobs, type ReportedJobView } from './ReportedJobs.js';
import { shardLag } from './shardLag.js';

/**
 * A mapping `eddy dev` runs, as it registers it with the dashboard: what to show, and what a redrive from the
 * dashboard needs (the function, the stream client, the settings, the on-failure destination and its file).
 */
interface DashboardMapping {
  readonly mappingId: string;
  readonly region: string;
  /** The function as the console names it (`Fn` or `Fn@region`). */
  readonly functionLabel: string;
  readonly streamArn: string;
  readonly mapping: ObservedMapping;
  readonly invoker: FunctionInvoker;
  readonly streams: DynamoDBStreamsClient;
  readonly onFailure?: OnFailureDestination;
  /** The local on-failure file (NDJSON), when the destination is one. */
  readonly failuresFile?: string;
}

/** A registered mapping and what the dashboard counted of it. */
interface RegisteredMapping extends DashboardMapping {
  readonly activity: MappingActivity;
}

/**
 * What `eddy dev` tells the dashboard beyond the emulator's state: its mappings (with their activity) and the
 * jobs that report progress. `eddy emulator` has an empty one. Time is the injected `now`.
 *
 * @example
 * const registry = new DashboardRegistry();
 * const activity = registry.addMapping({ mappingId, region, functionLabel, streamArn, mapping, invoker, streams });
 * // in the mapping's onInvocation: activity.invocation(report)
 */
class DashboardRegistry {
  readonly #mappings = new Map<string, RegisteredMapping>();
  readonly #progress: ProgressSource[] = [];
  readonly #reported = new ReportedJobs();
  readonly #now: () => number;

  constructor(options: { readonly now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /**
   * Registers a mapping; returns the hooks its invocation reports and runtime errors go to (each also samples the
   * mapping's lag, at most once a second, so its chart has a history when the page opens).
   */
  addMapping(entry: DashboardMapping): {
    invocation(report: InvocationReport): void;
    error(message: string): void;
  } {
    const activity = new MappingActivity(() => {
      // The chart plots iterator age and records behind; batches in flight are shown as they are now only.
      const samples: Record<string, { iteratorAge: number; recordsBehind: number }> = {};
      for (const [shardId, { iteratorAge, recordsBehind }] of Object.entries(shardLag(entry.mapping))) {
        samples[shardId] = { iteratorAge, recordsBehind };
      }
      return samples;
    });
    this.#mappings.set(entry.mappingId, { ...entry, activity });
    return {
      invocation: (report) => activity.invocation(report, this.#now()),
      error: (message) => activity.error(message, this.#now()),
    };
  }

  /** Registers a job's progress (a bootstrap, a replay); returns the function that removes it. */
  addProgress(source: ProgressSource): () => void {
    this.#progress.push(source);
    return () => {
      const index = this.#progress.indexOf(source);
      if (index >= 0) this.#progress.splice(index, 1);
    };
  }

  /**
   * A job another process runs reported its progress (`eddy bootstrap`, `eddy replay`, `eddy redrive` through
   * `POST /_eddy/api/progress`): it replaces the job's previous report. A bounded number is kept (`ReportedJobs`).
   */
  reportJob(report: JobReport): void {
    this.#reported.report(report, this.#now());
  }

  /** The jobs other processes reported, the most recent first. */
  get reportedJobs(): readonly ReportedJobView[] {
    return this.#reported.views(this.#now());
  }

  get mappings(): readonly RegisteredMapping[] {
    return [...this.#mappings.values()];
  }

  mapping(mappingId: string): RegisteredMapping | undefined {
    return this.#mappings.get(mappingId);
  }

  get progressSources(): readonly ProgressSource[] {
    return this.#progress;
  }

  now(): number {
    return this.#now();
  }
}

export type { DashboardMapping, ObservedMapping, RegisteredMapping };
export { DashboardRegistry };
