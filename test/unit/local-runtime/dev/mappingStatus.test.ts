import { describe, expect, it } from 'vitest';
import { MappingMonitor } from '../../../../local-runtime/dev/MappingMonitor.js';
import { metricsLine, recoveredLine, statusLine } from '../../../../local-runtime/dev/mappingStatus.js';
import type { InvocationReport } from '../../../../src/runtime/observability/InvocationReport.js';
import type { ShardMetrics } from '../../../../src/runtime/observability/MappingMetrics.js';
import { ManualClock } from '../../../../src/time/clock.js';

const ZERO: ShardMetrics = {
  IteratorAge: 0,
  PolledEventCount: 0,
  FilteredOutEventCount: 0,
  InvokedEventCount: 0,
  FailedInvokeEventCount: 0,
  DroppedEventCount: 0,
  OnFailureDestinationDeliveredEventCount: 0,
  TrimmedEventCount: 0,
};

const report = (
  outcome: InvocationReport['outcome'],
  extra: Partial<InvocationReport> = {},
): InvocationReport => ({
  mappingId: 'Fn-Stream',
  shardId: 'shardId-1',
  records: 2,
  firstSequenceNumber: '1',
  lastSequenceNumber: '2',
  attempt: 1,
  outcome,
  failures: [],
  durationMs: 3,
  ...extra,
});

describe('metricsLine', () => {
  it('sums each EventCount over the interval (CloudWatch aggregates Lambda ESM metrics per minute) and gives the latest IteratorAge', () => {
    const before = { ...ZERO, PolledEventCount: 10, InvokedEventCount: 10 };
    const now = {
      ...before,
      IteratorAge: 250,
      PolledEventCount: 13,
      InvokedEventCount: 12,
      FailedInvokeEventCount: 1,
    };
    expect(metricsLine('Fn-Stream', before, now, 60_000)).toBe(
      '[Fn-Stream] metrics, last 60 s: IteratorAge 250 ms, PolledEventCount 3, FilteredOutEventCount 0, ' +
        'InvokedEventCount 2, FailedInvokeEventCount 1, DroppedEventCount 0, OnFailureDestinationDeliveredEventCount 0',
    );
  });

  it('says nothing for an interval without events (IteratorAge has no data point without an invocation)', () => {
    const totals = { ...ZERO, PolledEventCount: 5, InvokedEventCount: 5, IteratorAge: 550 };
    expect(metricsLine('Fn-Stream', totals, totals, 60_000)).toBeUndefined();
  });

  it('shows TrimmedEventCount (not a Lambda metric) only when records were lost to retention', () => {
    expect(metricsLine('M', undefined, { ...ZERO, TrimmedEventCount: 2 }, 500)).toMatch(
      /^\[M\] metrics, last 0\.5 s: .*, TrimmedEventCount 2$/,
    );
  });
});

describe('statusLine', () => {
  const state = { metrics: { ...ZERO, IteratorAge: 95_000 }, recordsBehind: 1200, inFlight: 1 };

  it('says a mapping lags from the threshold on, with how far behind it is and what it is doing', () => {
    expect(statusLine('Fn-Stream', state, { lagThresholdMs: 60_000, failedSince: false })).toBe(
      '[Fn-Stream] lagging: iterator age 95.0 s, 1200 records behind, 1 batch in flight',
    );
    expect(statusLine('Fn-Stream', state, { lagThresholdMs: 95_001, failedSince: false })).toBeUndefined();
  });

  it('does not call a mapping that has caught up lagging, whatever the age of its last invocation', () => {
    const caughtUp = { ...state, recordsBehind: 0, inFlight: 0 };
    expect(statusLine('Fn-Stream', caughtUp, { lagThresholdMs: 60_000, failedSince: false })).toBeUndefined();
    expect(
      statusLine('Fn-Stream', { ...caughtUp, inFlight: 1 }, { lagThresholdMs: 60_000, failedSince: false }),
    ).toMatch(/lagging/);
  });

  it('says a mapping fails, with its last error and when it happened', () => {
    const failing = {
      metrics: { ...ZERO, IteratorAge: 40 },
      recordsBehind: 1,
      inFlight: 0,
      lastError: { message: 'function error: boom', at: Date.UTC(2026, 0, 1, 12) },
    };
    expect(statusLine('Fn-Stream', failing, { lagThresholdMs: 60_000, failedSince: true })).toBe(
      '[Fn-Stream] failing: iterator age 40 ms, 1 record behind, 0 batches in flight; ' +
        'last error (2026-01-01T12:00:00.000Z): function error: boom',
    );
    expect(statusLine('Fn-Stream', failing, { lagThresholdMs: 60_000, failedSince: false })).toBeUndefined();
  });
});

describe('MappingMonitor (on a manual clock)', () => {
  const setup = () => {
    const clock = new ManualClock();
    const lines: string[] = [];
    const monitor = new MappingMonitor({
      clock,
      print: (line) => lines.push(line),
      metricsIntervalMs: 60_000,
      statusIntervalMs: 10_000,
      lagThresholdMs: 60_000,
    });
    const mapping = { total: { ...ZERO }, recordsBehind: 0, inFlight: 0 };
    const failures = monitor.watch('Fn-Stream', () => ({
      metrics: () => ({ total: { ...mapping.total } }),
      progress: () => ({ recordsBehind: mapping.recordsBehind, inFlight: mapping.inFlight }),
    }));
    monitor.start();
    return { clock, lines, monitor, mapping, failures };
  };
  /** Lets the monitor's loops run after the clock moved. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('prints the metrics once a minute, and only for a minute with events', async () => {
    const { clock, lines, monitor, mapping } = setup();
    mapping.total = { ...ZERO, PolledEventCount: 4, InvokedEventCount: 4, IteratorAge: 12 };
    clock.advance(59_999);
    await settle();
    expect(lines.filter((l) => l.includes('metrics'))).toEqual([]);
    clock.advance(1);
    await settle();
    expect(lines.filter((l) => l.includes('metrics'))).toEqual([
      expect.stringMatching(/^\[Fn-Stream\] metrics, last 60 s: IteratorAge 12 ms, PolledEventCount 4, /),
    ]);
    mapping.total = { ...mapping.total, IteratorAge: 0 };
    clock.advance(60_000);
    await settle();
    expect(lines.filter((l) => l.includes('metrics'))).toHaveLength(1);
    monitor.stop();
  });

  it('prints a status line once per new failure, and for as long as the mapping lags', async () => {
    const { clock, lines, monitor, mapping, failures } = setup();
    failures.invocation(report('success'));
    failures.invocation(report('failure', { error: 'Error: boom' }));
    clock.advance(10_000);
    await settle();
    expect(lines).toEqual([
      expect.stringMatching(/^\[Fn-Stream\] failing: .*; last error \(.*\): function error: Error: boom$/),
    ]);
    clock.advance(10_000);
    await settle();
    // No new failure and nothing behind: said once, then nothing.
    expect(lines.slice(1)).toEqual(['[Fn-Stream] caught up: nothing behind, no new failure']);
    clock.advance(10_000);
    await settle();
    expect(lines).toHaveLength(2);
    const failedAt = clock.now();
    failures.error("could not list the stream's shards; retrying: Requested resource not found");
    mapping.total = { ...ZERO, IteratorAge: 75_000 };
    mapping.recordsBehind = 300;
    clock.advance(10_000);
    await settle();
    expect(lines.at(-1)).toBe(
      '[Fn-Stream] lagging: iterator age 75.0 s, 300 records behind, 0 batches in flight; last error (' +
        `${new Date(failedAt).toISOString()}): could not list the stream's shards; retrying: Requested resource not found`,
    );
    clock.advance(10_000);
    await settle();
    expect(lines.filter((l) => l.includes('lagging'))).toHaveLength(2);
    monitor.stop();
  });

  it('counts batch item failures as failures', async () => {
    const { clock, lines, monitor, failures } = setup();
    failures.invocation(report('partial', { failures: ['1', '2'] }));
    clock.advance(10_000);
    await settle();
    expect(lines.at(-1)).toMatch(/last error \(.*\): 2 batch item failures reported$/);
    monitor.stop();
  });
});

describe('status lines on a terminal and elsewhere', () => {
  const lagging = { metrics: { ...ZERO, IteratorAge: 90_000 }, recordsBehind: 5, inFlight: 1 };

  it('colours the state word only when asked (a terminal), and are plain otherwise', () => {
    const plain = statusLine('Fn-Stream', lagging, { lagThresholdMs: 60_000, failedSince: false });
    const colored = statusLine('Fn-Stream', lagging, {
      lagThresholdMs: 60_000,
      failedSince: false,
      color: true,
    });
    expect(plain).toBe('[Fn-Stream] lagging: iterator age 90.0 s, 5 records behind, 1 batch in flight');
    expect(plain).not.toContain('\u001b');
    expect(colored).toBe(
      '[Fn-Stream] \u001b[33mlagging\u001b[39m: iterator age 90.0 s, 5 records behind, 1 batch in flight',
    );
    expect(recoveredLine('Fn-Stream')).toBe('[Fn-Stream] caught up: nothing behind, no new failure');
    expect(recoveredLine('Fn-Stream', true)).toContain('\u001b[32mcaught up\u001b[39m');
  });
});
