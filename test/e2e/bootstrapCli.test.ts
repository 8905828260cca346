import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyedTable } from '../helpers/bootstrapFuzz.js';
import { createStreamTable } from '../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { scanAll } from '../helpers/orderExamples.js';
import type { Random } from '../helpers/Random.js';
import { runCli } from '../helpers/runCli.js';
import { testRandom } from '../helpers/testRandom.js';
import { waitFor } from '../helpers/waitFor.js';

// `eddy bootstrap` as a user runs it: a process building the repository's CustomerTotalsFunction
// (handlers/customerTotals.ts, an exactly-once `aggregate`) from template.yaml against an emulator whose orders
// table keeps taking writes, killed with SIGKILL at random points and run again with the same --state-dir.

const orderOf = (random: Random, n: number) => ({
  orderId: `o${n}`,
  customerId: `c${random.int(6)}`,
  total: 1 + random.int(500),
});

const expectedTotals = (orders: Record<string, unknown>[]) => {
  const totals: Record<string, { orders: number; totalCents: number }> = {};
  for (const o of orders) {
    const t = totals[o.customerId as string] ?? { orders: 0, totalCents: 0 };
    totals[o.customerId as string] = t;
    t.orders += 1;
    t.totalCents += Math.round((o.total as number) * 100);
  }
  return totals;
};

const actualTotals = async (dynamodb: DynamoDBClient) => {
  const totals: Record<string, { orders: number; totalCents: number }> = {};
  for (const row of await scanAll(dynamodb, 'customer-totals')) {
    const key = row.customerId as string;
    if (key.startsWith('eddy#') || row.orders === 0) continue;
    totals[key] = { orders: row.orders as number, totalCents: row.totalCents as number };
  }
  return totals;
};

describe('eddy bootstrap', () => {
  let h: EmulatorHarness | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('killed with SIGKILL at random points and resumed from --state-dir, then eddy dev --state-dir live: the totals equal a recomputation from the orders table', async () => {
    const { random } = testRandom(2014);
    h = await startHarness();
    const { dynamodb } = h;
    dir = await mkdtemp(join(tmpdir(), 'eddy-bootstrap-cli-'));
    await createStreamTable(dynamodb, 'orders', 'NEW_AND_OLD_IMAGES', 'orderId');
    const KEYS = 1500;
    for (let i = 0; i < KEYS; i += 25) {
      const batch = Array.from({ length: 25 }, (_, j) => orderOf(random, i + j));
      await dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { orders: batch.map((o) => ({ PutRequest: { Item: marshall(o) } })) },
        }),
      );
    }
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        writes += 1;
        const n = random.int(KEYS + 100);
        if (random.chance(0.25))
          await dynamodb.send(
            new DeleteItemCommand({ TableName: 'orders', Key: marshall({ orderId: `o${n}` }) }),
          );
        else
          await dynamodb.send(
            new PutItemCommand({ TableName: 'orders', Item: marshall(orderOf(random, n)) }),
          );
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const args = [
      'bootstrap',
      '--function',
      'CustomerTotalsFunction',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
      '--segments',
      '3',
      '--state-dir',
      dir,
      '--set',
      'BatchSize=50',
    ];
    // Killed after a random number of progress lines (the bootstrap is mid-scan, mid-batch, or handing over).
    let kills = 0;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const cli = runCli([...args, '--no-live']);
      const lines = 1 + random.int(3);
      try {
        await cli.waitForOutput(new RegExp(`(segments \\d+/3 done[^\\n]*\\n[^]*){${lines}}`), 90_000);
      } catch {
        // It finished before: nothing to kill.
      }
      if (cli.child.exitCode === null) {
        await cli.stop('SIGKILL');
        kills += 1;
      }
    }
    const finish = runCli([...args, '--no-live']);
    expect(await finish.exited, finish.output()).toBe(0);
    expect(finish.output()).toMatch(
      /eddy bootstrap: (done|CustomerTotalsFunction-OrdersStream was bootstrapped before)/,
    );
    expect(kills).toBeGreaterThan(0);

    // Live: `eddy dev --state-dir` continues the function's mapping from the bootstrap's checkpoints (were it to
    // read the stream from TRIM_HORIZON instead, every order written before the cut would count twice).
    const live = runCli([
      'dev',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
      '--state-dir',
      dir,
    ]);
    await live.waitForOutput(/eddy dev: ready/, 90_000);
    const more = writes + 100;
    await waitFor(() => writes >= more, 'writes while live', 60_000);
    writing = false;
    await writer;
    const expected = expectedTotals(await scanAll(dynamodb, 'orders'));
    let actual = await actualTotals(dynamodb);
    await waitFor(
      async () => {
        actual = await actualTotals(dynamodb);
        return (
          JSON.stringify(actual) === JSON.stringify(expected) ||
          JSON.stringify(Object.entries(actual).sort()) === JSON.stringify(Object.entries(expected).sort())
        );
      },
      'the totals to equal a recomputation',
      60_000,
      250,
    ).catch(() => undefined);
    expect(await live.stop('SIGTERM'), live.output()).toBe(0);
    expect(Object.fromEntries(Object.entries(actual).sort())).toEqual(
      Object.fromEntries(Object.entries(expected).sort()),
    );
  }, 300_000);
  it('a table without a stream is named, with what to do, and exits 4; an unknown function exits 2 naming the template’s', async () => {
    h = await startHarness();
    await createKeyedTable(h.dynamodb, 'orders');
    const base = ['bootstrap', '--endpoint', h.running.endpoint, '--region', 'us-east-1', '--no-live'];
    const noStream = runCli([...base, '--function', 'CustomerTotalsFunction']);
    expect(await noStream.exited, noStream.output()).toBe(4);
    expect(noStream.output()).toMatch(
      /eddy bootstrap: table orders has no stream; enable one \(StreamSpecification, StreamViewType NEW_AND_OLD_IMAGES\)/,
    );
    const unknown = runCli([...base, '--function', 'OrdersProjection']);
    expect(await unknown.exited, unknown.output()).toBe(2);
    expect(unknown.output()).toMatch(
      /--function OrdersProjection: no function with a DynamoDB event in template\.yaml \(there: OrdersProjectionFunction, CustomerTotalsFunction/,
    );
  }, 120_000);
});
