import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../../src/checkpoint/MemoryCheckpointStore.js';
import { laneOf } from '../../../src/runtime/batching/laneOf.js';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import type { InvocationReport } from '../../../src/runtime/observability/InvocationReport.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
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
    const mapping = new EventSourceMapping({
      mappingId: 'parallel',
      streamArn,
      client: h.streams,
      config: { StartingPosition: 'TRIM_HORIZON', BatchSize: 3, ParallelizationFactor: 4 },
      pollIntervalMs: 10,
      invoker: inProcessInvoker(async (event: DynamoDBStreamEvent) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5 + random.float() * 20));
        for (const r of event.Records) {
          const id = r.dynamodb?.NewImage?.id?.S as string;
          seen.set(id, [...(seen.get(id) ?? []), Number(r.dynamodb?.NewImage?.v?.N)]);
          total += 1;
        }
        inFlight -= 1;
      }),
    });
    mapping.start();
    await waitFor(() => total === 48, 'all 48 records');
    await mapping.stop();
    for (const id of items) expect(seen.get(id), id).toEqual([1, 2, 3, 4, 5, 6]);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
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
    const reports: InvocationReport[] = [];
    const mapping = new EventSourceMapping({
      mappingId: 'graceful',
      streamArn,
      client: h.streams,
      checkpoints,
      config: { StartingPosition: 'TRIM_HORIZON' },
      pollIntervalMs: 10,
      onInvocation: (r) => reports.push(r),
      invoker: inProcessInvoker(async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 200));
        finished = true;
      }),
    });
    mapping.start();
    await waitFor(() => started, 'the invocation to start');
    await mapping.stop();
    expect(finished).toBe(true);
    const shardId = (reports[0] as InvocationReport).shardId;
    expect((await checkpoints.get('graceful', shardId))?.sequenceNumber).toBe(reports[0]?.lastSequenceNumber);
  });
});
