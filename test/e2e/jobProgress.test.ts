import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardPages } from '../../local-runtime/dashboard/dashboardPages.js';
import { createStreamTable } from '../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli } from '../helpers/runCli.js';

// `eddy bootstrap` and `eddy replay` run as processes of their own; pointed at an Eddy emulator (`eddy emulator`,
// `eddy dev`) they report their progress to its dashboard (POST /_eddy/api/progress), which shows it live and
// at its end (GET /_eddy/api/state, what the page polls).

interface Job {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly state: string;
  readonly done: number;
  readonly total?: number;
  readonly unit: string;
  readonly detail?: string;
  readonly figures?: Record<string, number>;
}

const jobsOf = async (endpoint: string): Promise<Job[]> => {
  const response = await fetch(`${endpoint}/_eddy/api/state`);
  return ((await response.json()) as { progress: Job[] }).progress;
};

/** Polls the dashboard's state while `until` is pending; returns every view of the jobs it saw. */
const watchJobs = async (endpoint: string, until: Promise<unknown>): Promise<Job[][]> => {
  const seen: Job[][] = [];
  let ended = false;
  void until.finally(() => {
    ended = true;
  });
  while (!ended) {
    seen.push(await jobsOf(endpoint));
    // wall-clock: the page polls its state on a timer while another process reports; this looks as it does.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  seen.push(await jobsOf(endpoint));
  return seen;
};

const ORDERS = 1200;

const writeOrders = async (h: EmulatorHarness) => {
  await createStreamTable(h.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES', 'orderId');
  for (let i = 0; i < ORDERS; i += 25) {
    const batch = Array.from({ length: 25 }, (_, j) => ({
      orderId: `o${i + j}`,
      customerId: `c${(i + j) % 7}`,
      total: 1 + ((i + j) % 50),
    }));
    await h.dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: { orders: batch.map((o) => ({ PutRequest: { Item: marshall(o) } })) },
      }),
    );
  }
};

describe('progress of eddy bootstrap and eddy replay on the dashboard of the emulator they work against', () => {
  let h: EmulatorHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('eddy bootstrap: segments, items scanned, rows emitted while it runs, then done with its totals', async () => {
    h = await startHarness({ pages: dashboardPages() });
    await writeOrders(h);
    const cli = runCli([
      'bootstrap',
      '--function',
      'CustomerTotalsFunction',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
      '--segments',
      '3',
      '--set',
      'BatchSize=10',
      '--no-live',
    ]);
    const views = await watchJobs(h.running.endpoint, cli.exited);
    expect(await cli.exited, cli.output()).toBe(0);
    const reports = views.flat().filter((job) => job.kind === 'bootstrap');
    expect(new Set(reports.map((job) => job.id)).size).toBe(1);
    expect(
      reports.some((job) => job.state === 'running'),
      cli.output(),
    ).toBe(true);
    const last = (views.at(-1) ?? []).find((job) => job.kind === 'bootstrap');
    expect(last).toMatchObject({
      name: 'bootstrap CustomerTotalsFunction (orders)',
      state: 'done',
      done: 3,
      total: 3,
      unit: 'segments',
    });
    expect(last?.figures?.['items scanned']).toBe(ORDERS);
    expect(last?.figures?.['rows emitted']).toBeGreaterThan(0);
    expect(Object.keys(last?.figures ?? {})).toEqual([
      'items scanned',
      'rows emitted',
      'superseded by the stream',
      'changes since the cut',
      'stream lag (ms)',
    ]);
  }, 120_000);

  it('eddy replay --table: records replayed of the total, then done', async () => {
    h = await startHarness({ pages: dashboardPages() });
    await writeOrders(h);
    const cli = runCli([
      'replay',
      '--table',
      'orders',
      '--from',
      'trim-horizon',
      '--until',
      'now',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
      '--function',
      'OrdersProjectionFunction',
      '--dry-run',
    ]);
    const views = await watchJobs(h.running.endpoint, cli.exited);
    expect(await cli.exited, cli.output()).toBe(0);
    const last = (views.at(-1) ?? []).find((job) => job.kind === 'replay');
    expect(last).toMatchObject({ state: 'done', done: ORDERS, total: ORDERS, unit: 'records' });
    expect(last?.name).toMatch(/^replay orders trim-horizon\.\.now$/);
  }, 120_000);
});
