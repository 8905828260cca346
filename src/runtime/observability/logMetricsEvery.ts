import type { Clock } from '../../time/clock.js';
import type { Logger } from './logger.js';
import type { MappingMetrics } from './MappingMetrics.js';

/**
 * Writes a mapping's metrics as one structured log line every `intervalMs` of `clock` (0 or less: never),
 * the way Lambda publishes them per minute
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html), until `signal` aborts.
 *
 * @example
 * void logMetricsEvery(60_000, { mappingId, metrics, logger, clock }, signal);
 */
const logMetricsEvery = async (
  intervalMs: number,
  mapping: {
    readonly mappingId: string;
    readonly metrics: MappingMetrics;
    readonly logger: Logger;
    readonly clock: Clock;
  },
  signal: AbortSignal,
): Promise<void> => {
  if (intervalMs <= 0) return;
  while (!signal.aborted) {
    try {
      await mapping.clock.sleep(intervalMs, signal);
    } catch {
      return;
    }
    const { total, byShard, source } = mapping.metrics.snapshot();
    mapping.logger.info('metrics', {
      mappingId: mapping.mappingId,
      ...total,
      byShard,
      ...(source === undefined ? {} : { source }),
    });
  }
};

export { logMetricsEvery };
