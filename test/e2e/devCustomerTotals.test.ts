import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  eddyDevFixture,
  failureLines,
  killRollBackAndRestart,
  ordersStreamRecords,
  replayChangesNothing,
  scanAll,
  sortedTotals,
  totalsIn,
  totalsOf,
} from '../helpers/orderExamples.js';

const SEED = Number(process.env.EDDY_SEED ?? 20260602);
const FUNCTION = 'CustomerTotalsFunction';

/**
 * handlers/customerTotals.ts under `eddy dev`: per customer, the number of orders and their total, exactly
 * once. A random workload of puts, updates (amounts, statuses, customers) and deletes over a few orders, with
 * redeliveries: a SIGKILL mid-workload whose last checkpoints are lost (those records come again, mixed with
 * new writes), then a replay of the whole stream. Every record delivered twice or more would count twice in a
 * naive counter; the totals must still equal a recomputation from the orders table.
 */
describe('customer totals under a random workload with redeliveries', () => {
  const fixture = eddyDevFixture('e2e-totals-');
  const east = fixture.clients();

  const totalsAreRight = async () => {
    const expected = sortedTotals(totalsOf(await scanAll(east.dynamodb, 'orders')));
    expect(totalsIn(await scanAll(east.dynamodb, 'customer-totals'))).toEqual(expected);
    return expected;
  };

  it(`equal a recomputation after a SIGKILL mid-workload, lost checkpoints and a restart (seed ${SEED})`, async () => {
    const dev = await killRollBackAndRestart(fixture, {
      seed: SEED,
      keys: 10,
      fraction: 0.4,
      functionName: FUNCTION,
    });
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
    // Each replayed record is found in its order's ledger and skipped: not one row, ledger included, moves.
    await replayChangesNothing(fixture, {
      functionName: FUNCTION,
      table: 'customer-totals',
      isRight: totalsAreRight,
    });
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
