import type { InvocationReport } from '../../src/runtime/observability/InvocationReport.js';
import { type Logger, silentLogger } from '../../src/runtime/observability/logger.js';
import type { ShardMetrics } from '../../src/runtime/observability/MappingMetrics.js';
import type { Clock } from '../../src/time/clock.js';
import { metricsLine, recoveredLine, statusLine } from './mappingStatus.js';

/** What the monitor reads from a mapping (an EventSourceMapping has both). */
interface WatchedMapping {
  metrics(): { readonly total: ShardMetrics };
  progress(): { readonly recordsBehind: number; readonly inFlight: number };
}

interface MappingMonitorOptions {
  readonly clock: Clock;
  readonly print: (line: string) => void;
  /** How often each mapping's metrics line is printed (0: never). CloudWatch's period is a minute. */
  readonly metricsIntervalMs: number;
  /** How often each mapping is checked for lag and new failures (0: never). */
  readonly statusIntervalMs: number;
  /** The iterator age from which a mapping is said to lag. */
  readonly lagThresholdMs: number;
  /** Colour the state words (a terminal: `process.stdout.isTTY`); plain lines otherwise. @default false */
  readonly color?: boolean;
}

/** Records what goes wrong in one mapping: the monitor reports it in the mapping's next status line. */
interface MappingFailures {
  /** An error of the runtime (listing shards, a shard consumer, a destination). */
  error(message: string): void;
  /** An invocation: a function error or batch item failures count as failures. */
  invocation(report: InvocationReport): void;
}

interface Watch {
  readonly mappingId: string;
  readonly mapping: () => WatchedMapping | undefined;
  lastError?: { message: string; at: number };
  /** Failures recorded, and how many of them a status line has reported. */
  failures: number;
  reported: number;
  previous?: ShardMetrics;
  /** A lagging or failing line was the last said of this mapping: a line says when it has caught up. */
  alarmed?: boolean;
}

/**
 * `eddy dev`'s view of its mappings while they run: once per metrics interval a line of each mapping's metrics
 * (the EventCount sums of the interval and IteratorAge), and, at each status interval, a status line for each
 * mapping that lags or has failed since (iterator age, records behind, batches in flight, last error), then one
 * line when it has caught up; nothing about a healthy mapping. Time is the injected clock's, so a test moves it
 * instead of waiting.
 *
 * @example
 * const monitor = new MappingMonitor({ clock, print: console.log, metricsIntervalMs: 60_000, statusIntervalMs: 10_000, lagThresholdMs: 60_000 });
 * const failures = monitor.watch('Fn-Stream', () => mapping);
 * monitor.start();
 */
class MappingMonitor {
  readonly #o: MappingMonitorOptions;
  readonly #watches: Watch[] = [];
  readonly #abort = new AbortController();

  constructor(options: MappingMonitorOptions) {
    this.#o = options;
  }

  /** Watches a mapping (given lazily: it is created after its logger, which reports to the monitor). */
  watch(mappingId: string, mapping: () => WatchedMapping | undefined): MappingFailures {
    const watch: Watch = { mappingId, mapping, failures: 0, reported: 0 };
    this.#watches.push(watch);
    const failed = (message: string) => {
      watch.lastError = { message, at: this.#o.clock.now() };
      watch.failures += 1;
    };
    return {
      error: failed,
      invocation: (report) => {
        if (report.outcome === 'success') return;
        failed(
          report.outcome === 'partial'
            ? `${report.failures.length} batch item failure${report.failures.length === 1 ? '' : 's'} reported`
            : `function error: ${report.error ?? 'unknown'}`,
        );
      },
    };
  }

  start(): void {
    void this.#every(this.#o.metricsIntervalMs, () => this.printMetrics());
    void this.#every(this.#o.statusIntervalMs, () => this.printStatus());
  }

  stop(): void {
    this.#abort.abort(new Error('stopped'));
  }

  /** Prints each mapping's metrics line for the interval just ended. */
  printMetrics(): void {
    for (const watch of this.#watches) {
      const mapping = watch.mapping();
      if (mapping === undefined) continue;
      const current = mapping.metrics().total;
      const line = metricsLine(watch.mappingId, watch.previous, current, this.#o.metricsIntervalMs);
      watch.previous = current;
      if (line !== undefined) this.#o.print(line);
    }
  }

  /** Prints a status line for each mapping that lags or has failed since its last status line. */
  printStatus(): void {
    for (const watch of this.#watches) {
      const mapping = watch.mapping();
      if (mapping === undefined) continue;
      const line = statusLine(
        watch.mappingId,
        {
          metrics: mapping.metrics().total,
          ...mapping.progress(),
          ...(watch.lastError === undefined ? {} : { lastError: watch.lastError }),
        },
        {
          lagThresholdMs: this.#o.lagThresholdMs,
          failedSince: watch.failures > watch.reported,
          color: this.#o.color ?? false,
        },
      );
      if (line === undefined) {
        const { recordsBehind, inFlight } = mapping.progress();
        if (watch.alarmed === true && recordsBehind === 0 && inFlight === 0) {
          watch.alarmed = false;
          this.#o.print(recoveredLine(watch.mappingId, this.#o.color ?? false));
        }
        continue;
      }
      watch.reported = watch.failures;
      watch.alarmed = true;
      this.#o.print(line);
    }
  }

  async #every(intervalMs: number, run: () => void): Promise<void> {
    if (intervalMs <= 0) return;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        await this.#o.clock.sleep(intervalMs, signal);
      } catch {
        return;
      }
      run();
    }
  }
}

export type { MappingFailures, MappingMonitorOptions, WatchedMapping };
export { MappingMonitor };

/**
 * A mapping's logger for `eddy dev`: warnings and errors of the runtime become the mapping's last error (shown in
 * its status line), and everything goes on to `next` (the caller's logger) as well.
 */
const failureLogger = (failures: MappingFailures, next: Logger = silentLogger): Logger => {
  const failed =
    (level: 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>): void => {
      failures.error(fields?.error === undefined ? message : `${message}: ${String(fields.error)}`);
      next[level](message, fields);
    };
  return {
    debug: (message, fields) => next.debug(message, fields),
    info: (message, fields) => next.info(message, fields),
    warn: failed('warn'),
    error: failed('error'),
  };
};

export { failureLogger };
