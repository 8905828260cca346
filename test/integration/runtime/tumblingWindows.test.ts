import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../../src/checkpoint/MemoryCheckpointStore.js';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import type { InvocationReport } from '../../../src/runtime/observability/InvocationReport.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

interface WindowEvent {
  Records: DynamoDBRecord[];
  window: { start: string; end: string };
  state: { count?: number };
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

let h: EmulatorHarness;
let mapping: EventSourceMapping | undefined;
afterEach(async () => {
  await mapping?.stop();
  mapping = undefined;
  await h.close();
});

const setUp = async () => {
  h = await startHarness();
  return await createStreamTable(h.dynamodb, 'clicks', 'NEW_IMAGE', 'id');
};

const put = (id: string) =>
  h.dynamodb.send(new PutItemCommand({ TableName: 'clicks', Item: { id: { S: id } } }));

describe('TumblingWindowInSeconds', () => {
  it('carries state through a window and closes it with a final invocation (windows aligned to the epoch: UNCONFIRMED)', async () => {
    const streamArn = await setUp();
    const checkpoints = new MemoryCheckpointStore();
    const events: WindowEvent[] = [];
    const reports: InvocationReport[] = [];
    const created = new Map<string, number>();
    mapping = new EventSourceMapping({
      mappingId: 'windows',
      streamArn,
      client: h.streams,
      checkpoints,
      config: { StartingPosition: 'TRIM_HORIZON', TumblingWindowInSeconds: 1, BatchSize: 2 },
      pollIntervalMs: 10,
      onInvocation: (r) => reports.push(r),
      invoker: inProcessInvoker(async (event) => {
        const windowed = event as unknown as WindowEvent;
        events.push(structuredClone(windowed));
        for (const r of windowed.Records)
          created.set(r.dynamodb?.Keys?.id?.S as string, r.dynamodb?.ApproximateCreationDateTime as number);
        return {
          state: { count: (windowed.state.count ?? 0) + windowed.Records.length },
          batchItemFailures: [],
        };
      }),
    });
    mapping.start();
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) await put(id);
    await waitFor(
      () => created.size === 5 && events.filter((e) => e.isFinalInvokeForWindow).length >= 1,
      'the windows to close',
      5_000,
    );
    await waitFor(
      () => {
        const windows = new Set(
          [...created.values()].map((t) => new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')),
        );
        return events.filter((e) => e.isFinalInvokeForWindow).length === windows.size;
      },
      'every window to close',
      5_000,
    ).catch((e) => {
      console.log(
        JSON.stringify(
          events.map((e) => [e.window.start, e.isFinalInvokeForWindow, e.Records.length, e.state]),
        ),
        JSON.stringify([...created]),
      );
      throw e;
    });
    const finals = events.filter((e) => e.isFinalInvokeForWindow);
    for (const final of finals) {
      const start = Date.parse(final.window.start) / 1000;
      expect(Date.parse(final.window.end) / 1000 - start).toBe(1);
      expect(final.window.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const inWindow = [...created.values()].filter((t) => t >= start && t < start + 1).length;
      expect(final.state.count, final.window.start).toBe(inWindow);
      expect(final.Records).toEqual([]);
      expect(final.isWindowTerminatedEarly).toBe(false);
      expect(final.eventSourceARN).toBe(streamArn);
    }
    // The first invocation of a window starts from empty state; later ones get the previous answer's state.
    const first = events[0] as WindowEvent;
    expect(first.state).toEqual({});
    expect(first.isFinalInvokeForWindow).toBe(false);
    const shardId = (reports[0] as InvocationReport).shardId;
    expect(first.shardId).toBe(shardId);
    // After the last window closed, everything is checkpointed.
    const lastSequence = [...events.flatMap((e) => e.Records)]
      .map((r) => BigInt(r.dynamodb?.SequenceNumber as string))
      .sort()
      .at(-1);
    expect((await checkpoints.get('windows', shardId))?.sequenceNumber).toBe(String(lastSequence));
  });

  it('treats a response without state as a failed invocation, and checkpoints nothing until the window closes', async () => {
    const streamArn = await setUp();
    const checkpoints = new MemoryCheckpointStore();
    const reports: InvocationReport[] = [];
    let calls = 0;
    mapping = new EventSourceMapping({
      mappingId: 'stateless',
      streamArn,
      client: h.streams,
      checkpoints,
      config: { StartingPosition: 'TRIM_HORIZON', TumblingWindowInSeconds: 60 },
      pollIntervalMs: 10,
      retryBackoff: { baseMs: 1, maxMs: 5 },
      onInvocation: (r) => reports.push(r),
      invoker: inProcessInvoker(async () => {
        calls += 1;
        return calls === 1 ? { batchItemFailures: [] } : { state: { seen: true } };
      }),
    });
    mapping.start();
    await put('x');
    await waitFor(() => reports.length >= 2, 'the retry', 5_000);
    expect(reports[0]).toMatchObject({
      outcome: 'failure',
      error: 'the function response has no state object (tumbling window)',
    });
    expect(reports[1]).toMatchObject({ outcome: 'success', attempt: 2 });
    // The window (60 s) is still open: its records are processed but not yet checkpointed.
    expect(await checkpoints.get('stateless', (reports[0] as InvocationReport).shardId)).toBeUndefined();
  });
});
