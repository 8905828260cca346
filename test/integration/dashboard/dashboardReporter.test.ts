import { createServer, type Server } from 'node:http';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardReporter } from '../../../local-runtime/cli/DashboardReporter.js';
import { DashboardRegistry } from '../../../local-runtime/dashboard/DashboardRegistry.js';
import { dashboardPages } from '../../../local-runtime/dashboard/dashboardPages.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

// What `eddy bootstrap`, `eddy replay` and `eddy redrive` send to the dashboard of the emulator at --endpoint:
// only to an endpoint whose answers say it is Eddy's (x-eddy-emulator), signed so an emulator with
// requireSignature takes it, and never failing the command.

const KEY = { accessKeyId: 'AKIDPROGRESS', secretAccessKey: 'progress-secret' };

let h: EmulatorHarness | undefined;
let other: Server | undefined;
const clients: DynamoDBClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await h?.close();
  h = undefined;
  await new Promise((resolve) => (other === undefined ? resolve(undefined) : other.close(resolve)));
  other = undefined;
});

const clientFor = (endpoint: string) => {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
  clients.push(client);
  return client;
};

const reporterFor = (endpoint: string, client: DynamoDBClient) => {
  const reporter = new DashboardReporter({
    endpoint,
    name: 'replay orders',
    kind: 'replay',
    region: 'us-east-1',
    credentials: async () => KEY,
    minIntervalMs: 0,
  });
  reporter.watch(client);
  return reporter;
};

describe('DashboardReporter', () => {
  it('reports to an Eddy emulator that requires signatures: the dashboard has the job, done', async () => {
    const registry = new DashboardRegistry();
    h = await startHarness({ requireSignature: true, credentials: [KEY], pages: dashboardPages(registry) });
    const client = clientFor(h.running.endpoint);
    const reporter = reporterFor(h.running.endpoint, client);
    expect(reporter.reporting).toBe(false);
    await client.send(new ListTablesCommand({}));
    expect(reporter.reporting).toBe(true);
    reporter.update({ state: 'running', done: 5, total: 10, unit: 'records' });
    await reporter.end({ state: 'done', done: 10, total: 10, unit: 'records', figures: { invocations: 2 } });
    expect(registry.reportedJobs).toMatchObject([
      { name: 'replay orders', kind: 'replay', state: 'done', done: 10, figures: { invocations: 2 } },
    ]);
    // The same report unsigned is refused: the dashboard obeys the emulator's guards.
    const unsigned = await fetch(`${h.running.endpoint}/_eddy/api/progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'x', name: 'x', kind: 'replay', state: 'done', done: 1, unit: 'records' }),
    });
    expect(unsigned.status).toBe(400);
    expect(registry.reportedJobs).toHaveLength(1);
  });

  it('sends nothing to an endpoint that is not Eddy (DynamoDB Local, AWS), and the command goes on', async () => {
    const paths: string[] = [];
    other = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
        response.end('{"TableNames":[]}');
      });
    });
    await new Promise<void>((resolve) => other?.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
    const client = clientFor(endpoint);
    const reporter = reporterFor(endpoint, client);
    await reporter.identify(client);
    await client.send(new ListTablesCommand({}));
    reporter.update({ state: 'running', done: 1, unit: 'records' });
    await reporter.end({ state: 'done', done: 2, unit: 'records' });
    expect(reporter.reporting).toBe(false);
    expect(paths).toEqual(['/', '/']);
  });

  it('gives up on a report the emulator cannot take, without failing', async () => {
    h = await startHarness();
    const client = clientFor(h.running.endpoint);
    const reporter = reporterFor(h.running.endpoint, client);
    await client.send(new ListTablesCommand({}));
    // No dashboard on this emulator (no pages): the report is answered 404 and dropped.
    await expect(reporter.end({ state: 'done', done: 1, unit: 'records' })).resolves.toBeUndefined();
  });
});
