/**
 * PutItem, GetItem, UpdateItem and Query through the AWS SDK against three local DynamoDB servers, each its own
 * process, side by side: Eddy's emulator (`eddy emulator`), dynalite (its cli, in memory) and DynamoDB Local
 * (java, in memory). For each server and operation it prints throughput and the server process's CPU time per
 * 1000 operations (from /proc/<pid>/stat of the server itself), at 10 000 items and at a larger table, and the
 * server's resident memory per stored item (VmRSS after loading minus VmRSS of the server with an empty table).
 * Asserts nothing. A fourth server, "node floor", answers every request without doing anything
 * (bench/noopServer.ts): what receiving and answering a request costs any Node process here, Eddy's included.
 *
 *   npm run bench:emulator                      # 10k and 100k items
 *   BENCH_ITEMS=1000000 npm run bench:emulator  # 10k and 1M items
 *   BENCH_OPS=5000 BENCH_CONCURRENCY=16 BENCH_SERVERS=eddy,dynalite npm run bench:emulator
 *   BENCH_ROUNDS=5 BENCH_WARMUP=5000 npm run bench:emulator   # median of 5 runs per phase, longer warm-up
 *   BENCH_SERVERS=eddy-stream,eddy-stream-data-dir,dynalite npm run bench:emulator
 *       # PutItem into a NEW_AND_OLD_IMAGES stream table next to dynalite without one, and the ratio (anchor ≤ 0.5)
 *   BENCH_SERVERS=eddy,eddy-data-dir,eddy-baseline BENCH_EDDY_BASELINE=/path/to/older/checkout/ npm run bench:emulator
 *       # this checkout next to itself with a --data-dir journal, and next to another checkout (before/after a change)
 *   BENCH_SERVERS=eddy-baseline-stream,eddy-stream,dynalite BENCH_EDDY_BASELINE=/path/to/older/checkout/ npm run bench:emulator
 *       # the anchor before and after a change, in one run
 *
 * Servers here run one after another, so a change of load between them moves a ratio by ±0.1 on a small shared
 * machine: for the PutItem anchor, `npm run bench:put-ratio` (bench/streamPutRatio.ts) runs them side by side.
 *
 * Client and servers share this machine's cores, so the absolute rates say as much about the machine as about
 * the servers; CPU per operation is the fairer comparison.
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { dynamoDbLocalUnavailable } from '../test/helpers/dynamoDbLocal.js';
import {
  clientFor,
  createBenchTable,
  ITEMS_PER_PARTITION,
  item,
  keyOf,
  load,
  median,
  pool,
  SERVER_STARTERS,
  type Server,
  TABLE,
} from './benchServers.js';
import { cpuMillis, rssBytes } from './processMetrics.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_ITEMS ?? 100_000);
const OPS = Number(process.env.BENCH_OPS ?? 3000);
/** Runs of each phase; the figures are the median run's. On a shared machine one run can be far off. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
/** Unmeasured requests before a table size's phases, all kinds mixed. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? Math.min(OPS, 1000));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SERVERS = (process.env.BENCH_SERVERS ?? 'node-floor,eddy,dynalite,dynamodb-local').split(',');

interface Figure {
  server: string;
  items: number;
  operation: string;
  opsPerSecond: number | undefined;
  cpuPer1000: number | undefined;
  note?: string;
}

const random = (n: number) => Math.floor(Math.random() * n);

/** One phase: OPS operations, timing the wall clock and the server's CPU around them (median of ROUNDS runs). */
const phase = async (
  server: Server,
  items: number,
  operation: string,
  run: () => Promise<unknown>,
): Promise<Figure> => {
  const rates: number[] = [];
  const cpus: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const cpuBefore = cpuMillis(server.pid);
    const started = performance.now();
    await pool(OPS, CONCURRENCY, run);
    const seconds = (performance.now() - started) / 1000;
    rates.push(OPS / seconds);
    cpus.push(((cpuMillis(server.pid) - cpuBefore) * 1000) / OPS);
  }
  return {
    server: server.name,
    items,
    operation,
    opsPerSecond: median(rates),
    cpuPer1000: median(cpus),
  };
};

/** One request of each measured kind, against a table of `items` items. */
const operations = (client: DynamoDBClient, items: number): Record<string, () => Promise<unknown>> => ({
  PutItem: () => {
    const i = random(items);
    return client.send(
      new PutItemCommand({ TableName: TABLE, Item: { ...item(i), count: { N: String(random(1000)) } } }),
    );
  },
  GetItem: () => client.send(new GetItemCommand({ TableName: TABLE, Key: keyOf(random(items)) })),
  UpdateItem: () =>
    client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: keyOf(random(items)),
        UpdateExpression: 'ADD #c :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    ),
  Query: () =>
    client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: `p${random(items / ITEMS_PER_PARTITION)}` } },
      }),
    ),
});

const phases = async (client: DynamoDBClient, server: Server, items: number): Promise<Figure[]> => {
  const runners = Object.entries(operations(client, items)).filter(
    ([name]) => name !== 'Query' || server.supportsQuery,
  );
  // Warm-up, unmeasured: the first requests of each kind pay for JIT compilation (V8's and the JVM's).
  await pool(WARMUP, CONCURRENCY, (i) => {
    const [, run] = runners[i % runners.length] as [string, () => Promise<unknown>];
    return run();
  });
  const figures: Figure[] = [];
  for (const [name, run] of runners) figures.push(await phase(server, items, name, run));
  if (!server.supportsQuery) {
    figures.push({
      server: server.name,
      items,
      operation: 'Query',
      opsPerSecond: undefined,
      cpuPer1000: undefined,
      note: 'skipped: Eddy has no Query yet (local-runtime/emulator/dynamodb/operations/query.ts)',
    });
  }
  return figures;
};

interface Memory {
  server: string;
  items: number;
  rss: number;
  bytesPerItem: number;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

const benchServer = async (
  start: () => Promise<Server>,
): Promise<{ figures: Figure[]; memory: Memory[]; loadNote: string }> => {
  const server = await start();
  const client = clientFor(server.endpoint, CONCURRENCY);
  try {
    await createBenchTable(client, server);
    // A few requests first, so the empty figure includes a warmed-up server and its connection handling.
    await pool(200, CONCURRENCY, (i) => client.send(new GetItemCommand({ TableName: TABLE, Key: keyOf(i) })));
    await settle();
    const emptyRss = rssBytes(server.pid);
    const figures: Figure[] = [];
    const memory: Memory[] = [];
    let loaded = 0;
    for (const items of [SMALL, LARGE]) {
      const started = performance.now();
      await load(client, server, loaded, items);
      loaded = items;
      console.log(
        `  ${server.name}: ${items} items loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      await settle();
      const rss = rssBytes(server.pid);
      memory.push({ server: server.name, items, rss, bytesPerItem: (rss - emptyRss) / items });
      figures.push(...(await phases(client, server, items)));
    }
    const loadNote = `${server.name}: loaded with ${server.supportsBatchWrite ? 'BatchWriteItem (25 per request)' : 'concurrent PutItem (no BatchWriteItem yet)'}, empty-table RSS ${(emptyRss / 2 ** 20).toFixed(1)} MiB`;
    return { figures, memory, loadNote };
  } finally {
    client.destroy();
    await server.stop();
  }
};

const format = (n: number | undefined, digits = 0) =>
  n === undefined
    ? '—'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(
  `emulatorOperations: ${OPS} operations per phase${ROUNDS > 1 ? ` (median of ${ROUNDS} runs)` : ''}, ${WARMUP} warm-up, ` +
    `${CONCURRENCY} in flight, tables of ${SMALL} and ${LARGE} items ` +
    `(${ITEMS_PER_PARTITION} per partition key, ~150 bytes each), node ${process.version}`,
);
const figures: Figure[] = [];
const memory: Memory[] = [];
const notes: string[] = [];
for (const name of SERVERS) {
  const start = SERVER_STARTERS[name];
  if (start === undefined) {
    notes.push(`unknown server ${name} (choose from ${Object.keys(SERVER_STARTERS).join(', ')})`);
    continue;
  }
  const unavailable = name === 'dynamodb-local' ? dynamoDbLocalUnavailable() : undefined;
  if (unavailable !== undefined) {
    notes.push(`DynamoDB Local skipped: ${unavailable}`);
    continue;
  }
  console.log(`${name}…`);
  const result = await benchServer(start);
  figures.push(...result.figures);
  memory.push(...result.memory);
  notes.push(result.loadNote);
}

console.log('\n| server | items | operation | ops/s | server CPU ms / 1000 ops |');
console.log('|---|---:|---|---:|---:|');
for (const f of figures) {
  console.log(
    `| ${f.server} | ${format(f.items)} | ${f.operation} | ${format(f.opsPerSecond)} | ${format(f.cpuPer1000)} |${f.note === undefined ? '' : ` ${f.note}`}`,
  );
}
console.log('\n| server | items | RSS after loading | RSS bytes per item |');
console.log('|---|---:|---:|---:|');
for (const m of memory)
  console.log(
    `| ${m.server} | ${format(m.items)} | ${format(m.rss / 2 ** 20, 1)} MiB | ${format(m.bytesPerItem)} |`,
  );
console.log('');
for (const note of notes) console.log(`- ${note}`);

// The anchor: PutItem into a table with a NEW_AND_OLD_IMAGES stream costs Eddy at most half the server CPU that
// dynalite spends on PutItem into a table without one (dynalite has no streams).
const putCpu = (server: string, items: number) =>
  figures.find((f) => f.server.startsWith(server) && f.items === items && f.operation === 'PutItem')
    ?.cpuPer1000;
const anchored = figures.filter((f) => f.operation === 'PutItem' && f.server.includes('stream'));
if (anchored.length > 0) {
  console.log(
    '\n| eddy with a stream | items | PutItem CPU ms / 1000 | dynalite without | ratio | anchor ≤ 0.5 |',
  );
  console.log('|---|---:|---:|---:|---:|---|');
  for (const f of anchored) {
    const dynalite = putCpu('dynalite', f.items);
    const ratio = dynalite === undefined || f.cpuPer1000 === undefined ? undefined : f.cpuPer1000 / dynalite;
    console.log(
      `| ${f.server} | ${format(f.items)} | ${format(f.cpuPer1000)} | ${format(dynalite)} | ${format(ratio, 2)} | ${ratio === undefined ? 'dynalite not run' : ratio <= 0.5 ? 'met' : 'not met'} |`,
    );
  }
}
