import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DashboardRegistry,
  type ObservedMapping,
} from '../../../../local-runtime/dashboard/DashboardRegistry.js';
import { MAX_SAMPLES, MappingActivity } from '../../../../local-runtime/dashboard/MappingActivity.js';
import { resolveMappingConfig } from '../../../../src/runtime/config/resolveMappingConfig.js';
import { inProcessInvoker } from '../../../../src/runtime/invocation/inProcessInvoker.js';
import type { InvocationReport } from '../../../../src/runtime/observability/InvocationReport.js';

const report = (over: Partial<InvocationReport> = {}): InvocationReport => ({
  mappingId: 'Fn-Stream',
  shardId: 'shardId-1',
  records: 4,
  firstSequenceNumber: '100',
  lastSequenceNumber: '103',
  attempt: 1,
  outcome: 'success',
  failures: [],
  durationMs: 5,
  ...over,
});

// What the dashboard counts from the runtime's invocation reports (src/runtime/observability/InvocationReport.ts):
// Lambda retries a failed batch whole and, with BisectBatchOnFunctionError, splits it
// (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
describe('MappingActivity', () => {
  it('counts invocations, retries (attempts after the first), bisects and discarded records', () => {
    const activity = new MappingActivity(() => ({}));
    activity.invocation(report(), 1);
    activity.invocation(report({ outcome: 'failure', error: 'boom' }), 2);
    activity.invocation(report({ attempt: 2, outcome: 'failure', error: 'boom', bisectedInto: [2, 2] }), 3);
    activity.invocation(
      report({ attempt: 3, records: 2, outcome: 'failure', error: 'boom', discarded: 2 }),
      4,
    );
    expect(activity.counts).toEqual({
      invocations: 4,
      retries: 2,
      bisects: 1,
      partialFailures: 0,
      functionErrors: 3,
      discarded: 2,
      lastError: {
        message: 'function error: boom',
        at: 4,
        shardId: 'shardId-1',
        firstSequenceNumber: '100',
        lastSequenceNumber: '103',
        records: 2,
      },
    });
  });

  it('names the first failed record of a partial batch response', () => {
    const activity = new MappingActivity(() => ({}));
    activity.invocation(report({ outcome: 'partial', failures: ['102', '103'] }), 7);
    expect(activity.counts.lastError).toMatchObject({
      message: '2 batch item failures reported (first 102)',
      firstSequenceNumber: '102',
    });
    expect(activity.counts.partialFailures).toBe(1);
  });

  it('keeps the runtime’s own errors as the last error', () => {
    const activity = new MappingActivity(() => ({}));
    activity.error('listing shards failed: throttled', 9);
    expect(activity.counts.lastError).toEqual({ message: 'listing shards failed: throttled', at: 9 });
  });

  it('samples at most once per interval and keeps the newest MAX_SAMPLES', () => {
    let age = 0;
    const activity = new MappingActivity(() => ({ s: { iteratorAge: ++age, recordsBehind: 0 } }), {
      minIntervalMs: 1000,
    });
    expect(activity.sample(0)).toBe(true);
    expect(activity.sample(999)).toBe(false);
    for (let i = 1; i <= MAX_SAMPLES + 5; i++) activity.sample(i * 1000);
    expect(activity.samples).toHaveLength(MAX_SAMPLES);
    expect(activity.samples[0]?.at).toBe(6000);
  });

  it('samples the lag when the mapping reports an invocation or an error, throttled, reading it only then', () => {
    let reads = 0;
    const activity = new MappingActivity(
      () => {
        reads += 1;
        return { 'shardId-1': { iteratorAge: 100 * reads, recordsBehind: reads } };
      },
      { minIntervalMs: 1000 },
    );
    activity.invocation(report(), 0);
    activity.invocation(report({ attempt: 2 }), 400); // under 1 s after the last sample: counted, not sampled
    activity.error('listing shards failed: throttled', 999);
    expect(reads).toBe(1);
    activity.invocation(report({ outcome: 'failure', error: 'boom' }), 1000);
    activity.error('listing shards failed: throttled', 2500);
    expect(activity.sample(2600)).toBe(false); // the page asks: the error's sample is recent enough
    expect(activity.sample(3500)).toBe(true);
    expect(activity.samples).toEqual([
      { at: 0, byShard: { 'shardId-1': { iteratorAge: 100, recordsBehind: 1 } } },
      { at: 1000, byShard: { 'shardId-1': { iteratorAge: 200, recordsBehind: 2 } } },
      { at: 2500, byShard: { 'shardId-1': { iteratorAge: 300, recordsBehind: 3 } } },
      { at: 3500, byShard: { 'shardId-1': { iteratorAge: 400, recordsBehind: 4 } } },
    ]);
    expect(activity.counts.invocations).toBe(3);
  });
});

// Issue 15 item 5: an idle `eddy dev` costs next to nothing, so the dashboard keeps no timer per mapping; a
// mapping's history comes from its own invocation reports (and from the page while it asks).
describe('DashboardRegistry lag samples', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const observed = () => {
    const reads = { metrics: 0, progress: 0 };
    const metrics = {
      IteratorAge: 250,
      PolledEventCount: 4,
      FilteredOutEventCount: 0,
      InvokedEventCount: 4,
      FailedInvokeEventCount: 0,
      DroppedEventCount: 0,
      OnFailureDestinationDeliveredEventCount: 0,
      TrimmedEventCount: 0,
    };
    const mapping: ObservedMapping = {
      config: resolveMappingConfig({ StartingPosition: 'TRIM_HORIZON' }),
      metrics: () => {
        reads.metrics += 1;
        return { total: metrics, byShard: { 'shardId-1': metrics } };
      },
      progress: () => {
        reads.progress += 1;
        return {
          recordsBehind: 3,
          inFlight: 1,
          byShard: { 'shardId-1': { recordsBehind: 3, inFlight: 1 } },
        };
      },
    };
    return { mapping, reads };
  };

  it('samples nothing and reads nothing while no report arrives and no page asks, then samples each report', () => {
    vi.useFakeTimers();
    let now = 0;
    const registry = new DashboardRegistry({ now: () => now });
    const { mapping, reads } = observed();
    const hooks = registry.addMapping({
      mappingId: 'Fn-Stream',
      region: 'us-east-1',
      functionLabel: 'Fn',
      streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000',
      mapping,
      invoker: inProcessInvoker(async () => undefined),
      streams: new DynamoDBStreamsClient({ region: 'us-east-1' }), // never sent to here
    });
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10 * 60_000);
    now = 10 * 60_000;
    const activity = registry.mapping('Fn-Stream')?.activity;
    expect(activity?.samples).toEqual([]);
    expect(reads).toEqual({ metrics: 0, progress: 0 });

    hooks.invocation(report());
    now += 300;
    hooks.invocation(report());
    now += 700;
    hooks.error('listing shards failed: throttled');
    expect(activity?.samples).toEqual([
      { at: 600_000, byShard: { 'shardId-1': { iteratorAge: 250, recordsBehind: 3 } } },
      { at: 601_000, byShard: { 'shardId-1': { iteratorAge: 250, recordsBehind: 3 } } },
    ]);
    expect(reads).toEqual({ metrics: 2, progress: 2 });
    expect(vi.getTimerCount()).toBe(0);
  });
});
