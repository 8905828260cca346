import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../../src/checkpoint/MemoryCheckpointStore.js';
import { laneOf } from '../../../src/runtime/batching/laneOf.js';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import type { InvocationReport } from '../../../src/runtime/observability/InvocationReport.js';
import { ManualClock } from '../../../src/time/clock.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { countPolls } from '../../helpers/mappingIdle.js';
import { testRandom } from '../../helpers/testRandom.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness;
afterEach(() => h.close());

const setUp = async () => {
  h = await startHarness();
  return await createStreamTable(h.dynamodb, 'counters', 'NEW_IMAGE', 'id');
};

const put = (id: string, v: number) =>
  h.dynamodb.send(
    new PutItemCommand({ TableName: 'counters', Item: { id: { S: id }, v: { N: String(v) } } }),
  );

describe('ParallelizationFactor', () => {
  it('runs several batches of one shard at once while every item keeps its order', async () => {
    const streamArn = await setUp();
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (let v = 1; v <= 6; v++) for (const id of items) await put(id, v);
    const { random } = testRandom(20261208);
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let maxInFlight = 0;
    let total = 0;
    // Each invocation waits at a gate the test opens: the order in which batches finish is a seeded draw.
    const gates: (() => void)[] = [];
    const mapping = new EventSourceMapping({
      mappingId: 'parallel',
      streamArn,
      client: h.streams,
      config: { StartingPosition: 'TRIM_HORIZON', BatchSize: 3, ParallelizationFactor: 4 },
      pollIntervalMs: 10,
      invoker: inProcessInvoker(async (event: DynamoDBStreamEvent) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((resolve) => gates.push(resolve));
        for (const r of event.Records) {
          const id = r.dynamodb?.NewImage?.id?.S as string;
          seen.set(id, [...(seen.get(id) ?? []), Number(r.dynamodb?.NewImage?.v?.N)]);
          total += 1;
        }
        inFlight -= 1;
      }),
    });
    mapping.start();
    // Whenever every busy lane is held at its gate, one of them (drawn) goes on.
    while (total < 48) {
      await waitFor(
        () => total === 48 || (gates.length > 0 && gates.length === mapping.progress().inFlight),
        `every busy lane held at its gate (${total} of 48 records done)`,
      );
      const [open] = gates.splice(random.int(gates.length), 1);
      open?.();
    }
    await mapping.stop();
    for (const id of items) expect(seen.get(id), id).toEqual([1, 2, 3, 4, 5, 6]);
    // The first page (12 records) has items of all four lanes: four batches of the shard run at once.
    expect(maxInFlight).toBe(4);
  });

  it('checkpoints only up to the last record before which everything is done', async () => {
    const streamArn = await setUp();
    // Two items in different lanes (x is written first, and its lane is held up).
    const key = (id: string) => ({ Keys: { id: { S: id } } }) as unknown as DynamoDBRecord['dynamodb'];
    const y = ['y', 'y1', 'y2', 'y3', 'y4'].find(
      (id) => laneOf({ dynamodb: key(id) }, 2) !== laneOf({ dynamodb: key('x') }, 2),
    );
    for (let v = 1; v <= 3; v++) for (const id of ['x', y as string]) await put(id, v);
    const checkpoints = new MemoryCheckpointStore();
    const reports: InvocationReport[] = [];
    let releaseX: () => void = () => undefined;
    const xBlocked = new Promise<void>((resolve) => {
      releaseX = resolve;
    });
    const mapping = new EventSourceMapping({
      mappingId: 'ordered-checkpoint',
      streamArn,
      client: h.streams,
      checkpoints,
      config: { StartingPosition: 'TRIM_HORIZON', BatchSize: 10, ParallelizationFactor: 2 },
      pollIntervalMs: 10,
      onInvocation: (r) => reports.push(r),
      invoker: inProcessInvoker(async (event: DynamoDBStreamEvent) => {
        if (event.Records.some((r) => r.dynamodb?.NewImage?.id?.S === 'x')) await xBlocked;
      }),
    });
    mapping.start();
    await waitFor(() => reports.length === 1, "y's batch", 2_000);
    expect(reports[0]).toMatchObject({ outcome: 'success', records: 3 });
    const shardId = (reports[0] as InvocationReport).shardId;
    // x (written first) is still in flight: nothing may be checkpointed past its first record yet.
    expect(await checkpoints.get('ordered-checkpoint', shardId)).toBeUndefined();
    releaseX();
    await waitFor(() => reports.length === 2, "x's batch", 5_000);
    await mapping.stop();
    const last = [reports[0], reports[1]]
      .map((r) => BigInt((r as InvocationReport).lastSequenceNumber))
      .sort()
      .at(-1);
    expect((await checkpoints.get('ordered-checkpoint', shardId))?.sequenceNumber).toBe(String(last));
  });
});

describe('stop', () => {
  it('lets the invocation in flight finish and checkpoints it', async () => {
    const streamArn = await setUp();
    await put('slow', 1);
    const checkpoints = new MemoryCheckpointStore();
    let started = false;
    let finished = false;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reports: InvocationReport[] = [];
    // Polls, discovery and metrics wait on a clock only the test could move: once the consumer has polled
    // again and found nothing, the held invocation is the only thing under way.
    const client = h.clientsFor('us-east-1').streams;
    const polls = countPolls(client);
    const mapping = new EventSourceMapping({
      mappingId: 'graceful',
      streamArn,
      client,
      checkpoints,
      clock: new ManualClock(Date.now()),
      config: { StartingPosition: 'TRIM_HORIZON' },
      pollIntervalMs: 10,
      onInvocation: (r) => reports.push(r),
      invoker: inProcessInvoker(async () => {
        started = true;
        await held;
        finished = true;
      }),
    });
    mapping.start();
    await waitFor(
      () => started && polls.started() >= 2 && polls.lastEmpty() === polls.started(),
      'the invocation to start and the consumer to find nothing more',
    );
    let stopResolved = false;
    const stopping = mapping.stop().then(() => {
      stopResolved = true;
    });
    // One turn of the event loop runs every microtask stop() chains: with no I/O under way, a stop() that did
    // not wait for the invocation would have resolved by then.
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopResolved).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    const shardId = (reports[0] as InvocationReport).shardId;
    expect((await checkpoints.get('graceful', shardId))?.sequenceNumber).toBe(reports[0]?.lastSequenceNumber);
  });
});
