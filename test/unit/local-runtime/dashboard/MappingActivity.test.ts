import { describe, expect, it } from 'vitest';
import { MAX_SAMPLES, MappingActivity } from '../../../../local-runtime/dashboard/MappingActivity.js';
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
    const activity = new MappingActivity();
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
    const activity = new MappingActivity();
    activity.invocation(report({ outcome: 'partial', failures: ['102', '103'] }), 7);
    expect(activity.counts.lastError).toMatchObject({
      message: '2 batch item failures reported (first 102)',
      firstSequenceNumber: '102',
    });
    expect(activity.counts.partialFailures).toBe(1);
  });

  it('keeps the runtime’s own errors as the last error', () => {
    const activity = new MappingActivity();
    activity.error('listing shards failed: throttled', 9);
    expect(activity.counts.lastError).toEqual({ message: 'listing shards failed: throttled', at: 9 });
  });

  it('samples at most once per interval and keeps the newest MAX_SAMPLES', () => {
    const activity = new MappingActivity({ minIntervalMs: 1000 });
    expect(activity.sample(0, { s: { iteratorAge: 1, recordsBehind: 0 } })).toBe(true);
    expect(activity.sample(999, { s: { iteratorAge: 2, recordsBehind: 0 } })).toBe(false);
    for (let i = 1; i <= MAX_SAMPLES + 5; i++) activity.sample(i * 1000, {});
    expect(activity.samples).toHaveLength(MAX_SAMPLES);
    expect(activity.samples[0]?.at).toBe(6000);
  });
});
