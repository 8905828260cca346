import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  clientsFor,
  failureLines,
  forgetCheckpoints,
  ordersStreamRecords,
  projectTempDir,
  type RegionClients,
  recordsHandled,
  rollBackCheckpoints,
  scanAll,
  seededRandom,
  sequencesByShard,
  sortedTotals,
  startEddyDev,
  streamSize,
  totalsIn,
  totalsOf,
  writeOrders,
} from '../helpers/orderExamples.js';
import { type CliProcess, freePort } from '../helpers/runCli.js';

const SEED = Number(process.env.EDDY_SEED ?? 20260602);
const MAPPING = 'CustomerTotalsFunction-OrdersStream';

/**
 * handlers/customerTotals.ts under `eddy dev`: per customer, the number of orders and their total, exactly
 * once. A random workload of puts, updates (amounts, statuses, customers) and deletes over a few orders, with
 * redeliveries: a SIGKILL mid-workload whose last checkpoints are lost (those records come again, mixed with
 * new writes), then a replay of the whole stream. Every record delivered twice or more would count twice in a
 * naive counter; the totals must still equal a recomputation from the orders table.
 */
describe('customer totals under a random workload with redeliveries', () => {
  let folder: string;
  let stateDir: string;
  let port: number;
  let dev: CliProcess | undefined;
  let east: RegionClients;

  beforeAll(async () => {
    folder = await projectTempDir('e2e-totals-');
    stateDir = join(folder, 'state');
    port = await freePort();
    east = clientsFor(`http://127.0.0.1:${port}`, 'us-east-1');
  });
  afterAll(async () => {
    await dev?.stop('SIGKILL');
    east?.dynamodb.destroy();
    east?.streams.destroy();
    await rm(folder, { recursive: true, force: true });
  });

  const start = () => startEddyDev(port, ['--state-dir', stateDir, '--build-dir', join(folder, 'build')]);
  const handled = () => recordsHandled(dev?.output() ?? '', 'CustomerTotalsFunction');
  const totalsAreRight = async () => {
    const expected = sortedTotals(totalsOf(await scanAll(east.dynamodb, 'orders')));
    expect(totalsIn(await scanAll(east.dynamodb, 'customer-totals'))).toEqual(expected);
    return expected;
  };

  it(`equal a recomputation after a SIGKILL mid-workload, lost checkpoints and a restart (seed ${SEED})`, async () => {
    dev = await start();
    const random = seededRandom(SEED);
    let killed = false;
    const writing = writeOrders(east.dynamodb, {
      random,
      keys: 10,
      operations: 300,
      writers: 4,
      stopped: () => killed,
    });
    await vi.waitFor(() => expect(handled()).toBeGreaterThan(60), { timeout: 30_000, interval: 20 });
    const shards = await sequencesByShard(east);
    await dev.stop('SIGKILL');
    killed = true;
    await writing;
    const handledBefore = handled();
    const kept = (await rollBackCheckpoints(stateDir, shards, 0.4)).get(MAPPING) ?? 0;

    dev = await start();
    await writeOrders(east.dynamodb, { random, keys: 10, operations: 150, writers: 2 });
    const records = await streamSize(east);
    await vi.waitFor(() => expect(handled()).toBeGreaterThanOrEqual(records - kept), {
      timeout: 30_000,
      interval: 50,
    });
    expect(handledBefore + handled() - records, 'records delivered twice').toBeGreaterThan(20);
    await totalsAreRight();
    // The workload did what it is for: orders of several customers, some moved from one customer to another.
    const stream = await ordersStreamRecords(east);
    const customers = new Set(stream.map((r) => r.dynamodb?.NewImage?.customerId?.S).filter(Boolean));
    expect(customers.size).toBeGreaterThanOrEqual(3);
    expect(
      stream.some(
        (r) =>
          r.eventName === 'MODIFY' &&
          r.dynamodb?.OldImage?.customerId?.S !== r.dynamodb?.NewImage?.customerId?.S,
      ),
    ).toBe(true);
    expect(failureLines(dev.output())).toEqual([]);
  });

  it('are unchanged by a replay of the whole stream (no checkpoints: every record again)', async () => {
    const before = await scanAll(east.dynamodb, 'customer-totals');
    await dev?.stop('SIGTERM');
    await forgetCheckpoints(stateDir);
    dev = await start();
    const records = await streamSize(east);
    await vi.waitFor(() => expect(handled()).toBeGreaterThanOrEqual(records), {
      timeout: 30_000,
      interval: 50,
    });
    await totalsAreRight();
    // Each replayed record was found in its order's ledger and skipped: not one row, ledger included, moved.
    expect(await scanAll(east.dynamodb, 'customer-totals')).toEqual(before);
    expect(failureLines(dev.output())).toEqual([]);
    expect(await readdir(join(folder, 'failures')).catch(() => [])).toEqual([]);
  });

  it('reads as the handler documents: GetItem by customer, ledger rows apart', async () => {
    const rows = await scanAll(east.dynamodb, 'customer-totals');
    const customer = rows.find((row) => !String(row.customerId).startsWith('eddy#'));
    expect(customer).toBeDefined();
    const { Item } = await east.dynamodb.send(
      new GetItemCommand({
        TableName: 'customer-totals',
        Key: marshall({ customerId: customer?.customerId }),
        ConsistentRead: true,
      }),
    );
    expect(unmarshall(Item ?? {})).toMatchObject({
      customerId: customer?.customerId,
      orders: expect.any(Number),
      totalCents: expect.any(Number),
    });
    // One ledger row per order ever written, collected by TTL a week after its order's last change.
    const ledger = rows.filter((row) => String(row.customerId).startsWith('eddy#applied#'));
    expect(ledger.length).toBeGreaterThan(0);
    for (const row of ledger) expect(row.expiresAt).toBeGreaterThan(Date.now() / 1000 + 6 * 86_400);
  });
});
