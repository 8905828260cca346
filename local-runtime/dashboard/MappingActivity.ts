import type { InvocationReport } from '../../src/runtime/observability/InvocationReport.js';

/** The last thing that went wrong in a mapping, with the records it concerned. */
interface LastError {
  readonly message: string;
  readonly at: number;
  readonly shardId?: string;
  readonly firstSequenceNumber?: string;
  readonly lastSequenceNumber?: string;
  /** How many records the failed batch had. */
  readonly records?: number;
}

/** One sample of a mapping's shards: iterator age (ms) and records read but not finished, per shard. */
interface ActivitySample {
  readonly at: number;
  readonly byShard: Readonly<
    Record<string, { readonly iteratorAge: number; readonly recordsBehind: number }>
  >;
}

/**
 * What the dashboard counts of a mapping's invocations, beyond Lambda's metrics the runtime keeps
 * (`EventSourceMapping.metrics`): invocations, retries (an attempt after the first), bisects, the records
 * discarded, and the last error with its batch.
 */
interface ActivityCounts {
  readonly invocations: number;
  readonly retries: number;
  readonly bisects: number;
  readonly partialFailures: number;
  readonly functionErrors: number;
  readonly discarded: number;
  readonly lastError?: LastError;
}

/** How many samples a mapping keeps: at most one a second, five minutes. */
const MAX_SAMPLES = 300;

/**
 * A mapping's activity as the dashboard shows it: counts taken from each `InvocationReport` (the runtime's
 * reporting hook), the runtime's own errors (listing shards, destinations), and samples of per-shard lag (read
 * with `readLag`, at most one per `minIntervalMs`, the newest `MAX_SAMPLES` kept). A sample is taken when the
 * mapping reports an invocation or an error, so a busy mapping has its history when the page opens, and when the
 * page asks (`sample`), so the chart goes on while it is shown. Nothing else samples: no timer, so an idle
 * `eddy dev` nobody watches costs nothing. Time is given by the caller.
 *
 * @example
 * const activity = new MappingActivity(() => ({ 'shardId-1': { iteratorAge: 120, recordsBehind: 3 } }));
 * activity.invocation(report, Date.now()); // counts it, and samples the lag unless a sample is under 1 s old
 * activity.sample(Date.now());
 */
class MappingActivity {
  #counts: {
    invocations: number;
    retries: number;
    bisects: number;
    partialFailures: number;
    functionErrors: number;
    discarded: number;
    lastError?: LastError;
  } = { invocations: 0, retries: 0, bisects: 0, partialFailures: 0, functionErrors: 0, discarded: 0 };
  readonly #samples: ActivitySample[] = [];
  readonly #minIntervalMs: number;
  readonly #readLag: () => ActivitySample['byShard'];

  constructor(readLag: () => ActivitySample['byShard'], options: { readonly minIntervalMs?: number } = {}) {
    this.#readLag = readLag;
    this.#minIntervalMs = options.minIntervalMs ?? 1000;
  }

  /**
   * Counts one invocation (Lambda's retries and bisects are attempts of the same batch) and samples the lag
   * (throttled).
   */
  invocation(report: InvocationReport, at: number): void {
    this.#count(report, at);
    this.sample(at);
  }

  #count(report: InvocationReport, at: number): void {
    const counts = this.#counts;
    counts.invocations += 1;
    if (report.attempt > 1) counts.retries += 1;
    if (report.bisectedInto !== undefined) counts.bisects += 1;
    counts.discarded += report.discarded ?? 0;
    if (report.outcome === 'success') return;
    if (report.outcome === 'partial') counts.partialFailures += 1;
    else counts.functionErrors += 1;
    counts.lastError = {
      message:
        report.outcome === 'partial'
          ? `${report.failures.length} batch item failure${report.failures.length === 1 ? '' : 's'} reported` +
            ` (first ${report.failures[0] ?? '?'})`
          : `function error: ${report.error ?? 'unknown'}`,
      at,
      shardId: report.shardId,
      firstSequenceNumber:
        report.outcome === 'partial'
          ? (report.failures[0] ?? report.firstSequenceNumber)
          : report.firstSequenceNumber,
      lastSequenceNumber: report.lastSequenceNumber,
      records: report.records,
    };
  }

  /**
   * An error of the runtime itself (listing shards, a destination): the mapping's last error; samples the lag
   * (throttled).
   */
  error(message: string, at: number): void {
    this.#counts.lastError = { message, at };
    this.sample(at);
  }

  /**
   * Reads and keeps a lag sample unless the last one is younger than the minimum interval (checked before
   * reading, so a busy mapping pays one read a second); returns whether it kept one.
   */
  sample(at: number): boolean {
    const last = this.#samples.at(-1);
    if (last !== undefined && at - last.at < this.#minIntervalMs) return false;
    this.#samples.push({ at, byShard: this.#readLag() });
    if (this.#samples.length > MAX_SAMPLES) this.#samples.shift();
    return true;
  }

  get counts(): ActivityCounts {
    return { ...this.#counts };
  }

  get samples(): readonly ActivitySample[] {
    return this.#samples;
  }
}

export type { ActivityCounts, ActivitySample, LastError };
export { MAX_SAMPLES, MappingActivity };
