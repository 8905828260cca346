import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardRegistry } from '../../../local-runtime/dashboard/DashboardRegistry.js';
import { dashboardPages } from '../../../local-runtime/dashboard/dashboardPages.js';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { FileDestination } from '../../../src/runtime/failures/destinations/FileDestination.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { rawRequest } from '../../helpers/rawRequest.js';
import { waitFor } from '../../helpers/waitFor.js';

// The dashboard's view of a mapping as `eddy dev` registers it (startRegion.ts): a poison record fails with no
// retries, its on-failure record is listed with its batch's records, and the redrive from the dashboard sends it
// through the fixed function (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).

let dir: string;
let h: EmulatorHarness;
let mapping: EventSourceMapping;
let fixed = false;
const seen: string[] = [];
const registry = new DashboardRegistry();
/** The lag samples the mapping took from its own invocations, before any page asked for the state. */
let samplesBeforeAnyPage: readonly { readonly at: number }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-dashboard-'));
  h = await startHarness({ pages: dashboardPages(registry) });
  const streamArn = await createStreamTable(h.dynamodb, 'orders', 'NEW_IMAGE');
  const failuresFile = join(dir, 'orders-dlq.ndjson');
  const onFailure = new FileDestination(failuresFile);
  const invoker = inProcessInvoker(async (event: DynamoDBStreamEvent) => {
    for (const record of event.Records) {
      const id = record.dynamodb?.Keys?.pk?.S as string;
      if (id === 'poison' && !fixed) throw new Error('cannot project poison');
      seen.push(id);
    }
  });
  mapping = new EventSourceMapping({
    mappingId: 'orders-view',
    streamArn,
    client: h.streams,
    config: { StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: 0, BatchSize: 1 },
    invoker,
    onFailure,
    pollIntervalMs: 10,
    onInvocation: (report) => shown.invocation(report),
  });
  const shown = registry.addMapping({
    mappingId: 'orders-view',
    region: 'us-east-1',
    functionLabel: 'OrdersView',
    streamArn,
    mapping,
    invoker,
    streams: h.streams,
    onFailure,
    failuresFile,
  });
  mapping.start();
  for (const id of ['o1', 'poison', 'o2']) {
    await h.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: id } } }));
  }
  await waitFor(
    async () => seen.length === 2 && (await readFile(failuresFile, 'utf8').catch(() => '')).endsWith('\n'),
    'o1 and o2 processed and the poison record in the failure file',
  );
  samplesBeforeAnyPage = [...(registry.mapping('orders-view')?.activity.samples ?? [])];
}, 30_000);
afterAll(async () => {
  await mapping.stop();
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const get = async (path: string) =>
  JSON.parse((await rawRequest(h.running.endpoint, { method: 'GET', path })).body);

describe('the dashboard under eddy dev', () => {
  it('shows the mapping: invocations, the function error with its record, Lambda’s metrics; lag samples on request', async () => {
    const { dev, mappings } = await get('/_eddy/api/state');
    expect(dev).toBe(true);
    expect(mappings).toEqual([
      expect.objectContaining({
        mappingId: 'orders-view',
        functionLabel: 'OrdersView',
        state: 'idle',
        activity: expect.objectContaining({
          invocations: 3,
          functionErrors: 1,
          retries: 0,
          lastError: expect.objectContaining({
            message: 'function error: Error: cannot project poison',
            records: 1,
          }),
        }),
        metrics: expect.objectContaining({
          InvokedEventCount: 3,
          OnFailureDestinationDeliveredEventCount: 1,
        }),
      }),
    ]);
    expect(mappings[0].history).toBeUndefined();
    // The invocations sampled the lag while no page was open, so the chart has a history when one opens.
    expect(samplesBeforeAnyPage.length).toBeGreaterThan(0);
    const withHistory = await get('/_eddy/api/state?history=1');
    expect(withHistory.mappings[0].history[0]).toEqual({
      at: samplesBeforeAnyPage[0]?.at,
      byShard: expect.any(Object),
    });
  });

  it('lists the on-failure record with its batch’s records, and redrives it through the fixed function', async () => {
    const { failures } = await get('/_eddy/api/state');
    expect(failures.total).toBe(1);
    const [entry] = failures.entries;
    expect(entry).toMatchObject({
      mappingIds: ['orders-view'],
      range: { batchSize: 1, condition: 'RetryAttemptsExhausted' },
    });
    expect(entry.id).toMatch(/orders-dlq\.ndjson:1$/);
    const records = await get(`/_eddy/api/failure-records?id=${encodeURIComponent(entry.id)}`);
    expect(records.kind).toBe('read');
    expect(
      records.records.map((r: { dynamodb: { Keys: { pk: { S: string } } } }) => r.dynamodb.Keys.pk.S),
    ).toEqual(['poison']);

    fixed = true;
    const redriven = await rawRequest(h.running.endpoint, {
      method: 'POST',
      path: '/_eddy/api/redrive',
      body: JSON.stringify({ id: entry.id }),
    });
    expect(JSON.parse(redriven.body)).toMatchObject({
      ok: true,
      message: '1 record through OrdersView in 1 invocation: done',
    });
    expect(seen).toEqual(['o1', 'o2', 'poison']);
    const after = await get('/_eddy/api/state');
    expect(after.failures.entries[0].redriven).toMatchObject({ ok: true });
  });
});
