import type { ShardMetrics } from '../../src/runtime/observability/MappingMetrics.js';

/** A mapping as `eddy dev` watches it: its metrics (totals since start), its progress and its last error. */
interface MappingState {
  readonly metrics: ShardMetrics;
  /** Records read and not yet finished with. */
  readonly recordsBehind: number;
  /** Batches being processed (retries and their backoff included). */
  readonly inFlight: number;
  /** The last failure: a function error, batch item failures, or the runtime's own (listing shards, …). */
  readonly lastError?: { readonly message: string; readonly at: number };
}

type Counter = Exclude<keyof ShardMetrics, 'IteratorAge'>;

/** Lambda's names (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), then eddy's own. */
const COUNTERS: readonly Counter[] = [
  'PolledEventCount',
  'FilteredOutEventCount',
  'InvokedEventCount',
  'FailedInvokeEventCount',
  'DroppedEventCount',
  'OnFailureDestinationDeliveredEventCount',
  'TrimmedEventCount',
];

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

/** An iterator age as a person reads it: ms under a second, then seconds, then minutes. */
const age = (ms: number): string =>
  ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;

/**
 * The metrics line `eddy dev` prints for a mapping once per interval, as CloudWatch aggregates Lambda's event source
 * mapping metrics per minute: each EventCount is the sum over the interval, IteratorAge the latest (the largest of
 * the mapping's shards, as of its last invocation). Nothing for an interval without events.
 *
 * @example
 * metricsLine('Fn-Stream', undefined, { ...zero, PolledEventCount: 3, InvokedEventCount: 3, IteratorAge: 120 }, 60_000);
 * // '[Fn-Stream] metrics, last 60 s: IteratorAge 120 ms, PolledEventCount 3, …'
 */
const metricsLine = (
  mappingId: string,
  previous: ShardMetrics | undefined,
  current: ShardMetrics,
  intervalMs: number,
): string | undefined => {
  const counts = COUNTERS.map((name) => [name, current[name] - (previous?.[name] ?? 0)] as const);
  // IteratorAge is measured at each invocation, as Lambda's: a quiet interval has no data point, and no line.
  if (counts.every(([, count]) => count === 0)) return undefined;
  // TrimmedEventCount is not a Lambda metric: shown only when records were lost to retention.
  const shown = counts.filter(([name, count]) => name !== 'TrimmedEventCount' || count > 0);
  return (
    `[${mappingId}] metrics, last ${seconds(intervalMs)}: IteratorAge ${current.IteratorAge} ms, ` +
    shown.map(([name, count]) => `${name} ${count}`).join(', ')
  );
};

/**
 * The status line of a mapping that lags (its iterator age at or over `lagThresholdMs` while it still has records
 * to finish: an age measured at its last invocation says nothing once it has caught up) or has failed since the
 * last status line (`failedSince`): how far behind it is, what it is doing, and the last error. Nothing for a
 * mapping that keeps up without failing.
 *
 * @example
 * statusLine('Fn-Stream', state, { lagThresholdMs: 60_000, failedSince: false });
 * // '[Fn-Stream] lagging: iterator age 95.0 s, 1200 records behind, 1 batch in flight'
 */
const statusLine = (
  mappingId: string,
  state: MappingState,
  options: {
    readonly lagThresholdMs: number;
    readonly failedSince: boolean;
    /** ANSI colours for the state word (a terminal); plain text otherwise. @default false */
    readonly color?: boolean;
  },
): string | undefined => {
  const busy = state.recordsBehind > 0 || state.inFlight > 0;
  const lagging = busy && state.metrics.IteratorAge >= options.lagThresholdMs;
  if (!lagging && !options.failedSince) return undefined;
  const error =
    state.lastError === undefined
      ? ''
      : `; last error (${new Date(state.lastError.at).toISOString()}): ${state.lastError.message}`;
  const word = lagging ? 'lagging' : 'failing';
  return (
    `[${mappingId}] ${paint(word, lagging ? YELLOW : RED, options.color)}: iterator age ${age(state.metrics.IteratorAge)}, ` +
    `${state.recordsBehind} record${state.recordsBehind === 1 ? '' : 's'} behind, ` +
    `${state.inFlight} batch${state.inFlight === 1 ? '' : 'es'} in flight${error}`
  );
};

/**
 * The line that follows a mapping's lagging or failing lines once it has nothing left behind and no new failure:
 * said once, so the last line about a mapping is never a stale alarm.
 *
 * @example
 * recoveredLine('Fn-Stream'); // '[Fn-Stream] caught up: nothing behind, no new failure'
 */
const recoveredLine = (mappingId: string, color = false): string =>
  `[${mappingId}] ${paint('caught up', GREEN, color)}: nothing behind, no new failure`;

const RED = 31;
const GREEN = 32;
const YELLOW = 33;

/** `text` in an ANSI colour when `color`, as is otherwise (a pipe, a file, NO_COLOR). */
const paint = (text: string, code: number, color = false): string =>
  color ? `\u001b[${code}m${text}\u001b[39m` : text;

export type { MappingState };
export { metricsLine, recoveredLine, statusLine };
