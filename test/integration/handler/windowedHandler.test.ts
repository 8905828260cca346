import type { DynamoDBStreamEvent } from 'aws-lambda';
import { defer, reduce } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock, startTestEmulator, type TestEmulator } from '../../../local-runtime/testing/index.js';
import { MemoryCheckpointStore } from '../../../src/checkpoint/MemoryCheckpointStore.js';
import {
  type DynamoDBStreamStateResponse,
  type DynamoDBStreamTumblingWindowEvent,
  defineWindowedHandler,
  type WindowInvocation,
} from '../../../src/handler/defineWindowedHandler.js';
import { decodeWith } from '../../../src/operators/decodeWith.js';
import { newImage } from '../../../src/operators/newImage.js';
import { expectWindowEvent } from '../../helpers/windowEvents.js';

/**
 * defineWindowedHandler end to end: writes through the SDK to the emulator, and the event source mapping with
 * TumblingWindowInSeconds reading the stream and invoking the handler in process, as Lambda would. The emulator
 * and the mapping share a ManualClock, so a window closes when the test moves time past its end.
 */
const WINDOW_SECONDS = 60;

const Click = z.object({ pk: z.string(), page: z.string() });
interface Counts {
  clicks: number;
  pages: Record<string, number>;
}

/** Counts clicks per page; the window's final invocation hands the totals to `flushed`. */
const clickCounter = (flushed: WindowInvocation<Counts>[]) =>
  defineWindowedHandler<Counts>(
    (records, invocation) =>
      invocation.isFinalInvokeForWindow
        ? defer(async () => {
            flushed.push(invocation); // where a real handler writes the window's totals out
            return invocation.state;
          })
        : records.pipe(
            decodeWith(Click),
            newImage(),
            reduce(
              (counts, { page }) => ({
                clicks: counts.clicks + 1,
                pages: { ...counts.pages, [page]: (counts.pages[page] ?? 0) + 1 },
              }),
              invocation.state,
            ),
          ),
    { initialState: () => ({ clicks: 0, pages: {} }), onRecordError: () => undefined },
  );

interface Call {
  readonly event: DynamoDBStreamTumblingWindowEvent<Counts>;
  readonly response: DynamoDBStreamStateResponse<Counts>;
}

let eddy: TestEmulator | undefined;
afterEach(async () => {
  await eddy?.close();
  eddy = undefined;
});

const start = async (settings: Record<string, unknown>) => {
  // One second into a window, so every write of a test falls in the same window.
  const windowMs = WINDOW_SECONDS * 1000;
  eddy = await startTestEmulator({
    clock: new ManualClock(Math.floor(Date.now() / windowMs) * windowMs + 1000),
    tables: [
      {
        TableName: 'clicks',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      },
    ],
  });
  const { clock } = eddy;
  const flushed: WindowInvocation<Counts>[] = [];
  const handler = clickCounter(flushed);
  const checkpoints = new MemoryCheckpointStore();
  const run = await eddy.runHandler(
    async (event: DynamoDBStreamEvent) => {
      expectWindowEvent(event); // every event the runtime sends has Lambda's window fields
      return handler(event);
    },
    {
      table: 'clicks',
      mappingId: 'click-counts',
      checkpoints,
      timeoutSeconds: 3600,
      settings: {
        TumblingWindowInSeconds: WINDOW_SECONDS,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ...settings,
      },
    },
  );
  await run.idle();
  /** Moves the clock in small steps (batching windows and retries wait on it) until `condition` holds. */
  const driveUntil = async (condition: () => boolean, what: string, stepMs = 100) => {
    for (let step = 0; !condition(); step++) {
      if (step > 10_000) throw new Error(`the clock moved ${step * stepMs} ms without ${what}`);
      clock.advance(stepMs);
      await run.idle();
    }
  };
  const closeWindow = () => clock.advance(WINDOW_SECONDS * 1000);
  return {
    flushed,
    calls: run.invocations as readonly Call[],
    reports: run.reports,
    checkpoints,
    driveUntil,
    closeWindow,
    shardId: () => run.reports[0]?.shardId,
  };
};

const put = (pk: string, page: string | number) => (eddy as TestEmulator).put('clicks', { pk, page });

const sequences = (call: Call | undefined) =>
  call?.event.Records.map((r) => r.dynamodb?.SequenceNumber) ?? [];

describe('defineWindowedHandler on the event source mapping', () => {
  it("carries the state through the window's invocations and ends it with the totals", async () => {
    const run = await start({ BatchSize: 2 });
    const pages = ['/', '/cart', '/', '/checkout', '/'];
    for (const [i, page] of pages.entries()) await put(`c${i}`, page);
    await run.driveUntil(
      () => run.calls.reduce((n, c) => n + c.event.Records.length, 0) === pages.length,
      'every click to be invoked',
    );
    expect(run.flushed).toEqual([]);
    // Each invocation got the state the previous one answered, starting from Lambda's {}.
    expect(run.calls[0]?.event.state).toEqual({});
    for (const [i, call] of run.calls.entries()) {
      expect(call.event.Records.length).toBeLessThanOrEqual(2);
      if (i > 0) expect(call.event.state).toEqual(run.calls[i - 1]?.response.state);
    }
    // Nothing is checkpointed while the window is open.
    expect(await run.checkpoints.get('click-counts', run.shardId() as string)).toBeUndefined();

    run.closeWindow();
    await run.driveUntil(() => run.flushed.length === 1, 'the final invocation');
    const final = run.flushed[0] as WindowInvocation<Counts>;
    expect(final.state).toEqual({ clicks: 5, pages: { '/': 3, '/cart': 1, '/checkout': 1 } });
    expect(final.isFinalInvokeForWindow).toBe(true);
    expect(final.isWindowTerminatedEarly).toBe(false);
    expect(Date.parse(final.window.end) - Date.parse(final.window.start)).toBe(WINDOW_SECONDS * 1000);
    expect(final.shardId).toBe(run.shardId());
    // The window's records are checkpointed once its final invocation succeeded.
    const last = run.calls.flatMap((c) => sequences(c)).at(-1);
    await run.driveUntil(
      () => run.reports.at(-1)?.finalInvokeForWindow === true,
      'the final invocation to be reported',
    );
    expect((await run.checkpoints.get('click-counts', run.shardId() as string))?.sequenceNumber).toBe(last);
  });

  it('reports a poison record with the records after it, and answers only the state before it', async () => {
    const run = await start({ BatchSize: 10, MaximumBatchingWindowInSeconds: 1, MaximumRetryAttempts: 0 });
    await put('c1', '/');
    await put('c2', '/cart');
    await put('bad', 404); // page is a number: decodeWith refuses it
    await put('c3', '/');
    await run.driveUntil(() => run.calls.length >= 1, 'the batch');

    const [first] = run.calls;
    expect(first?.event.Records.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['c1', 'c2', 'bad', 'c3']);
    // c3 is valid, but Lambda resumes at `bad` with the state answered, so the state must not count c3.
    expect(first?.response).toEqual({
      state: { clicks: 2, pages: { '/': 1, '/cart': 1 } },
      batchItemFailures: sequences(first)
        .slice(2)
        .map((itemIdentifier) => ({ itemIdentifier })),
    });
    expect(run.reports[0]).toMatchObject({ outcome: 'partial', failures: sequences(first).slice(2) });

    // The retry starts at `bad` with the state of c1 and c2; with no retries left the rest of the batch is
    // discarded (as Lambda does), and the window goes on.
    await run.driveUntil(() => run.reports.some((r) => r.discarded !== undefined), 'the discard');
    expect(run.calls[1]?.event.state).toEqual({ clicks: 2, pages: { '/': 1, '/cart': 1 } });
    expect(run.calls[1]?.event.Records.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['bad', 'c3']);
    expect(run.reports.find((r) => r.discarded !== undefined)?.discarded).toBe(2);

    await put('c4', '/');
    await run.driveUntil(() => run.calls.some((c) => c.event.Records.length === 1), 'c4');
    run.closeWindow();
    await run.driveUntil(() => run.flushed.length === 1, 'the final invocation');
    // Each record counted once: c1 and c2 from the first batch, c4 after the discard.
    expect(run.flushed[0]?.state).toEqual({ clicks: 3, pages: { '/': 2, '/cart': 1 } });
  });
});
