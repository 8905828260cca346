import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  type ScanCommandOutput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { marshall, type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { isTombstone, REPLICATION_ATTRIBUTES, stampForReplication } from '../../src/index.js';
import { type CliProcess, freePort, ROOT, runCli } from './runCli.js';
import { streamRecords } from './streamRecords.js';

// The example handlers of template.yaml driven end to end: `eddy dev` in a child process, random order
// workloads written with the SDK, and the oracles the examples promise (a view and totals that equal a
// recomputation from the orders table).

type Row = Record<string, NativeAttributeValue>;

const CREDENTIALS = { accessKeyId: 'e2e', secretAccessKey: 'e2e' };

/** A small seeded generator (mulberry32), so a failing workload can be run again from its seed. */
const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * `turns` turns of the event loop: a writer yields to the other writers and their I/O between writes (a seeded
 * number of turns shuffles the interleaving) without waiting on the clock.
 */
const yieldTurns = async (turns: number): Promise<void> => {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
};

/** Clients of one region of the emulator `eddy dev` runs. `maxAttempts: 1`: a write to a killed process fails at once. */
const clientsFor = (endpoint: string, region: string) => ({
  region,
  dynamodb: new DynamoDBClient({ endpoint, region, credentials: CREDENTIALS, maxAttempts: 1 }),
  streams: new DynamoDBStreamsClient({ endpoint, region, credentials: CREDENTIALS }),
});
type RegionClients = ReturnType<typeof clientsFor>;

/**
 * A fresh folder for one test's `--state-dir` and `--build-dir`, inside the project's `.eddy/` (ignored by git):
 * bundles import the project's node_modules, so they must be built under it.
 */
const projectTempDir = async (prefix: string): Promise<string> => {
  await mkdir(join(ROOT, '.eddy'), { recursive: true });
  return mkdtemp(join(ROOT, '.eddy', prefix));
};

/** `eddy dev` on template.yaml; resolves once it is ready. */
const startEddyDev = async (port: number, args: readonly string[]): Promise<CliProcess> => {
  const dev = runCli(['dev', '--port', String(port), ...args]);
  await dev.waitForOutput(/eddy dev: ready/, 60_000);
  return dev;
};

/** Forgets every checkpoint of a `--state-dir`, keeping the emulator's data: the next run replays the streams. */
const forgetCheckpoints = (stateDir: string) => rm(join(stateDir, 'checkpoints.json'), { force: true });

/** One describe's `eddy dev` on template.yaml and what it runs in: see {@link eddyDevFixture}. */
interface EddyDevFixture {
  /**
   * The `--state-dir` (checkpoints and the emulator's data, which outlive the process): `state/` of the describe's
   * folder from {@link projectTempDir}, next to `build/` (the `--build-dir`) and `failures/`.
   */
  readonly stateDir: string;
  /** The process last started (a test that runs before any start fails here). */
  readonly dev: CliProcess;
  /**
   * The clients of a region the process runs (by default us-east-1). Callable at describe time: the clients
   * themselves are made in `beforeAll`, once the port is known, and reached through the handle's getters.
   */
  clients(region?: string): RegionClients;
  /** Starts `eddy dev` on the describe's port, state and build folders; resolves once it is ready. */
  start(): Promise<CliProcess>;
  /** {@link recordsHandled} in the output of the process last started (0 before any start). */
  handled(label: string): number;
  /** Stops the process gracefully, forgets every checkpoint and starts it again: every record comes again. */
  replayFromStart(): Promise<CliProcess>;
  /** No failed invocation or record in the output of the process last started, and none sent to a failure destination. */
  expectNoFailures(): Promise<void>;
}

/**
 * Registers the hooks of a describe that drives `eddy dev` on template.yaml: before its tests a fresh project
 * folder (prefix `prefix`) and a free port, with clients of each of `regions` (`--regions` when more than one);
 * after them the process killed, the clients closed and the folder deleted. The tests of a describe share one
 * process and one --state-dir: each test goes on from the state the one before left.
 */
const eddyDevFixture = (prefix: string, regions: readonly string[] = ['us-east-1']): EddyDevFixture => {
  let folder: string | undefined;
  let port: number | undefined;
  let dev: CliProcess | undefined;
  const made = new Map<string, RegionClients>();
  const madeFor = (region: string): RegionClients => {
    const clients = made.get(region);
    if (clients === undefined)
      throw new Error(`the clients of ${region} are made in beforeAll: use them in a test`);
    return clients;
  };
  const handles = new Map(
    regions.map((region): [string, RegionClients] => [
      region,
      {
        region,
        get dynamodb() {
          return madeFor(region).dynamodb;
        },
        get streams() {
          return madeFor(region).streams;
        },
      },
    ]),
  );
  const folderOf = () => {
    if (folder === undefined) throw new Error('the folder is made in beforeAll: use it in a test');
    return folder;
  };

  beforeAll(async () => {
    folder = await projectTempDir(prefix);
    port = await freePort();
    for (const region of regions) made.set(region, clientsFor(`http://127.0.0.1:${port}`, region));
  });
  afterAll(async () => {
    await dev?.stop('SIGKILL');
    for (const clients of made.values()) {
      clients.dynamodb.destroy();
      clients.streams.destroy();
    }
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  const fixture: EddyDevFixture = {
    get stateDir() {
      return join(folderOf(), 'state');
    },
    get dev() {
      if (dev === undefined) throw new Error('eddy dev was not started');
      return dev;
    },
    clients: (region = 'us-east-1') => {
      const clients = handles.get(region);
      if (clients === undefined) throw new Error(`eddy dev does not run ${region} here`);
      return clients;
    },
    start: async () => {
      dev = await startEddyDev(port as number, [
        ...(regions.length > 1 ? ['--regions', regions.join(',')] : []),
        '--state-dir',
        fixture.stateDir,
        '--build-dir',
        join(folderOf(), 'build'),
      ]);
      return dev;
    },
    handled: (label) => recordsHandled(dev?.output() ?? '', label),
    replayFromStart: async () => {
      await dev?.stop('SIGTERM');
      await forgetCheckpoints(fixture.stateDir);
      return fixture.start();
    },
    expectNoFailures: async () => {
      expect(failureLines(fixture.dev.output())).toEqual([]);
      expect(await readdir(join(folderOf(), 'failures')).catch(() => [])).toEqual([]);
    },
  };
  return fixture;
};

/**
 * Moves the checkpoints of a `--state-dir` back to `fraction` of the way through the records each had covered,
 * per shard, as if the checkpoints written after that had been lost in a crash: the next run delivers those
 * records again. `shards` is the stream's records as `sequencesByShard` read them before the process stopped
 * (the emulator runs inside it). The store itself never moves a checkpoint backwards; this edits its file,
 * which no process is using. Returns, per mapping, how many records stay behind its checkpoints: the next run
 * delivers every record of the stream but those.
 */
const rollBackCheckpoints = async (
  stateDir: string,
  shards: ReadonlyMap<string, readonly string[]>,
  fraction: number,
  /** Which mappings to roll back (with several regions: those of the region `shards` was read in). */
  mappings: (mappingId: string) => boolean = () => true,
): Promise<Map<string, number>> => {
  const file = join(stateDir, 'checkpoints.json');
  const checkpoints = JSON.parse(await readFile(file, 'utf8')) as Record<
    string,
    Record<string, { sequenceNumber?: string; shardEnded?: boolean }>
  >;
  const kept = new Map<string, number>();
  for (const [mappingId, checkpointed] of Object.entries(checkpoints)) {
    if (!mappings(mappingId)) continue;
    for (const [shardId, checkpoint] of Object.entries(checkpointed)) {
      const sequences = shards.get(shardId);
      if (sequences === undefined || checkpoint.sequenceNumber === undefined) continue;
      const done = sequences.filter((n) => BigInt(n) <= BigInt(checkpoint.sequenceNumber as string));
      const keep = Math.floor(done.length * fraction);
      kept.set(mappingId, (kept.get(mappingId) ?? 0) + keep);
      // No checkpoint at all: the shard is read again from its start (TRIM_HORIZON).
      if (keep === 0) delete checkpointed[shardId];
      else checkpointed[shardId] = { sequenceNumber: done[keep - 1] as string };
    }
  }
  await writeFile(file, `${JSON.stringify(checkpoints, null, 2)}\n`);
  return kept;
};

/** The sequence numbers of each shard of a region's orders stream, in order. */
const sequencesByShard = async (clients: RegionClients): Promise<Map<string, string[]>> => {
  const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
  const streamArn = Table?.LatestStreamArn as string;
  const { StreamDescription } = await clients.streams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const shards = new Map<string, string[]>();
  for (const shard of StreamDescription?.Shards ?? []) {
    const sequences: string[] = [];
    let iterator = (
      await clients.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator !== undefined) {
      const page = await clients.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of page.Records ?? []) sequences.push(record.dynamodb?.SequenceNumber as string);
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
    shards.set(shard.ShardId as string, sequences);
  }
  return shards;
};

const scanAll = async (dynamodb: DynamoDBClient, tableName: string): Promise<Row[]> => {
  const rows: Row[] = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page: ScanCommandOutput = await dynamodb.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    rows.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return rows;
};

const byKey = (rows: readonly Row[], key: string): Record<string, Row> =>
  Object.fromEntries(
    rows.map((row) => [String(row[key]), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );

/** Every record of a region's orders stream, all shards. */
const ordersStreamRecords = async (clients: RegionClients) => {
  const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
  return streamRecords(clients.streams, Table?.LatestStreamArn as string);
};

/** How many records the orders stream of a region holds, all shards. */
const streamSize = async (clients: RegionClients): Promise<number> =>
  (await ordersStreamRecords(clients)).length;

/**
 * The records a function was sent in invocations that succeeded, from the console lines of `eddy dev`
 * (`[OrdersProjectionFunction@us-east-1 1a2b3c4d] 12 records in → ok`), counted from `since` in the output.
 */
const recordsHandled = (output: string, label: string, since = 0): number => {
  let total = 0;
  const line = new RegExp(
    `^\\[${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} [0-9a-f]{8}\\] (\\d+) records? in → ok`,
    'gm',
  );
  for (const match of output.slice(since).matchAll(line)) total += Number(match[1]);
  return total;
};

/** Console lines of failed invocations or records (there should be none in these workloads). */
const failureLines = (output: string): string[] =>
  output.split('\n').filter((line) => / records? in → (\d+ failed|function error)/.test(line));

// --- Workloads ---------------------------------------------------------------------------------------------

const CUSTOMERS = ['c-1', 'c-2', 'c-3', 'c-4'];
const STATUSES = ['NEW', 'PAID', 'SHIPPED'];

/** An amount with cents, so that the totals have to be summed exactly. */
const amount = (random: () => number) => Math.floor(random() * 20_000) / 100;

interface Workload {
  readonly random: () => number;
  /** Orders are `o-0` … `o-<keys - 1>`: few keys, so the same orders are written over and over. */
  readonly keys: number;
  readonly operations: number;
  /** Writers working at the same time. */
  readonly writers?: number;
  /** Stops the writers early (for a kill mid-workload); they finish the write at hand. */
  readonly stopped?: () => boolean;
}

/** A new status and amount, and now and then a new customer: the order moves to another customer's totals. */
const updateOrder = (orderId: string, random: () => number): UpdateItemCommand => {
  const values: Row = {
    ':s': STATUSES[Math.floor(random() * STATUSES.length)],
    ':t': amount(random),
  };
  if (random() < 0.2) values[':c'] = CUSTOMERS[Math.floor(random() * CUSTOMERS.length)];
  return new UpdateItemCommand({
    TableName: 'orders',
    Key: marshall({ orderId }),
    UpdateExpression: `SET #s = :s, #t = :t${':c' in values ? ', customerId = :c' : ''}`,
    ExpressionAttributeNames: { '#s': 'status', '#t': 'total' },
    ExpressionAttributeValues: marshall(values),
  });
};

/**
 * Puts, updates (status, amount, even the customer) and deletes of orders over a small key space. Writes that
 * fail are left out (the process may be killed under them): the oracles read the table, not this list.
 */
const writeOrders = async (dynamodb: DynamoDBClient, w: Workload): Promise<number> => {
  let done = 0;
  const writer = async () => {
    while (done < w.operations && w.stopped?.() !== true) {
      done += 1;
      const orderId = `o-${Math.floor(w.random() * w.keys)}`;
      const roll = w.random();
      const write =
        roll < 0.45
          ? new PutItemCommand({
              TableName: 'orders',
              Item: marshall({
                orderId,
                customerId: CUSTOMERS[Math.floor(w.random() * CUSTOMERS.length)],
                status: STATUSES[Math.floor(w.random() * STATUSES.length)],
                total: amount(w.random),
                lines: Array.from({ length: Math.floor(w.random() * 3) }, (_, i) => `line-${i}`),
              }),
            })
          : roll < 0.75
            ? updateOrder(orderId, w.random)
            : new DeleteItemCommand({ TableName: 'orders', Key: marshall({ orderId }) });
      await dynamodb.send(write as never).catch(() => undefined);
      if (w.random() < 0.2) await yieldTurns(Math.floor(w.random() * 5));
    }
  };
  await Promise.all(Array.from({ length: w.writers ?? 1 }, writer));
  return done;
};

interface ReplicatedWorkload extends Workload {
  readonly region: string;
  /** How far this region's clock is off, in ms: both regions' writes conflict, either way. */
  readonly skewMs: number;
}

/**
 * One region's application on a replicated orders table: every write stamped with `stampForReplication`
 * (puts, stamped updates, tombstones), plus plain DeleteItems, which the replicator turns into tombstones.
 */
const writeReplicatedOrders = async (dynamodb: DynamoDBClient, w: ReplicatedWorkload): Promise<number> => {
  let done = 0;
  const writer = async () => {
    while (done < w.operations && w.stopped?.() !== true) {
      done += 1;
      const orderId = `o-${Math.floor(w.random() * w.keys)}`;
      const now = Date.now() + w.skewMs + Math.floor(w.random() * 40) - 20;
      const roll = w.random();
      let write: PutItemCommand | UpdateItemCommand | DeleteItemCommand;
      if (roll < 0.45) {
        const order = stampForReplication(
          {
            orderId,
            customerId: CUSTOMERS[Math.floor(w.random() * CUSTOMERS.length)],
            status: STATUSES[Math.floor(w.random() * STATUSES.length)],
            total: amount(w.random),
          },
          { region: w.region, now },
        );
        write = new PutItemCommand({ TableName: 'orders', Item: marshall(order) });
      } else if (roll < 0.7) {
        const stamp = stampForReplication({}, { region: w.region, now });
        write = new UpdateItemCommand({
          TableName: 'orders',
          Key: marshall({ orderId }),
          UpdateExpression: 'SET #s = :s, #t = :t, #o = :o, #v = :v, #w = :w REMOVE #d, #ttl',
          ExpressionAttributeNames: {
            '#s': 'status',
            '#t': 'total',
            '#o': REPLICATION_ATTRIBUTES.origin,
            '#v': REPLICATION_ATTRIBUTES.version,
            '#w': REPLICATION_ATTRIBUTES.writeId,
            '#d': 'eddy_deleted',
            '#ttl': 'expiresAt',
          },
          ExpressionAttributeValues: marshall({
            ':s': STATUSES[Math.floor(w.random() * STATUSES.length)],
            ':t': amount(w.random),
            ':o': stamp.eddy_origin,
            ':v': stamp.eddy_version,
            ':w': stamp.eddy_write_id,
          }),
        });
      } else if (roll < 0.85) {
        const tombstone = stampForReplication(
          { orderId },
          {
            region: w.region,
            now,
            deleted: true,
            tombstoneTtl: { attribute: 'expiresAt', seconds: 7 * 86_400 },
          },
        );
        write = new PutItemCommand({ TableName: 'orders', Item: marshall(tombstone) });
      } else write = new DeleteItemCommand({ TableName: 'orders', Key: marshall({ orderId }) });
      await dynamodb.send(write as never).catch(() => undefined);
      if (w.random() < 0.3) await yieldTurns(Math.floor(w.random() * 6));
    }
  };
  await Promise.all(Array.from({ length: w.writers ?? 1 }, writer));
  return done;
};

// --- Oracles: what the view and the totals must hold, recomputed from the orders table --------------------

/** The live orders: what a reader of the orders table sees (tombstones are deleted orders). */
const liveOrders = (orders: readonly Row[]): Row[] => orders.filter((order) => !isTombstone(order));

/** handlers/ordersProjection.ts's view of an order, computed independently. */
const viewOf = (order: Row): Row => ({
  orderId: order.orderId,
  ...(order.customerId === undefined ? {} : { customerId: order.customerId }),
  status: order.status ?? 'NEW',
  total: order.total ?? 0,
  lineCount: Array.isArray(order.lines)
    ? order.lines.length
    : order.lines instanceof Set
      ? order.lines.size
      : 0,
});

/**
 * Compares the view table with the orders table: every live order has its row, reflecting it; every other
 * order ever written has no row or a tombstone; there is no row for an order never written. Returns the
 * differences (none when the view is right).
 */
const viewDifferences = (orders: readonly Row[], viewRows: readonly Row[], everWritten: Iterable<string>) => {
  const live = byKey(liveOrders(orders), 'orderId');
  const view = byKey(viewRows, 'orderId');
  const differences: string[] = [];
  for (const orderId of new Set([...everWritten, ...Object.keys(view), ...Object.keys(live)])) {
    const row = view[orderId];
    const order = live[orderId];
    if (order === undefined) {
      if (row !== undefined && !isTombstone(row))
        differences.push(`${orderId}: deleted, but its view row is ${JSON.stringify(row)}`);
      continue;
    }
    const { eddy_source_sequence: _sequence, eddy_view_shape: _shape, ...shown } = row ?? {};
    if (
      row === undefined ||
      isTombstone(row) ||
      JSON.stringify(sorted(shown)) !== JSON.stringify(sorted(viewOf(order)))
    ) {
      differences.push(`${orderId}: view ${JSON.stringify(row)}, order ${JSON.stringify(order)}`);
    }
  }
  return differences;
};

const sorted = (row: Row): Row =>
  Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Per customer: the number of live orders and their total in cents, recomputed from the orders table. */
const totalsOf = (orders: readonly Row[]): Record<string, { orders: number; totalCents: number }> => {
  const totals: Record<string, { orders: number; totalCents: number }> = {};
  for (const order of liveOrders(orders)) {
    if (typeof order.customerId !== 'string') continue;
    const total = totals[order.customerId] ?? { orders: 0, totalCents: 0 };
    totals[order.customerId] = {
      orders: total.orders + 1,
      totalCents: total.totalCents + Math.round((order.total ?? 0) * 100),
    };
  }
  return totals;
};

/**
 * The customer-totals table as readers see it: ledger rows (keys beginning with `eddy#`) left out, customers
 * whose orders are all gone (a row with 0 orders) dropped, so that it compares with {@link totalsOf}.
 */
const totalsIn = (rows: readonly Row[]): Record<string, { orders: number; totalCents: number }> =>
  Object.fromEntries(
    rows
      .filter((row) => !String(row.customerId).startsWith('eddy#'))
      .filter((row) => row.orders !== 0 || row.totalCents !== 0)
      .map((row) => [String(row.customerId), { orders: row.orders, totalCents: row.totalCents }])
      .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
  );

const sortedTotals = (totals: Record<string, { orders: number; totalCents: number }>) =>
  Object.fromEntries(Object.entries(totals).sort(([a], [b]) => (a < b ? -1 : 1)));

// --- Scenarios shared by the single-region examples (the projection, the customer totals) -----------------

interface RedeliveryScenario {
  readonly seed: number;
  /** Orders are `o-0` … `o-<keys - 1>` (see {@link Workload}). */
  readonly keys: number;
  /** Where the checkpoints of the killed run are rolled back to (see {@link rollBackCheckpoints}). */
  readonly fraction: number;
  /** The example's function, as `eddy dev` labels its lines (`OrdersProjectionFunction`). */
  readonly functionName: string;
}

/**
 * Redeliveries mixed with new writes: `eddy dev` started and killed with SIGKILL under four writers once the
 * function was sent 60 records, the checkpoints of its mapping rolled back to `fraction` of what they covered
 * (lost in the crash), then started again on the same --state-dir while two writers go on with the same random
 * sequence. Resolves, with the restarted process, once the function was sent every record after the rolled-back
 * checkpoints, those the killed run had handled included (more than 20 of them: the redeliveries happened).
 */
const killRollBackAndRestart = async (fixture: EddyDevFixture, scenario: RedeliveryScenario) => {
  const { seed, keys, fraction, functionName } = scenario;
  const east = fixture.clients();
  const handled = () => fixture.handled(functionName);
  let dev = await fixture.start();
  const random = seededRandom(seed);
  let killed = false;
  // Four writers; the process is killed under them once some of their orders went through the function.
  const writing = writeOrders(east.dynamodb, {
    random,
    keys,
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
  // A mapping is named `<function>-<event>`: every example function reads the orders table as `OrdersStream`.
  const kept =
    (await rollBackCheckpoints(fixture.stateDir, shards, fraction)).get(`${functionName}-OrdersStream`) ?? 0;

  dev = await fixture.start();
  await writeOrders(east.dynamodb, { random, keys, operations: 150, writers: 2 });
  const records = await streamSize(east);
  // Every record after the rolled-back checkpoint, those the killed run had handled included.
  await vi.waitFor(() => expect(handled()).toBeGreaterThanOrEqual(records - kept), {
    timeout: 30_000,
    interval: 50,
  });
  expect(handledBefore + handled() - records, 'records delivered twice').toBeGreaterThan(20);
  return dev;
};

/**
 * The whole orders stream replayed through the function ({@link EddyDevFixture.replayFromStart}): once it was
 * sent every record, `isRight` (the example's oracle) still holds, not one row of `table` moved, and nothing failed.
 */
const replayChangesNothing = async (
  fixture: EddyDevFixture,
  { functionName, table, isRight }: { functionName: string; table: string; isRight: () => Promise<unknown> },
) => {
  const east = fixture.clients();
  const before = await scanAll(east.dynamodb, table);
  await fixture.replayFromStart();
  const records = await streamSize(east);
  await vi.waitFor(() => expect(fixture.handled(functionName)).toBeGreaterThanOrEqual(records), {
    timeout: 30_000,
    interval: 50,
  });
  await isRight();
  expect(await scanAll(east.dynamodb, table)).toEqual(before);
  await fixture.expectNoFailures();
};

export type { EddyDevFixture, RegionClients, Row };
export {
  byKey,
  eddyDevFixture,
  failureLines,
  killRollBackAndRestart,
  liveOrders,
  ordersStreamRecords,
  replayChangesNothing,
  rollBackCheckpoints,
  scanAll,
  seededRandom,
  sequencesByShard,
  sortedTotals,
  startEddyDev,
  streamSize,
  totalsIn,
  totalsOf,
  viewDifferences,
  viewOf,
  writeOrders,
  writeReplicatedOrders,
};
