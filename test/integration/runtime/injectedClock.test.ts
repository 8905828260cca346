import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/inProcessInvoker.js';
import { ManualClock } from '../../../src/time/clock.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

/**
 * Time-driven settings, tested by moving a clock instead of sleeping: the emulator and the mapping share a
 * ManualClock, and the emulator's wake-up hint (not a timer) tells the mapping when records arrive.
 */
let h: EmulatorHarness;
let mapping: EventSourceMapping | undefined;
afterEach(async () => {
  await mapping?.stop();
  mapping = undefined;
  await h.close();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

const start = async (
  config: Record<string, unknown>,
  handler = async (_e: DynamoDBStreamEvent): Promise<unknown> => undefined,
) => {
  // One clock for the emulator (record times, iterators) and the mapping (windows, ages, backoff).
  const clock = new ManualClock(Date.now());
  h = await startHarness({ clock });
  const streamArn = await createStreamTable(h.dynamodb, 'timed', 'NEW_IMAGE');
  const events: DynamoDBStreamEvent[] = [];
  mapping = new EventSourceMapping({
    mappingId: 'timed',
    streamArn,
    client: h.streams,
    clock,
    config: { StartingPosition: 'TRIM_HORIZON', ...config },
    invoker: inProcessInvoker(
      async (event) => {
        events.push(event);
        return handler(event);
      },
      { timeoutSeconds: 3600 },
    ),
    wakeUps: {
      subscribe: (listener) =>
        h.running.emulator.onRecords((e) => e.streamArn === streamArn && listener(e.shardId)),
    },
  });
  mapping.start();
  // Let discovery (which runs at once) start the shard's consumer.
  await settle();
  return { clock, events };
};
const put = (id: string) =>
  h.dynamodb.send(new PutItemCommand({ TableName: 'timed', Item: { pk: { S: id } } }));

describe('MaximumBatchingWindowInSeconds on the injected clock', () => {
  it('holds records until the window has passed on the clock', async () => {
    const { clock, events } = await start({ MaximumBatchingWindowInSeconds: 60 });
    for (const id of ['a', 'b', 'c']) await put(id);
    await settle();
    clock.advance(59_000);
    await settle();
    expect(events).toHaveLength(0);
    clock.advance(1_000);
    await waitFor(() => events.length === 1, 'the window to close');
    expect(events[0]?.Records).toHaveLength(3);
  });
});

describe('MaximumRecordAgeInSeconds on the injected clock', () => {
  it('discards records once the clock says they are older than the limit', async () => {
    const { clock, events } = await start(
      { MaximumRecordAgeInSeconds: 60, MaximumRetryAttempts: -1 },
      async () => {
        throw new Error('keeps failing');
      },
    );
    await put('old');
    await waitFor(() => events.length >= 1, 'the first attempt');
    // Infinite retries would block the shard forever; age ends them. Retries back off on the same clock.
    clock.advance(61_000);
    await waitFor(() => mapping?.metrics().total.DroppedEventCount === 1, 'the record to age out');
    await put('new');
    await waitFor(
      () => events.some((e) => e.Records.some((r) => r.dynamodb?.Keys?.pk?.S === 'new')),
      'the next record',
    );
  });
});

describe('TumblingWindowInSeconds on the injected clock', () => {
  it('closes a window with its final invocation when the clock passes its end', async () => {
    const { clock, events } = await start({ TumblingWindowInSeconds: 900 }, async (event) => ({
      state: {
        count: ((event as unknown as { state: { count?: number } }).state.count ?? 0) + event.Records.length,
      },
    }));
    await put('w1');
    await put('w2');
    await waitFor(() => events.reduce((n, e) => n + e.Records.length, 0) === 2, 'the records');
    const final = () =>
      events.find((e) => (e as unknown as { isFinalInvokeForWindow: boolean }).isFinalInvokeForWindow);
    expect(final()).toBeUndefined();
    clock.advance(901_000);
    await waitFor(() => final() !== undefined, 'the final invocation');
    expect((final() as unknown as { state: { count: number } }).state.count).toBe(2);
  });
});
