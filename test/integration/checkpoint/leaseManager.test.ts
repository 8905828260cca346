import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../../src/leaseTable/LeaseLostError.js';
import { LeaseManager, type LeaseManagerOptions } from '../../../src/runtime/sources/leases/LeaseManager.js';
import { ManualClock } from '../../../src/time/clock.js';
import { beforeCommand } from '../../helpers/beforeCommand.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { settleOnClock } from '../../helpers/settleOnClock.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const LEASE_MS = 10_000;
const shards = (n: number) => Array.from({ length: n }, (_, i) => `shardId-${String(i).padStart(4, '0')}`);
const seq = (n: number) => `${100000000000000000000n + BigInt(n)}`;

let tables = 0;
/** `count` workers of one mapping on a fresh table, sharing a ManualClock unless given their own. */
const startWorkers = async (
  count: number,
  options: Partial<LeaseManagerOptions> & { clocks?: ManualClock[] } = {},
): Promise<{ workers: LeaseManager[]; clock: ManualClock; tableName: string }> => {
  const clock = new ManualClock();
  const tableName = `leases${++tables}`;
  const workers = Array.from(
    { length: count },
    (_, i) =>
      new LeaseManager({
        client: h.dynamodb,
        tableName,
        mappingId: 'orders',
        workerId: `w${i + 1}`,
        clock: options.clocks?.[i] ?? clock,
        leaseDurationMs: LEASE_MS,
        ...options,
      }),
  );
  await workers[0]?.ensureTable();
  return { workers, clock, tableName };
};

const ownerInTable = async (tableName: string, shardId: string): Promise<string | undefined> => {
  const { Item } = await h.dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { leaseKey: { S: `orders#${shardId}` } },
      ConsistentRead: true,
    }),
  );
  return Item?.leaseOwner?.S;
};

/** No shard is owned by two workers, and a worker that believes it owns a shard is its owner in the table. */
const expectSingleHolders = async (workers: LeaseManager[], shardIds: string[], tableName: string) => {
  for (const shardId of shardIds) {
    const holders = workers.filter((w) => w.owns(shardId)).map((w) => w.workerId);
    expect(holders.length, `${shardId} held by ${holders.join(', ')}`).toBeLessThanOrEqual(1);
    if (holders[0] !== undefined) expect(await ownerInTable(tableName, shardId)).toBe(holders[0]);
  }
};

const counts = (workers: LeaseManager[]) => workers.map((w) => w.held().length);

let progress = 1_000;
/** One round of every worker: claim, then renew, handing over (final checkpoint + release) what it is asked for. */
const round = async (workers: LeaseManager[], shardIds: string[]) => {
  for (const worker of workers) await worker.claim(shardIds);
  for (const worker of workers) {
    for (const shardId of await worker.renew()) {
      if (worker.owns(shardId))
        await worker.checkpoints.put('orders', shardId, { sequenceNumber: seq(++progress) });
      await worker.release(shardId);
    }
  }
};

describe(LeaseManager.name, () => {
  it('spreads shards fairly over the live workers', async () => {
    const { workers, tableName } = await startWorkers(3);
    const ids = shards(9);
    for (const worker of workers) await worker.renew(); // all three are alive before anyone claims
    const claimed = [];
    for (const worker of workers) claimed.push(await worker.claim(ids));
    expect(claimed.map((c) => c.length)).toEqual([3, 3, 3]);
    expect(new Set(claimed.flat()).size).toBe(9);
    await expectSingleHolders(workers, ids, tableName);
  });

  it('registers a worker that lost the race to create the workers item after a backoff on its clock', async () => {
    const { workers, clock, tableName } = await startWorkers(1);
    const [first] = workers as [LeaseManager];
    // The second worker finds no workers map, and the first creates it just before the second's own create.
    const client = h.clientsFor('us-east-1').dynamodb;
    let creates = 0;
    beforeCommand(client, ['UpdateItemCommand'], async (_, input) => {
      if (String(input.UpdateExpression).startsWith('SET #workers = ') && ++creates === 1)
        await first.renew();
    });
    const second = new LeaseManager({
      client,
      tableName,
      mappingId: 'orders',
      workerId: 'w2',
      clock,
      leaseDurationMs: LEASE_MS,
    });
    const { outcome, waits } = await settleOnClock(clock, second.claim(shards(4)));
    // One backoff (under 10 ms, the first of src/runtime/leases/WorkerRegistry.ts REGISTRY_RACE_RETRY), then
    // the entry is set in the map the first worker made: both count, so the second takes only its share.
    expect(creates).toBe(1);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeLessThan(10);
    expect(outcome.status === 'fulfilled' && outcome.value).toHaveLength(2);
    expect(await first.claim(shards(4))).toHaveLength(2);
  });

  it('takes every shard when alone, and hands leases over to workers that join, one per round', async () => {
    const { workers, tableName } = await startWorkers(3);
    const [a, b, c] = workers as [LeaseManager, LeaseManager, LeaseManager];
    const ids = shards(7);
    expect(await a.claim(ids)).toEqual(ids);
    expect(await b.claim(ids)).toEqual([]); // b counts now, so a is over its share and is asked for a lease
    const [asked, ...more] = await a.renew();
    expect(more).toEqual([]);
    expect(a.owns(asked as string)).toBe(true); // still a's until its final checkpoint and release
    await a.checkpoints.put('orders', asked as string, { sequenceNumber: seq(5) });
    await a.release(asked as string);
    expect(await a.claim(ids)).toEqual(ids.filter((id) => id !== asked));
    expect(await b.claim(ids)).toEqual([asked]);
    // b resumes from the checkpoint a wrote before handing over.
    expect(await b.checkpoints.get('orders', asked as string)).toEqual({ sequenceNumber: seq(5) });
    await expectSingleHolders(workers, ids, tableName);
    await c.renew();
    for (let i = 0; i < 10 && counts(workers).sort().join() !== '2,2,3'; i++) {
      await round(workers, ids);
      await expectSingleHolders(workers, ids, tableName);
    }
    expect(counts(workers).sort()).toEqual([2, 2, 3]);
  });

  it("takes over a killed worker's leases once they expire, not before", async () => {
    const { workers, clock, tableName } = await startWorkers(2);
    const [a, b] = workers as [LeaseManager, LeaseManager];
    const ids = shards(4);
    await b.renew();
    await a.claim(ids);
    await b.claim(ids);
    expect(counts(workers)).toEqual([2, 2]);
    const aShards = a.held();
    // a is killed: it never renews again. b keeps renewing every 3 s.
    for (let t = 0; t < 9_000; t += 3_000) {
      clock.advance(3_000);
      expect(await b.renew()).toEqual([]);
      expect(await b.claim(ids)).toHaveLength(2);
    }
    clock.advance(1_000); // 10 s after a's last renewal
    expect(a.owns(aShards[0] as string)).toBe(false);
    expect((await b.claim(ids)).sort()).toEqual(ids);
    await expectSingleHolders(workers, ids, tableName);
    expect((await a.renew()).sort()).toEqual(aShards.sort()); // a, were it alive, learns it lost them
    expect(a.held()).toEqual([]);
  });

  it('gives a released lease to another worker at once', async () => {
    const { workers, tableName } = await startWorkers(2);
    const [a, b] = workers as [LeaseManager, LeaseManager];
    const ids = shards(4);
    expect(await a.claim(ids)).toEqual(ids);
    await b.claim(ids);
    await a.release('shardId-0001');
    expect(await b.claim(ids)).toContain('shardId-0001');
    await a.shutdown(); // releases the rest and leaves the registry: b is alone now
    expect((await b.claim(ids)).sort()).toEqual(ids);
    await expectSingleHolders(workers, ids, tableName);
  });

  it('refuses checkpoint writes from a worker that lost the lease', async () => {
    const { workers, clock } = await startWorkers(2);
    const [a, b] = workers as [LeaseManager, LeaseManager];
    await a.claim(['s1']);
    await a.checkpoints.put('orders', 's1', { sequenceNumber: seq(10) });
    clock.advance(LEASE_MS);
    expect(await b.claim(['s1'])).toEqual(['s1']);
    await expect(a.checkpoints.put('orders', 's1', { sequenceNumber: seq(20) })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    await b.checkpoints.put('orders', 's1', { sequenceNumber: seq(11) });
    expect(await b.checkpoints.get('orders', 's1')).toEqual({ sequenceNumber: seq(11) });
    await expect(b.checkpoints.put('orders', 's2', { sequenceNumber: seq(1) })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
  });

  it("refuses a stale holder's write in the table itself, when its own clock says the lease is still valid", async () => {
    const slow = new ManualClock(); // a paused process, or a clock behind the others
    const fast = new ManualClock();
    const { workers } = await startWorkers(2, { clocks: [slow, fast] });
    const [a, b] = workers as [LeaseManager, LeaseManager];
    await a.claim(['s1']);
    fast.advance(LEASE_MS);
    expect(await b.claim(['s1'])).toEqual(['s1']);
    expect(a.owns('s1')).toBe(true); // a cannot know yet
    await expect(a.checkpoints.put('orders', 's1', { sequenceNumber: seq(20) })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    expect(await a.renew()).toEqual(['s1']);
    expect(a.owns('s1')).toBe(false);
  });

  it('never assigns a shard twice when many claims race', async () => {
    const { workers, clock, tableName } = await startWorkers(3);
    const ids = shards(12);
    for (const worker of workers) await worker.renew();
    for (let r = 0; r < 4; r++) {
      const results = await Promise.all(
        workers.flatMap((worker) =>
          Array.from({ length: 5 }, () => worker.claim(ids).then((got) => [worker, got] as const)),
        ),
      );
      for (const [worker, got] of results) {
        expect(got.length).toBeLessThanOrEqual(4);
        for (const shardId of got) expect(workers.filter((w) => w.owns(shardId))).toEqual([worker]);
      }
      await expectSingleHolders(workers, ids, tableName);
      clock.advance(3_000);
      await Promise.all(workers.map((w) => w.renew()));
    }
    expect(counts(workers)).toEqual([4, 4, 4]);
  });

  it('renews in the background on the clock, so a live worker keeps its leases', async () => {
    const { workers, clock, tableName } = await startWorkers(2);
    const [a, b] = workers as [LeaseManager, LeaseManager];
    await a.claim(['s1']);
    const abort = new AbortController();
    const stopped: string[] = [];
    const renewing = a.runRenewals(abort.signal, (ids) => stopped.push(...ids));
    const counter = async () => {
      const { Item } = await h.dynamodb.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { leaseKey: { S: 'orders#s1' } },
          ConsistentRead: true,
        }),
      );
      return Number(Item?.leaseCounter?.N);
    };
    for (let i = 1; i <= 9; i++) {
      clock.advance(a.renewIntervalMs);
      await waitFor(async () => (await counter()) === 1 + i, `renewal ${i}`);
    }
    expect(await b.claim(['s1'])).toEqual([]); // 30 s later, a still holds it
    expect(a.owns('s1')).toBe(true);
    abort.abort();
    await renewing;
    expect(stopped).toEqual([]);
  });
});
