import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { REPLICATION_ATTRIBUTES } from '../../src/index.js';
import {
  byKey,
  eddyDevFixture,
  failureLines,
  liveOrders,
  ordersStreamRecords,
  type RegionClients,
  type Row,
  rollBackCheckpoints,
  scanAll,
  seededRandom,
  sequencesByShard,
  sortedTotals,
  streamSize,
  totalsIn,
  totalsOf,
  viewDifferences,
  writeReplicatedOrders,
} from '../helpers/orderExamples.js';

const SEED = Number(process.env.EDDY_SEED ?? 20260603);
const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const KEYS = 8;
const ORDER_IDS = Array.from({ length: KEYS }, (_, i) => `o-${i}`);

/**
 * handlers/ordersReplicator.ts under `eddy dev --regions us-east-1,eu-west-1`: the template runs in two
 * regions of the one emulator, each with the other as PeerRegion, so each region's replicator forwards its
 * region's writes to the other (active-active). Both regions' applications write the same few orders at the
 * same time (stamped puts and updates, tombstones, plain DeleteItems), with clocks 25 ms apart, while the
 * process is killed, its last checkpoints lost, and finally both streams replayed: afterwards both orders
 * tables hold identical items, and each region's view and totals equal a recomputation from its table.
 */
describe('the orders replicator between two emulated regions', () => {
  const fixture = eddyDevFixture('e2e-replicator-', [EAST, WEST]);
  const east = fixture.clients(EAST);
  const west = fixture.clients(WEST);
  const handled = (fn: string, region: string) => fixture.handled(`${fn}@${region}`);
  const orders = async (region: RegionClients) => byKey(await scanAll(region.dynamodb, 'orders'), 'orderId');

  /** Both orders tables identical, and each region's view and totals right for its table. */
  const converged = async () => {
    const [inEast, inWest] = [await orders(east), await orders(west)];
    // Identical items, replication attributes and tombstones included: a tombstone is a version like any other.
    expect(inWest).toEqual(inEast);
    for (const region of [east, west]) {
      const table = await scanAll(region.dynamodb, 'orders');
      expect(viewDifferences(table, await scanAll(region.dynamodb, 'order-view'), ORDER_IDS)).toEqual([]);
      expect(totalsIn(await scanAll(region.dynamodb, 'customer-totals'))).toEqual(
        sortedTotals(totalsOf(table)),
      );
    }
    return inEast;
  };

  const FUNCTIONS = ['OrdersProjectionFunction', 'CustomerTotalsFunction', 'OrdersReplicatorFunction'];

  /** Each mapping's shards whose checkpoint (in `eddy dev`'s state folder) is short of `latest`, the stream's end. */
  const undrained = async (latest: Record<string, Map<string, string[]>>): Promise<string[]> => {
    let checkpoints: Record<string, Record<string, { sequenceNumber?: string; shardEnded?: boolean }>>;
    try {
      checkpoints = JSON.parse(await readFile(join(fixture.stateDir, 'checkpoints.json'), 'utf8'));
    } catch {
      return ['(no checkpoints yet)'];
    }
    const short: string[] = [];
    for (const [region, shards] of Object.entries(latest)) {
      for (const fn of FUNCTIONS) {
        const mappingId = `${fn}-OrdersStream-${region}`;
        for (const [shardId, sequences] of shards) {
          const last = sequences.at(-1);
          const at = checkpoints[mappingId]?.[shardId];
          if (last === undefined || at?.shardEnded === true) continue;
          if (at?.sequenceNumber === undefined || BigInt(at.sequenceNumber) < BigInt(last)) {
            short.push(`${mappingId} ${shardId} at ${at?.sequenceNumber ?? '(none)'}, stream at ${last}`);
          }
        }
      }
    }
    return short;
  };

  /**
   * Waits until both regions agree, then until a round in which no stream grows while every function in both
   * regions checkpoints all its stream held at the round's start: a replicator writes to the peer before it
   * checkpoints, so nothing it still had to answer is left.
   */
  const settle = async () => {
    await vi.waitFor(converged, { timeout: 40_000, interval: 250 });
    let sizes = '';
    for (let round = 0; round < 20; round++) {
      const latest = { [EAST]: await sequencesByShard(east), [WEST]: await sequencesByShard(west) };
      const now = JSON.stringify(Object.values(latest).map((shards) => [...shards.values()].flat().length));
      if (now === sizes) return converged();
      sizes = now;
      await vi.waitFor(async () => expect(await undrained(latest)).toEqual([]), {
        timeout: 40_000,
        interval: 100,
      });
    }
    throw new Error('the replicators never settled: the streams keep growing (a loop?)');
  };

  it('runs every function in both regions, one line per region', async () => {
    const output = (await fixture.start()).output();
    expect(output).toContain(`(regions ${EAST}, ${WEST})`);
    for (const [region, peer] of [
      [EAST, WEST],
      [WEST, EAST],
    ]) {
      expect(output).toContain(
        `  ${region} (PeerRegion ${peer}): 3 mappings OrdersProjectionFunction-OrdersStream-${region}, ` +
          `CustomerTotalsFunction-OrdersStream-${region}, OrdersReplicatorFunction-OrdersStream-${region}`,
      );
    }
    expect(output).toContain(', FilterCriteria (2 patterns)');
  });

  it(`converges after concurrent conflicting writes and deletes in both regions, a SIGKILL and lost checkpoints (seed ${SEED})`, async () => {
    const running = fixture.dev;
    let killed = false;
    const workload = (region: RegionClients, seed: number, skewMs: number, operations: number) =>
      writeReplicatedOrders(region.dynamodb, {
        region: region.region,
        random: seededRandom(seed),
        keys: KEYS,
        operations,
        writers: 2,
        skewMs,
        stopped: () => killed,
      });
    // West's clock runs 25 ms ahead of east's: either region wins some conflicts.
    const writing = Promise.all([workload(east, SEED, 0, 200), workload(west, SEED + 1, 25, 200)]);
    await vi.waitFor(
      () =>
        expect(
          handled('OrdersReplicatorFunction', EAST) + handled('OrdersReplicatorFunction', WEST),
        ).toBeGreaterThan(40),
      { timeout: 30_000, interval: 20 },
    );
    const shards = { east: await sequencesByShard(east), west: await sequencesByShard(west) };
    await running.stop('SIGKILL');
    killed = true;
    await writing;
    // The checkpoints of the last 60% of what each mapping had done are lost: those records come again.
    await rollBackCheckpoints(fixture.stateDir, shards.east, 0.4, (id) => id.endsWith(`-${EAST}`));
    await rollBackCheckpoints(fixture.stateDir, shards.west, 0.4, (id) => id.endsWith(`-${WEST}`));

    const dev = await fixture.start();
    killed = false;
    await Promise.all([workload(east, SEED + 2, 0, 100), workload(west, SEED + 3, 25, 100)]);
    const settled = await settle();

    // The workload did what it is for: each region's stream holds both regions' writes (its own and those
    // replicated to it), plain deletes happened, and tombstones were written.
    for (const region of [east, west]) {
      const records = await ordersStreamRecords(region);
      const origins = new Set(records.map((r) => r.dynamodb?.NewImage?.[REPLICATION_ATTRIBUTES.origin]?.S));
      expect(origins).toEqual(new Set([EAST, WEST, undefined]));
      expect(records.some((r) => r.eventName === 'REMOVE')).toBe(true);
      expect(records.some((r) => r.dynamodb?.NewImage?.eddy_deleted?.BOOL === true)).toBe(true);
    }
    expect(liveOrders(Object.values(settled)).length).toBeGreaterThan(0);
    // What readers see, the replication attributes left out, is the same in both regions too.
    const shown = async (region: RegionClients) =>
      liveOrders(Object.values(await orders(region))).map(
        ({ eddy_origin: _o, eddy_version: _v, eddy_write_id: _w, ...order }: Row) => order,
      );
    expect(await shown(west)).toEqual(await shown(east));
    expect(failureLines(dev.output())).toEqual([]);
  });

  it('changes nothing when both streams are replayed through every function (no checkpoints)', async () => {
    const before = {
      east: { orders: await orders(east), view: await scanAll(east.dynamodb, 'order-view') },
      west: { orders: await orders(west), view: await scanAll(west.dynamodb, 'order-view') },
      totals: [
        await scanAll(east.dynamodb, 'customer-totals'),
        await scanAll(west.dynamodb, 'customer-totals'),
      ],
      streams: [await streamSize(east), await streamSize(west)],
    };
    await fixture.replayFromStart();
    for (const [region, clients] of [
      [EAST, east],
      [WEST, west],
    ] as const) {
      const records = await streamSize(clients);
      await vi.waitFor(
        () => {
          expect(handled('OrdersProjectionFunction', region)).toBeGreaterThanOrEqual(records);
          expect(handled('CustomerTotalsFunction', region)).toBeGreaterThanOrEqual(records);
        },
        { timeout: 40_000, interval: 50 },
      );
    }
    await settle();
    // Every replayed write was refused by its condition: no table changed and no stream grew (no loop).
    expect(await orders(east)).toEqual(before.east.orders);
    expect(await orders(west)).toEqual(before.west.orders);
    expect(await scanAll(east.dynamodb, 'order-view')).toEqual(before.east.view);
    expect(await scanAll(west.dynamodb, 'order-view')).toEqual(before.west.view);
    expect([
      await scanAll(east.dynamodb, 'customer-totals'),
      await scanAll(west.dynamodb, 'customer-totals'),
    ]).toEqual(before.totals);
    expect([await streamSize(east), await streamSize(west)]).toEqual(before.streams);
    await fixture.expectNoFailures();
  });
});
