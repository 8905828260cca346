import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../../src/runtime/observability/logger.js';
import { logMetricsEvery } from '../../../../../src/runtime/observability/logMetricsEvery.js';
import { MappingMetrics } from '../../../../../src/runtime/observability/MappingMetrics.js';
import { ManualClock } from '../../../../../src/time/clock.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A logger that keeps the fields of its info lines. */
const infoLines = () => {
  const lines: Record<string, unknown>[] = [];
  const logger: Logger = {
    debug: () => {},
    info: (_, fields) => void lines.push(fields ?? {}),
    warn: () => {},
    error: () => {},
  };
  return { lines, logger };
};

describe(logMetricsEvery.name, () => {
  it('logs the metrics once per interval of the clock, until stopped', async () => {
    const clock = new ManualClock();
    const { lines, logger } = infoLines();
    const metrics = new MappingMetrics();
    metrics.add('shard-1', 'PolledEventCount', 3);
    const abort = new AbortController();
    const running = logMetricsEvery(60_000, { mappingId: 'm', metrics, logger, clock }, abort.signal);
    clock.advance(59_999);
    await turn();
    expect(lines).toEqual([]);
    clock.advance(1);
    await turn();
    expect(lines).toMatchObject([{ mappingId: 'm', PolledEventCount: 3 }]);
    abort.abort();
    await running;
    clock.advance(60_000);
    await turn();
    expect(lines).toHaveLength(1);
  });

  it("logs the record source's own figures under source, read at each line (a bootstrap's progress)", async () => {
    const clock = new ManualClock();
    const { lines, logger } = infoLines();
    const metrics = new MappingMetrics();
    expect(metrics.snapshot().source).toBeUndefined();
    let scanned = 0;
    metrics.reportSource(() => ({ BootstrapScannedItemCount: scanned }));
    const abort = new AbortController();
    const running = logMetricsEvery(1000, { mappingId: 'm', metrics, logger, clock }, abort.signal);
    scanned = 10;
    clock.advance(1000);
    await turn();
    scanned = 25;
    clock.advance(1000);
    await turn();
    abort.abort();
    await running;
    expect(lines.map((line) => line.source)).toEqual([
      { BootstrapScannedItemCount: 10 },
      { BootstrapScannedItemCount: 25 },
    ]);
  });

  it('logs nothing with an interval of 0', async () => {
    const clock = new ManualClock();
    const metrics = new MappingMetrics();
    let logged = 0;
    const logger: Logger = {
      debug: () => {},
      info: () => {
        logged += 1;
      },
      warn: () => {},
      error: () => {},
    };
    await logMetricsEvery(0, { mappingId: 'm', metrics, logger, clock }, new AbortController().signal);
    expect(clock.nextWakeUp()).toBeUndefined();
    expect(logged).toBe(0);
  });
});
