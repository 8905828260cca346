import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ManualClock, startTestEmulator, type TestHandler } from '../../../local-runtime/testing/index.js';

/**
 * Time-driven settings, tested by moving a clock instead of sleeping: the emulator and the mapping share a
 * ManualClock (the test kit's), the emulator's wake-up hint (not a timer) tells the mapping when records
 * arrive, and `idle()` / `settled({ advanceClock: false })` wait for effects while only the test moves time.
 */
const start = async (settings: Record<string, unknown>, handler: TestHandler = async () => undefined) => {
  const eddy = await startTestEmulator({
    clock: new ManualClock(Date.now()),
    tables: [
      {
        TableName: 'timed',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      },
    ],
  });
  const run = await eddy.runHandler(handler, { table: 'timed', settings, timeoutSeconds: 3600 });
  await run.idle();
  return { eddy, run, clock: eddy.clock, events: () => run.invocations.map((i) => i.event) };
};

describe('MaximumBatchingWindowInSeconds on the injected clock', () => {
  it('holds records until the window has passed on the clock', async () => {
    const { eddy, run, clock, events } = await start({ MaximumBatchingWindowInSeconds: 60 });
    await using _ = eddy;
    for (const pk of ['a', 'b', 'c']) await eddy.put('timed', { pk });
    await run.idle();
    clock.advance(59_000);
    await run.idle();
    expect(events()).toHaveLength(0);
    clock.advance(1_000);
    await run.settled({ advanceClock: false });
    expect(events()).toHaveLength(1);
    expect(events()[0]?.Records).toHaveLength(3);
  });
});

describe('MaximumRecordAgeInSeconds on the injected clock', () => {
  it('discards records once the clock says they are older than the limit', async () => {
    const { eddy, run, clock, events } = await start(
      { MaximumRecordAgeInSeconds: 60, MaximumRetryAttempts: -1 },
      async () => {
        throw new Error('keeps failing');
      },
    );
    await using _ = eddy;
    await eddy.put('timed', { pk: 'old' });
    await run.idle();
    expect(events().length).toBeGreaterThanOrEqual(1);
    // Infinite retries would block the shard forever; age ends them. Retries back off on the same clock.
    clock.advance(61_000);
    await run.settled({ advanceClock: false });
    expect(run.mapping.metrics().total.DroppedEventCount).toBe(1);
    expect(run.onFailure.map((r) => r.requestContext.condition)).toEqual(['RecordAgeExceeded']);
    await eddy.put('timed', { pk: 'new' });
    await run.idle();
    expect(run.records().some((r) => r.dynamodb?.Keys?.pk?.S === 'new')).toBe(true);
  });
});

describe('TumblingWindowInSeconds on the injected clock', () => {
  it('closes a window with its final invocation when the clock passes its end', async () => {
    const { eddy, run, clock, events } = await start({ TumblingWindowInSeconds: 900 }, async (event) => ({
      state: {
        count: ((event as { state?: { count?: number } }).state?.count ?? 0) + event.Records.length,
      },
    }));
    await using _ = eddy;
    await eddy.put('timed', { pk: 'w1' });
    await eddy.put('timed', { pk: 'w2' });
    await run.idle();
    expect(run.records()).toHaveLength(2);
    const final = () =>
      events().find(
        (e) => (e as DynamoDBStreamEvent & { isFinalInvokeForWindow?: boolean }).isFinalInvokeForWindow,
      );
    expect(final()).toBeUndefined();
    clock.advance(901_000);
    await run.settled({ advanceClock: false });
    expect((final() as unknown as { state: { count: number } }).state.count).toBe(2);
  });
});
