/**
 * A bootstrap of the example projection from a live table, measured (issue 14: "a 1M-item table is
 * bootstrapped into it in ≤ 100 s"):
 *
 * 1. The emulator in a process of its own (`eddy emulator`, as `eddy bootstrap` would reach it) gets the
 *    template's tables and N orders (BatchWriteItem from several concurrent writers; not timed).
 * 2. For each write mode of the projection (`VIEW_WRITES=statements`, the template's, `transactions`, `each`), into a
 *    fresh view table: `bootstrap()` with the handler of handlers/ordersProjection.ts in this process and the
 *    template's settings for its event, timed to completion while a few writers keep writing (a small steady
 *    rate of puts, updates, deletes and new orders).
 * 3. The writers stop, the live mapping continues from the bootstrap's checkpoints, and the view is checked
 *    against a recomputation from the table (row count, and a spot check of keys, those written during the
 *    bootstrap included), so the figure is of a correct run.
 *
 * Prints items, segments, seconds, items/s next to the anchor (1M in ≤ 100 s), and the load average. Asserts
 * nothing (but says when the view is wrong).
 *
 *   npm run bench:bootstrap
 *   BENCH_BOOTSTRAP_ITEMS=…      orders in the table (default 1,000,000)
 *   BENCH_BOOTSTRAP_MODES=…      statements,transactions (default; each takes ~1 h per 1M here)
 *   BENCH_BOOTSTRAP_SEGMENTS=…   parallel Scan segments (default 16)
 *   BENCH_BOOTSTRAP_BATCH_SIZE=… BatchSize of the mapping (default the template's)
 *   BENCH_BOOTSTRAP_WRITES_PER_S=… writes per second during the bootstrap (default 50)
 */

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { loadTemplate } from '../local-runtime/template/loadTemplate.js';
import { MemoryCheckpointStore } from '../src/checkpoint/MemoryCheckpointStore.js';
import { bootstrap } from '../src/runtime/bootstrap.js';
import { EventSourceMapping } from '../src/runtime/EventSourceMapping.js';
import { inProcessInvoker, type StreamHandlerFunction } from '../src/runtime/invocation/inProcessInvoker.js';
import { startEddyProcess } from './startEddyProcess.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const REGION = 'us-east-1';
const ITEMS = Number(process.env.BENCH_BOOTSTRAP_ITEMS ?? 1_000_000);
const MODES = (process.env.BENCH_BOOTSTRAP_MODES ?? 'statements,transactions').split(',');
const SEGMENTS = Number(process.env.BENCH_BOOTSTRAP_SEGMENTS ?? 16);
const WRITES_PER_S = Number(process.env.BENCH_BOOTSTRAP_WRITES_PER_S ?? 50);
const ANCHOR_SECONDS_PER_MILLION = 100;
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const server = await startEddyProcess();
/** The emulator process's CPU so far (user + system, seconds), from /proc (Linux). */
const serverCpuSeconds = () => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const { endpoint } = server;
// The handler builds its client when imported, from the environment, as on Lambda (eddy dev sets the same).
Object.assign(process.env, {
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: REGION,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
});
const dynamodb = new DynamoDBClient({ endpoint, region: REGION, credentials });
const streams = new DynamoDBStreamsClient({ endpoint, region: REGION, credentials });

const templatePath = new URL('../template.yaml', import.meta.url).pathname;
const template = await loadTemplate(templatePath, { region: REGION, parameterOverrides: {} });
const fn = template.functions.find((f) => f.logicalId === 'OrdersProjectionFunction');
const event = fn?.events[0];
if (fn === undefined || event === undefined)
  throw new Error('template.yaml: no OrdersProjectionFunction event');
const ordersTable = template.tables.find((t) => t.createTableInput.TableName === 'orders');
const viewTable = template.tables.find((t) => t.createTableInput.TableName === 'order-view');
if (ordersTable === undefined || viewTable === undefined)
  throw new Error('template.yaml: no orders/order-view');
await dynamodb.send(new CreateTableCommand(ordersTable.createTableInput as never));

// --- 1. Fill -------------------------------------------------------------------------------------------------

const CUSTOMERS = 500;
const orderOf = (i: number, status = 'NEW') => ({
  orderId: `o-${i}`,
  customerId: `c-${i % CUSTOMERS}`,
  status,
  total: (i % 10_000) / 100,
  lines: i % 3 === 0 ? ['a'] : ['a', 'b'],
});
const viewOf = (order: Record<string, unknown>) => ({
  orderId: order.orderId,
  customerId: order.customerId,
  status: order.status ?? 'NEW',
  total: order.total ?? 0,
  lineCount: Array.isArray(order.lines) ? order.lines.length : 0,
});

const fillStarted = performance.now();
{
  let next = 0;
  const writer = async () => {
    for (;;) {
      const from = next;
      if (from >= ITEMS) return;
      next = Math.min(ITEMS, from + 25);
      let requests: Record<string, unknown>[] = Array.from({ length: next - from }, (_, j) => ({
        PutRequest: { Item: marshall(orderOf(from + j)) },
      }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await dynamodb.send(
          new BatchWriteItemCommand({ RequestItems: { orders: requests as never } }),
        );
        requests = (UnprocessedItems?.orders ?? []) as Record<string, unknown>[];
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
}
const fillSeconds = (performance.now() - fillStarted) / 1000;
console.log(
  `filled ${ITEMS.toLocaleString('en')} orders in ${fillSeconds.toFixed(1)} s (${Math.round(ITEMS / fillSeconds)} items/s, not part of the figure); load average ${load()}`,
);
const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
const streamArn = Table?.LatestStreamArn as string;

// --- 2. Writers during the bootstrap -------------------------------------------------------------------------

/** Keys written while a bootstrap ran: spot-checked afterwards. */
const touched = new Set<number>();
let newKeys = ITEMS;
/** A steady trickle of puts, updates, deletes and new orders over random keys (seeded), until stopped. */
const trickle = (seed: number) => {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  let stopped = false;
  let writes = 0;
  const writersDone = Promise.all(
    Array.from({ length: 4 }, async () => {
      while (!stopped) {
        await new Promise((resolve) => setTimeout(resolve, (4 * 1000) / WRITES_PER_S));
        const roll = random();
        const i = roll < 0.1 ? newKeys++ : Math.floor(random() * ITEMS);
        touched.add(i);
        writes += 1;
        if (roll < 0.5)
          await dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: marshall(orderOf(i, 'PUT')) }));
        else if (roll < 0.85)
          await dynamodb.send(
            new UpdateItemCommand({
              TableName: 'orders',
              Key: marshall({ orderId: `o-${i}` }),
              UpdateExpression: 'SET #s = :s, #t = :t',
              ExpressionAttributeNames: { '#s': 'status', '#t': 'total' },
              ExpressionAttributeValues: marshall({ ':s': 'PAID', ':t': Math.round(random() * 1000) }),
            }),
          );
        else
          await dynamodb.send(
            new DeleteItemCommand({ TableName: 'orders', Key: marshall({ orderId: `o-${i}` }) }),
          );
      }
    }),
  );
  return {
    stop: async () => {
      stopped = true;
      await writersDone;
      return writes;
    },
  };
};

// --- 3. Checks ---------------------------------------------------------------------------------------------

const countOf = async (TableName: string, filter?: string) => {
  let count = 0;
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName,
        Select: 'COUNT',
        ExclusiveStartKey,
        ...(filter === undefined ? {} : { FilterExpression: filter }),
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey !== undefined);
  return count;
};

const getMany = async (TableName: string, ids: readonly number[]) => {
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < ids.length; i += 100) {
    let Keys: Record<string, unknown>[] = ids.slice(i, i + 100).map((id) => marshall({ orderId: `o-${id}` }));
    while (Keys.length > 0) {
      const out = await dynamodb.send(
        new BatchGetItemCommand({
          RequestItems: { [TableName]: { Keys: Keys as never, ConsistentRead: true } },
        }),
      );
      for (const item of out.Responses?.[TableName] ?? []) {
        const value = unmarshall(item);
        found.set(value.orderId as string, value);
      }
      Keys = (out.UnprocessedKeys?.[TableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
};

/** A view row's columns, in viewOf's order. */
const rowOf = (row: Record<string, unknown>) => ({
  orderId: row.orderId,
  customerId: row.customerId,
  status: row.status,
  total: row.total,
  lineCount: row.lineCount,
});

/** Mismatches between the view and the view of the table's current items, for these keys. */
const mismatches = async (view: string, ids: readonly number[]) => {
  const source = await getMany('orders', ids);
  const rows = await getMany(view, ids);
  let wrong = 0;
  for (const id of ids) {
    const key = `o-${id}`;
    const item = source.get(key);
    const row = rows.get(key);
    const live = row !== undefined && row.eddy_deleted !== true;
    if (item === undefined ? live : !live || JSON.stringify(viewOf(item)) !== JSON.stringify(rowOf(row)))
      wrong += 1;
  }
  return wrong;
};

// --- The runs ------------------------------------------------------------------------------------------------

const results: Record<string, Record<string, string | number>> = {};
for (const [index, mode] of MODES.entries()) {
  const viewName = `order-view-${mode}`;
  await dynamodb.send(
    new CreateTableCommand({ ...viewTable.createTableInput, TableName: viewName } as never),
  );
  const env = { VIEW_WRITES: mode, VIEW_TABLE: viewName };
  Object.assign(process.env, env);
  // A query string makes a separate module instance, which reads the environment as it is now.
  const entry = fn.build.entryPoints[0] as string;
  const { handler } = (await import(`${pathToFileURL(entry).href}?${new URLSearchParams(env)}`)) as {
    handler: StreamHandlerFunction;
  };
  const batchSize = process.env.BENCH_BOOTSTRAP_BATCH_SIZE;
  const config = {
    ...event.properties,
    ...(batchSize === undefined ? {} : { BatchSize: Number(batchSize) }),
  };
  const checkpoints = new MemoryCheckpointStore();
  const mappingId = `bench-bootstrap-${mode}`;
  touched.clear();
  const writers = trickle(1414 + index);
  const loads: string[] = [load()];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const serverBefore = serverCpuSeconds();
  const summary = await bootstrap({
    tableName: 'orders',
    mappingId,
    dynamodb,
    streams,
    handler,
    config,
    checkpoints,
    segments: SEGMENTS,
    progressIntervalMs: 5000,
    onProgress: (p) => {
      loads.push(load());
      console.log(
        `  ${mode}: ${p.segmentsDone}/${p.segments} segments, ${p.scanned} scanned, ${p.emitted} emitted, ${p.superseded} superseded, stream lag ${p.streamLagMs} ms, load ${load()}`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpu = serverCpuSeconds() - serverBefore;
  const writes = await writers.stop();
  loads.push(load());
  // Live from the bootstrap's checkpoints until the view has caught up with the writes made during it.
  const live = new EventSourceMapping({
    mappingId,
    streamArn,
    client: streams,
    checkpoints,
    config,
    invoker: inProcessInvoker(handler),
    pollIntervalMs: 50,
  });
  live.start();
  const expectedRows = await countOf('orders');
  const sample = [
    ...touched,
    ...Array.from({ length: 2000 }, (_, i) => Math.floor((i * 7919 * 104729) % ITEMS)),
  ];
  let wrong = Number.POSITIVE_INFINITY;
  let rows = -1;
  const deadline = performance.now() + 300_000;
  while (performance.now() < deadline) {
    wrong = await mismatches(viewName, sample);
    rows = await countOf(viewName, 'attribute_not_exists(eddy_deleted)');
    if (wrong === 0 && rows === expectedRows) break;
    console.log(
      `  ${mode}: live catching up: ${wrong} of ${sample.length} keys differ, ${rows} rows of ${expectedRows}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await live.stop();
  results[`projection, VIEW_WRITES=${mode}`] = {
    items: summary.scanned,
    segments: summary.segments,
    seconds: Number(seconds.toFixed(1)),
    'items/s': Math.round(summary.scanned / seconds),
    'anchor s (≤ 100 per 1M)': Number(((ANCHOR_SECONDS_PER_MILLION * summary.scanned) / 1e6).toFixed(1)),
    emitted: summary.emitted,
    superseded: summary.superseded,
    'stream bases': summary.streamBases,
    'writes during': writes,
    'client CPU s': Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    'emulator CPU s': Number(serverCpu.toFixed(1)),
    'view rows = table items': rows === expectedRows ? `yes (${rows})` : `NO (${rows} vs ${expectedRows})`,
    'spot-check mismatches': `${wrong} of ${sample.length}`,
    'load average (1 5 15 min), start → end': `${loads[0]} → ${loads[loads.length - 1]}`,
  };
  console.log(`${mode}: ${JSON.stringify(results[`projection, VIEW_WRITES=${mode}`])}`);
}

console.table(results);
await server.close();
process.exit(0);
