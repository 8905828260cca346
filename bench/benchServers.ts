/**
 * The servers and the load the emulator benchmarks share (bench/emulatorOperations.ts, bench/streamPutRatio.ts):
 * Eddy's emulator, dynalite, DynamoDB Local and a no-op Node server, each its own process whose pid is the
 * server's (for /proc/<pid>/stat), the bench table and its items, and a pool that keeps requests in flight.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../test/helpers/dynamoDbLocal.js';
import { freePort } from '../test/helpers/runCli.js';
import { startEddyProcess } from './startEddyProcess.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TABLE = 'bench';
const ITEMS_PER_PARTITION = 10;

/** Node options for every Eddy server, e.g. `BENCH_EDDY_NODE_ARGS=--cpu-prof` (profiles land in the checkout). */
const EDDY_NODE_ARGS = (process.env.BENCH_EDDY_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');

const eddyHas = (operation: string) =>
  existsSync(`${ROOT}local-runtime/emulator/dynamodb/operations/${operation}.ts`) ||
  existsSync(`${ROOT}dist/local-runtime/emulator/dynamodb/operations/${operation}.js`);

interface Server {
  readonly name: string;
  readonly endpoint: string;
  /** The server process itself (node or java), whose CPU and memory are read. */
  readonly pid: number;
  readonly supportsBatchWrite: boolean;
  readonly supportsQuery: boolean;
  /** The bench table gets a NEW_AND_OLD_IMAGES stream (every write also appends a stream record). */
  readonly stream?: boolean;
  stop(): Promise<void>;
}

/** Spawns a server and resolves once its output matches `ready` (giving the match). */
const spawnServer = async (
  command: string,
  args: readonly string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> => {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match !== null) resolve({ child, match });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${command} exited (${code}) before it was ready:\n${output}`)),
    );
    setTimeout(() => reject(new Error(`${command} not ready after 60 s:\n${output}`)), 60_000).unref();
  });
};

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const startEddy = async (
  variant: {
    readonly label?: string;
    readonly root?: string;
    readonly args?: readonly string[];
    readonly stream?: boolean;
  } = {},
): Promise<Server> => {
  const root = variant.root ?? ROOT;
  const eddy = await startEddyProcess({ ...variant, nodeArgs: EDDY_NODE_ARGS });
  const built = existsSync(`${root}dist/local-runtime/cli/main.js`) ? 'dist' : 'tsx';
  return {
    name: `eddy${variant.label === undefined ? '' : ` ${variant.label}`} (${built})`,
    endpoint: eddy.endpoint,
    pid: eddy.pid,
    supportsBatchWrite: eddyHas('batchWriteItem'),
    supportsQuery: eddyHas('query'),
    stream: variant.stream === true,
    stop: async () => {
      await eddy.close();
      // A data dir the benchmark made for this server goes with it (a 100k-item one is hundreds of MB).
      const at = variant.args?.indexOf('--data-dir') ?? -1;
      const dataDir = at < 0 ? undefined : variant.args?.[at + 1];
      if (dataDir?.startsWith(join(tmpdir(), 'eddy-bench-')))
        rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

const startDynalite = async (): Promise<Server> => {
  const port = await freePort();
  const { child } = await spawnServer(
    process.execPath,
    [
      `${ROOT}node_modules/dynalite/cli.js`,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--createTableMs',
      '0',
    ],
    /Dynalite listening/,
  );
  return {
    name: 'dynalite',
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    supportsBatchWrite: true,
    supportsQuery: true,
    stop: () => stopChild(child),
  };
};

/** A Node server that answers without doing anything (bench/noopServer.ts): the floor under Eddy's figures. */
const startNodeFloor = async (): Promise<Server> => {
  const port = await freePort();
  const { child } = await spawnServer(
    process.execPath,
    ['--import', 'tsx', `${ROOT}bench/noopServer.ts`, String(port)],
    /listening/,
  );
  return {
    name: 'node floor (no-op)',
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    supportsBatchWrite: true,
    supportsQuery: true,
    stop: () => stopChild(child),
  };
};

const startLocal = async (): Promise<Server> => {
  const jvmOptions = (process.env.BENCH_JVM_OPTS ?? '').split(' ').filter((option) => option !== '');
  const local = await startDynamoDbLocal({ jvmOptions });
  return {
    name: 'DynamoDB Local',
    endpoint: local.endpoint,
    pid: local.pid,
    supportsBatchWrite: true,
    supportsQuery: true,
    stop: () => local.close(),
  };
};

const clientFor = (endpoint: string, concurrency: number) =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency * 2 }) },
  });

const item = (i: number) => ({
  pk: { S: `p${Math.floor(i / ITEMS_PER_PARTITION)}` },
  sk: { N: String(i) },
  name: { S: `customer-${i.toString(36).padStart(8, '0')}` },
  count: { N: '0' },
  tags: { SS: ['bench', `t${i % 7}`] },
  data: { S: 'x'.repeat(48) },
});
const keyOf = (i: number) => ({ pk: { S: `p${Math.floor(i / ITEMS_PER_PARTITION)}` }, sk: { N: String(i) } });

/** Runs `task(i)` for i in [0, count) with `concurrency` in flight. */
const pool = async (count: number, concurrency: number, task: (i: number) => Promise<unknown>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
};

/** Writes items [from, to): BatchWriteItem in 25s where the server has it, else concurrent PutItem. */
const load = async (client: DynamoDBClient, server: Server, from: number, to: number) => {
  if (!server.supportsBatchWrite) {
    await pool(to - from, 16, (i) =>
      client.send(new PutItemCommand({ TableName: TABLE, Item: item(from + i) })),
    );
    return;
  }
  const batches = Math.ceil((to - from) / 25);
  await pool(batches, 4, async (b) => {
    let requests: WriteRequest[] = [];
    for (let i = from + b * 25; i < Math.min(to, from + (b + 1) * 25); i += 1)
      requests.push({ PutRequest: { Item: item(i) } });
    while (requests.length > 0) {
      const { UnprocessedItems } = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests } }),
      );
      requests = UnprocessedItems?.[TABLE] ?? [];
    }
  });
};

/** Creates the bench table (pk S, sk N; with a NEW_AND_OLD_IMAGES stream for a stream server) and waits for ACTIVE. */
const createBenchTable = async (client: DynamoDBClient, server: Server) => {
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      ...(server.stream === true
        ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }
        : {}),
    }),
  );
  while ((await client.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.TableStatus !== 'ACTIVE')
    await new Promise((resolve) => setTimeout(resolve, 50));
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** An older checkout of Eddy (with its own node_modules) to run beside this one: before and after, in one run. */
const BASELINE = process.env.BENCH_EDDY_BASELINE;

const SERVER_STARTERS: Record<string, () => Promise<Server>> = {
  'node-floor': startNodeFloor,
  eddy: () => startEddy(),
  // The same server journaling every write to a --data-dir: what durability costs per write.
  'eddy-data-dir': () =>
    startEddy({ label: 'with --data-dir', args: ['--data-dir', mkdtempSync(join(tmpdir(), 'eddy-bench-'))] }),
  // The table with a NEW_AND_OLD_IMAGES stream: every write also captures both images into a stream record.
  'eddy-stream': () => startEddy({ label: 'stream NEW_AND_OLD_IMAGES', stream: true }),
  'eddy-stream-data-dir': () =>
    startEddy({
      label: 'stream NEW_AND_OLD_IMAGES with --data-dir',
      stream: true,
      args: ['--data-dir', mkdtempSync(join(tmpdir(), 'eddy-bench-'))],
    }),
  'eddy-baseline-data-dir': () => {
    if (BASELINE === undefined)
      throw new Error('eddy-baseline-data-dir needs BENCH_EDDY_BASELINE=<checkout path>');
    return startEddy({
      label: `baseline ${basename(resolve(BASELINE))} with --data-dir`,
      root: `${resolve(BASELINE)}/`,
      args: ['--data-dir', mkdtempSync(join(tmpdir(), 'eddy-bench-'))],
    });
  },
  // The other checkout with the NEW_AND_OLD_IMAGES stream table: the anchor's figure before and after a change.
  'eddy-baseline-stream': () => {
    if (BASELINE === undefined)
      throw new Error('eddy-baseline-stream needs BENCH_EDDY_BASELINE=<checkout path>');
    return startEddy({
      label: `baseline ${basename(resolve(BASELINE))} stream NEW_AND_OLD_IMAGES`,
      root: `${resolve(BASELINE)}/`,
      stream: true,
    });
  },
  'eddy-baseline': () => {
    if (BASELINE === undefined) throw new Error('eddy-baseline needs BENCH_EDDY_BASELINE=<checkout path>');
    return startEddy({ label: `baseline ${basename(resolve(BASELINE))}`, root: `${resolve(BASELINE)}/` });
  },
  dynalite: startDynalite,
  'dynamodb-local': startLocal,
};

export {
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
};
