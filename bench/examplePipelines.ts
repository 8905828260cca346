/**
 * The example pipelines of template.yaml, measured:
 *
 * 1. Records per second through each example (handlers/*.ts imported as they are) against the emulator: an
 *    EventSourceMapping with the template's settings for the event (BatchSize, FilterCriteria, …) drains a
 *    stream of orders written beforehand (puts, updates, deletes) into an in-process invoker. Every read and
 *    write goes over HTTP through the AWS SDK, the emulator sharing this process and its cores.
 * 2. What `defineStreamHandler` costs over a plain handler doing the same work on the same batch of 100
 *    records, in process: the same effect per record (nothing; the projection's PutItem with a client that
 *    answers at once; the projection's PutItem against the emulator), the plain handler keeping the same
 *    rules (records of one item in order, different items concurrently, later records of a failed item
 *    reported failed).
 *
 * Prints tables; asserts nothing.
 *
 *   npm run bench:examples          (BENCH_ORDERS=… writes, default 20000: long enough a drain for figures steadier than the JIT's warm-up)
 *   BENCH_EMULATOR=process npm run bench:examples
 *        the emulator in a process of its own (`eddy emulator`, built: run `npm run build` first), as `eddy dev`
 *        runs it apart from the functions' threads: the handler and the emulator each get a core. Without the
 *        emulator's wake-up hint the mapping polls as Lambda does; a drain is timed to its last invocation.
 *        CPU is both processes'.
 *   BENCH_INVOKER=worker npm run bench:examples
 *        each function built as `sam build` would and run in a worker thread of its own, as `eddy dev` runs it
 *        (the runtime's reads and batching on this thread, the handler on its own); with BENCH_EMULATOR=process
 *        this is `eddy dev`'s whole arrangement: emulator, runtime and function each on a thread of their own.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { startFunction } from '../local-runtime/dev/startFunction.js';
import { startEmulator } from '../local-runtime/emulator/startEmulator.js';
import { buildFunction } from '../local-runtime/functions/buildFunction.js';
import { workerEntry } from '../local-runtime/functions/workerEntry.js';
import { loadTemplate } from '../local-runtime/template/loadTemplate.js';
import type { FunctionDefinition, LocalTemplate } from '../local-runtime/template/types.js';
import { project } from '../src/dynamodb/index.js';
import {
  defineStreamHandler,
  type Item,
  processEach,
  REPLICATION_ATTRIBUTES,
  stampForReplication,
} from '../src/index.js';
import { resolveMappingConfig } from '../src/runtime/config/resolveMappingConfig.js';
import { EventSourceMapping } from '../src/runtime/EventSourceMapping.js';
import type { FunctionInvoker } from '../src/runtime/invocation/FunctionInvoker.js';
import { inProcessInvoker, type StreamHandlerFunction } from '../src/runtime/invocation/inProcessInvoker.js';
import { toLambdaRecord } from '../src/runtime/sources/live/toLambdaRecord.js';
import { streamRecords } from '../test/helpers/streamRecords.js';
import { cpuMillis } from './processMetrics.js';
import { startEddyProcess } from './startEddyProcess.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const ORDERS = Number(process.env.BENCH_ORDERS ?? 20_000);
const KEYS = Math.max(1, Math.floor(ORDERS / 5));
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

/** BENCH_INVOKER=worker: each function in a worker thread, as `eddy dev` runs it (see the header). */
const inWorkers = process.env.BENCH_INVOKER === 'worker';
/** BENCH_EMULATOR=process: the emulator in a process of its own (see the header). */
const separate = process.env.BENCH_EMULATOR === 'process';
const inProcess = separate ? undefined : await startEmulator({ port: 0 });
const apart = separate ? await startEddyProcess() : undefined;
const endpoint = (inProcess?.endpoint ?? apart?.endpoint) as string;
/** CPU milliseconds of this process and, when apart, the emulator's. */
const cpuMs = (): { own: number; emulator: number } => {
  const own = process.cpuUsage();
  return { own: (own.user + own.system) / 1000, emulator: apart === undefined ? 0 : cpuMillis(apart.pid) };
};
// The handlers build their clients when imported, from the environment, as on Lambda (eddy dev sets the same).
Object.assign(process.env, {
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: EAST,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  PEER_REGION: WEST,
});
const clients = (region: string) => ({
  dynamodb: new DynamoDBClient({ endpoint, region, credentials }),
  streams: new DynamoDBStreamsClient({ endpoint, region, credentials }),
});
const east = clients(EAST);
const west = clients(WEST);

/** Records appended to each stream, as the emulator reports them (in process only). */
const appended = new Map<string, number>();
inProcess?.emulator.onRecords(({ streamArn }) => appended.set(streamArn, (appended.get(streamArn) ?? 0) + 1));

/** The template's tables, created in a region as `eddy dev` creates them. */
const createTables = async (template: LocalTemplate, dynamodb: DynamoDBClient, suffix: string) => {
  for (const table of template.tables) {
    const TableName = `${String(table.createTableInput.TableName)}${suffix}`;
    await dynamodb.send(new CreateTableCommand({ ...table.createTableInput, TableName } as never));
    if (table.timeToLive !== undefined) {
      await dynamodb.send(
        new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: table.timeToLive }),
      );
    }
  }
};

const streamArnOf = async (dynamodb: DynamoDBClient, TableName: string) =>
  (await dynamodb.send(new DescribeTableCommand({ TableName }))).Table?.LatestStreamArn as string;

/** A mixed workload: 60% puts, 25% updates, 15% deletes over ORDERS / 5 orders, stamped for replication. */
const writeOrders = async (dynamodb: DynamoDBClient, TableName: string) => {
  const customers = 50;
  let next = 0;
  const writer = async () => {
    while (next < ORDERS) {
      const i = next++;
      const orderId = `o-${(i * 7919) % KEYS}`;
      const roll = (i * 37) % 100;
      if (roll < 60 || i < KEYS) {
        const order = stampForReplication(
          {
            orderId,
            customerId: `c-${i % customers}`,
            status: 'NEW',
            total: (i % 10_000) / 100,
            lines: ['a', 'b'],
          },
          { region: EAST },
        );
        await dynamodb.send(new PutItemCommand({ TableName, Item: marshall(order) }));
      } else if (roll < 85) {
        const stamp = stampForReplication({}, { region: EAST });
        await dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: marshall({ orderId }),
            UpdateExpression: 'SET #s = :s, #t = :t, #o = :o, #v = :v, #w = :w REMOVE eddy_deleted',
            ExpressionAttributeNames: {
              '#s': 'status',
              '#t': 'total',
              '#o': REPLICATION_ATTRIBUTES.origin,
              '#v': REPLICATION_ATTRIBUTES.version,
              '#w': REPLICATION_ATTRIBUTES.writeId,
            },
            ExpressionAttributeValues: marshall({
              ':s': 'PAID',
              ':t': (i % 5000) / 100,
              ':o': stamp.eddy_origin,
              ':v': stamp.eddy_version,
              ':w': stamp.eddy_write_id,
            }),
          }),
        );
      } else {
        await dynamodb.send(
          new PutItemCommand({
            TableName,
            Item: marshall(stampForReplication({ orderId }, { region: EAST, deleted: true })),
          }),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, writer));
};

/**
 * Drains the orders stream through one example: a fresh mapping from TRIM_HORIZON with the template's settings
 * for the function's event, until every record of the stream (those the handler itself adds included: the
 * replicator turns deletes into tombstones) has been sent or filtered out.
 */
const drain = async (fn: FunctionDefinition, invoker: FunctionInvoker, streamArn: string) => {
  const event = fn.events[0];
  if (event === undefined) throw new Error(`${fn.logicalId} has no event`);
  // BENCH_BATCH_SIZE=… and BENCH_PARALLELIZATION=… override the template's BatchSize and ParallelizationFactor
  // (to see what batching and concurrent batches buy).
  const batchSize = process.env.BENCH_BATCH_SIZE;
  const parallelization = process.env.BENCH_PARALLELIZATION;
  const config = resolveMappingConfig({
    ...event.properties,
    ...(batchSize === undefined ? {} : { BatchSize: Number(batchSize) }),
    ...(parallelization === undefined ? {} : { ParallelizationFactor: Number(parallelization) }),
  });
  let failedRecords = 0;
  let lastInvocation = performance.now();
  const mapping = new EventSourceMapping({
    mappingId: `bench-${fn.logicalId}`,
    onInvocation: (report) => {
      lastInvocation = performance.now();
      failedRecords += report.outcome === 'partial' ? report.failures.length : 0;
    },
    streamArn,
    client: east.streams,
    config,
    invoker,
    ...(inProcess === undefined
      ? {}
      : {
          wakeUps: {
            subscribe: (listener: (shardId: string) => void) =>
              inProcess.emulator.onRecords((e) => {
                if (e.streamArn === streamArn) listener(e.shardId);
              }),
          },
        }),
  });
  // Apart, the stream's length is read before the clock starts, and again only once it seems reached.
  let known = inProcess === undefined ? (await streamRecords(east.streams, streamArn)).length : 0;
  const started = performance.now();
  const cpuBefore = cpuMs();
  let cpuAtLast = cpuBefore;
  mapping.start();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { total } = mapping.metrics();
    const settled = total.InvokedEventCount + total.FilteredOutEventCount + total.DroppedEventCount;
    if (inProcess !== undefined) {
      if (total.PolledEventCount >= (appended.get(streamArn) ?? 0) && settled >= total.PolledEventCount) {
        lastInvocation = performance.now();
        cpuAtLast = cpuMs();
        break;
      }
      continue;
    }
    // Apart, the stream's length is not pushed here: it is read (again, as the replicator adds records) once
    // everything polled is settled; the drain is timed to its last invocation.
    if (settled < total.PolledEventCount || total.PolledEventCount < known) continue;
    cpuAtLast = cpuMs();
    known = (await streamRecords(east.streams, streamArn)).length;
    if (total.PolledEventCount >= known) break;
  }
  const seconds = (lastInvocation - started) / 1000;
  const { total } = mapping.metrics();
  await mapping.stop();
  return {
    records: total.PolledEventCount,
    filteredOut: total.FilteredOutEventCount,
    seconds,
    cpuSeconds: (cpuAtLast.own - cpuBefore.own + cpuAtLast.emulator - cpuBefore.emulator) / 1000,
    emulatorCpuSeconds: (cpuAtLast.emulator - cpuBefore.emulator) / 1000,
    failed: total.FailedInvokeEventCount + failedRecords,
  };
};

// --- 1. Records per second through each example -----------------------------------------------------------

const templatePath = new URL('../template.yaml', import.meta.url).pathname;
const template = await loadTemplate(templatePath, { region: EAST, parameterOverrides: { PeerRegion: WEST } });
const westTemplate = await loadTemplate(templatePath, {
  region: WEST,
  parameterOverrides: { PeerRegion: EAST },
});
await createTables(template, east.dynamodb, '');
await createTables(westTemplate, west.dynamodb, '');
const writeStarted = performance.now();
await writeOrders(east.dynamodb, 'orders');
const writeSeconds = (performance.now() - writeStarted) / 1000;
const ordersStream = await streamArnOf(east.dynamodb, 'orders');
const written = appended.get(ordersStream);
console.log(
  `${ORDERS} writes over ${KEYS} orders → ${written ?? 'its'} stream records (${Math.round(ORDERS / writeSeconds)} writes/s)`,
);

/**
 * Each example as the template deploys it (the projection with `VIEW_WRITES=statements`: PartiQL statements, 25
 * per BatchExecuteStatement), and the projection again with `VIEW_WRITES=each` (one conditional PutItem per
 * record, the same capacity) and `VIEW_WRITES=transactions` (rows in TransactWriteItems of up to 100, at twice
 * the write capacity), each into a fresh view table: a copy of the handler module imported with that environment.
 */
const PROJECTION_VARIANTS = [
  { env: { VIEW_WRITES: 'each', VIEW_TABLE: 'order-view-each' }, label: "writes: 'each'" },
  { env: { VIEW_WRITES: 'transactions', VIEW_TABLE: 'order-view-tx' }, label: "writes: 'transactions'" },
];
const runs = template.functions.flatMap((fn) =>
  fn.logicalId === 'OrdersProjectionFunction'
    ? [{ fn, variant: undefined }, ...PROJECTION_VARIANTS.map((variant) => ({ fn, variant }))]
    : [{ fn, variant: undefined }],
);
const viewTable = template.tables.find((t) => t.createTableInput.TableName === 'order-view');
if (viewTable !== undefined) {
  for (const { env } of PROJECTION_VARIANTS) {
    await east.dynamodb.send(
      new CreateTableCommand({ ...viewTable.createTableInput, TableName: env.VIEW_TABLE } as never),
    );
  }
}

const examples: Record<string, Record<string, string | number>> = {};
/**
 * BENCH_FUNCTIONS=OrdersProjectionFunction,… measures only the runs whose name contains one of these (e.g. to
 * profile one with --cpu-prof; `transactions` picks the projection's second run).
 */
const only = process.env.BENCH_FUNCTIONS?.split(',');
for (const { fn, variant } of runs) {
  const entry = fn.build.entryPoints[0] as string;
  const name = `${fn.logicalId} (${entry.slice(entry.lastIndexOf('/') + 1)}${variant === undefined ? '' : `, ${variant.label}`})`;
  if (only !== undefined && !only.some((part) => name.includes(part))) continue;
  let invoker: FunctionInvoker;
  let close = async () => {};
  if (inWorkers) {
    // As `eddy dev` runs it: built as `sam build` would, in a worker thread of its own, the variant's settings in
    // its environment.
    const built = { ...fn, environment: { ...fn.environment, ...variant?.env } };
    const buildDir = await mkdtemp(join(tmpdir(), 'eddy-bench-'));
    const { moduleUrl } = await buildFunction({ function: built, templatePath, outDir: buildDir });
    const worker = startFunction(built, template, {
      bundleUrl: moduleUrl,
      label: fn.logicalId,
      endpoint: { url: endpoint, kind: 'embedded' },
      workerUrl: await workerEntry(buildDir),
      credentials,
      output: () => undefined,
    });
    const coldStart = await worker.prepare();
    if (coldStart !== undefined) throw coldStart;
    invoker = worker;
    close = async () => {
      await worker.close();
      await rm(buildDir, { recursive: true, force: true });
    };
  } else {
    const saved = Object.entries(variant?.env ?? {}).map(([name]) => [name, process.env[name]] as const);
    Object.assign(process.env, variant?.env ?? {});
    // A query string makes a separate module instance, which reads the environment as it is now.
    const url = `${pathToFileURL(entry).href}${variant === undefined ? '' : `?${new URLSearchParams(variant.env)}`}`;
    const module = (await import(url)) as { handler: StreamHandlerFunction };
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    invoker = inProcessInvoker(module.handler, {
      functionName: fn.functionName,
      timeoutSeconds: fn.timeoutSeconds,
    });
  }
  const result = await drain(fn, invoker, ordersStream);
  await close();
  examples[name] = {
    'records read': result.records,
    'filtered out': result.filteredOut,
    'failed records': result.failed,
    seconds: Number(result.seconds.toFixed(2)),
    'records/s': Math.round(result.records / result.seconds),
    // This process's CPU (runtime, handler and emulator share it): steadier than the wall clock on a shared
    // machine, and the rate one free core would reach.
    'CPU µs/record': Math.round((result.cpuSeconds * 1e6) / result.records),
    'records/CPU s': Math.round(result.records / result.cpuSeconds),
    // Apart, the share of that CPU the emulator's process took: the two run on different cores.
    ...(apart === undefined
      ? {}
      : { 'emulator µs/record': Math.round((result.emulatorCpuSeconds * 1e6) / result.records) }),
  };
  console.log(`${name}: drained`);
}

// --- 2. defineStreamHandler over a plain handler, one batch of 100 records --------------------------------

/** 100 records of the orders stream as Lambda sends them, several per item (as in a real batch). */
const batchOf100 = async (): Promise<DynamoDBStreamEvent> => {
  const { StreamDescription } = await east.streams.send(
    new DescribeStreamCommand({ StreamArn: ordersStream }),
  );
  const shard = StreamDescription?.Shards?.[0]?.ShardId;
  const { ShardIterator } = await east.streams.send(
    new GetShardIteratorCommand({
      StreamArn: ordersStream,
      ShardId: shard,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const page = await east.streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
  const records = (page.Records ?? []).slice(-100).map((r) => toLambdaRecord(r, ordersStream));
  if (records.length < 100) throw new Error('the stream has fewer than 100 records');
  return { Records: records };
};

/** A client whose every call succeeds at once: the work of building and sending a request, without I/O. */
const instantClient = { send: async () => ({}) } as unknown as DynamoDBClient;

const viewOf = (order: Item): Item => ({
  orderId: order.orderId,
  customerId: order.customerId,
  status: order.status ?? 'NEW',
  total: order.total ?? 0,
  lineCount: Array.isArray(order.lines) ? order.lines.length : 0,
});

/** The projection's write for one record, as `project` makes it (a view row or a tombstone, conditional). */
const projectionPut = (record: DynamoDBRecord, image: Item | undefined, keys: Item) => {
  const sequence = (record.dynamodb?.SequenceNumber ?? '').padStart(40, '0');
  const row = image === undefined ? { ...keys, eddy_deleted: true } : viewOf(image);
  return new PutItemCommand({
    TableName: 'order-view',
    Item: marshall({ ...row, eddy_source_sequence: sequence }, { removeUndefinedValues: true }),
    ConditionExpression: 'attribute_not_exists(#seq) OR #seq < :seq',
    ExpressionAttributeNames: { '#seq': 'eddy_source_sequence' },
    ExpressionAttributeValues: marshall({ ':seq': sequence }),
  });
};

/**
 * A plain Lambda handler with the same rules as eddy's: records of one item in stream order, items 16 at a
 * time, a failed record and the item's later records reported in batchItemFailures.
 */
const plainHandler =
  (effect: (record: DynamoDBRecord, image: Item | undefined, keys: Item) => Promise<void>) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const byItem = new Map<string, DynamoDBRecord[]>();
    for (const record of event.Records) {
      const key = JSON.stringify(record.dynamodb?.Keys);
      const records = byItem.get(key) ?? [];
      records.push(record);
      byItem.set(key, records);
    }
    const failures: { itemIdentifier: string }[] = [];
    const items = [...byItem.values()];
    const work = async () => {
      for (let records = items.shift(); records !== undefined; records = items.shift()) {
        for (const [index, record] of records.entries()) {
          try {
            // What eddy's StreamItem holds: the keys and both images, unmarshalled.
            const data = record.dynamodb ?? {};
            const newImage = data.NewImage === undefined ? undefined : unmarshall(data.NewImage as never);
            const _oldImage = data.OldImage === undefined ? undefined : unmarshall(data.OldImage as never);
            await effect(
              record,
              record.eventName === 'REMOVE' ? undefined : newImage,
              unmarshall(data.Keys as never),
            );
          } catch {
            for (const failed of records.slice(index)) {
              failures.push({ itemIdentifier: failed.dynamodb?.SequenceNumber as string });
            }
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, work));
    return { batchItemFailures: failures };
  };

const sendIgnoringRefusals = async (client: DynamoDBClient, command: PutItemCommand) => {
  try {
    await client.send(command);
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

const batch = await batchOf100();
const cases: [
  string,
  (event: DynamoDBStreamEvent) => Promise<unknown>,
  (event: DynamoDBStreamEvent) => Promise<unknown>,
  number,
][] = [
  [
    'no effect (decode, group, outcomes)',
    plainHandler(async () => undefined),
    defineStreamHandler(processEach(async () => undefined)),
    2000,
  ],
  [
    "projection's PutItem, instant client",
    plainHandler(async (record, image, keys) => {
      await instantClient.send(projectionPut(record, image, keys));
    }),
    defineStreamHandler(project({ client: instantClient, tableName: 'order-view', view: viewOf })),
    2000,
  ],
  [
    "projection's PutItem, emulator over HTTP",
    plainHandler((record, image, keys) =>
      sendIgnoringRefusals(east.dynamodb, projectionPut(record, image, keys)),
    ),
    defineStreamHandler(project({ client: east.dynamodb, tableName: 'order-view', view: viewOf })),
    300,
  ],
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)] ?? NaN;
const µs = (ms: number) => Math.round(ms * 1000);

const overhead: Record<string, Record<string, string | number>> = {};
// BENCH_OVERHEAD=0 skips part 2 (when profiling part 1).
for (const [name, plain, eddy, runs] of process.env.BENCH_OVERHEAD === '0' ? [] : cases) {
  const times = { plain: [] as number[], eddy: [] as number[] };
  for (let i = 0; i < runs / 10; i++) {
    await plain(batch);
    await eddy(batch);
  }
  // Alternated, so that both see the same state of the process (GC, JIT, the emulator's tables).
  for (let i = 0; i < runs; i++) {
    for (const [which, handler] of [
      ['plain', plain],
      ['eddy', eddy],
    ] as const) {
      const started = performance.now();
      await handler(batch);
      times[which].push(performance.now() - started);
    }
  }
  const [plainMedian, eddyMedian] = [median(times.plain), median(times.eddy)];
  overhead[name] = {
    'plain µs/batch (p50)': µs(plainMedian),
    'eddy µs/batch (p50)': µs(eddyMedian),
    'plain p90': µs(p90(times.plain)),
    'eddy p90': µs(p90(times.eddy)),
    'overhead µs/batch': µs(eddyMedian - plainMedian),
    'overhead µs/record': Number(((eddyMedian - plainMedian) * 10).toFixed(1)),
    'eddy / plain': Number((eddyMedian / plainMedian).toFixed(2)),
  };
}

console.log(
  `\nExample pipelines against the emulator (Node ${process.version}, ${new Date().toISOString()}; ` +
    `one shard, template settings, ${inWorkers ? 'each function in a worker thread (as eddy dev runs it)' : 'in-process invoker'}, ${separate ? 'emulator in a process of its own, CPU of both' : 'emulator in the same process'})`,
);
console.table(examples);
console.log(
  'defineStreamHandler over a plain handler doing the same work, one batch of 100 records, in process',
);
console.table(overhead);

for (const c of [east, west]) {
  c.dynamodb.destroy();
  c.streams.destroy();
}
await inProcess?.close();
await apart?.close();
