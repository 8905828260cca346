import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ManualClock } from '../../src/time/clock.js';
import { startEmulator } from '../emulator/startEmulator.js';
import { ensureTable } from '../template/ensureTable.js';
import { loadTemplate } from '../template/loadTemplate.js';
import type { FunctionDefinition, LocalTemplate } from '../template/types.js';
import { type HandlerRun, type RunHandlerOptions, runHandler, type TestHandler } from './runHandler.js';
import type { TestItem } from './streamRecordFactory.js';

/**
 * What to start: the tables of a template, or of CreateTable definitions, or both.
 *
 * @example
 * const options: TestEmulatorOptions = {
 *   template: 'template.yaml',
 *   tables: [{ TableName: 'audit', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
 *     AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }],
 *   clock: new ManualClock(Date.UTC(2026, 5, 1)),
 * };
 */
interface TestEmulatorOptions {
  /**
   * A SAM template (`template.yaml`): every `AWS::DynamoDB::Table` and `AWS::Serverless::SimpleTable` is
   * created as `eddy dev` creates it (streams, indexes, TTL), and its functions' `Type: DynamoDB` events can
   * be run with {@link TestEmulator.runHandler}'s `function` option.
   */
  readonly template?: string;
  /** Template parameters (name → value); they win over the parameters' defaults. */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
  /** Tables to create besides the template's, as CreateTable takes them; `BillingMode` defaults to PAY_PER_REQUEST. */
  readonly tables?: readonly CreateTableCommandInput[];
  /** @default the template's region, else 'us-east-1' */
  readonly region?: string;
  /**
   * The time of the emulator (record times, TTL, retention) and of every handler run (polling, retries'
   * backoff, batching and tumbling windows, record age, timeouts). It moves only when told to, or when
   * `HandlerRun.settled()` moves it to the next thing due. @default new ManualClock() (2026-01-01T00:00:00Z)
   */
  readonly clock?: ManualClock;
  /** Shards each new stream starts with. @default 1 */
  readonly shardCount?: number;
  /** How often expired TTL items are deleted, in the clock's time. @default 1000 */
  readonly ttlSweepIntervalMs?: number;
}

/**
 * Settings for an SDK v3 client that talks to the test emulator.
 *
 * @example
 * const client = new DynamoDBClient(eddy.clientConfig);
 */
interface TestClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * A running test emulator with its tables. See {@link startTestEmulator}.
 *
 * @example
 * await using eddy = await startTestEmulator({ template: 'template.yaml' });
 * await eddy.put('OrdersTable', { orderId: 'o1' });
 * const rows = await eddy.scan('OrdersTable');
 */
interface TestEmulator extends AsyncDisposable {
  /** Where SDK clients point: `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** For your own clients: `new DynamoDBClient(emulator.clientConfig)`. */
  readonly clientConfig: TestClientConfig;
  /** The emulator's and the runs' time. */
  readonly clock: ManualClock;
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  /** Table names by the template's logical ids; tables given as definitions are listed under their own name. */
  readonly tables: Readonly<Record<string, string>>;
  /** A table's name, from its logical id or its name; throws naming the known tables otherwise. */
  tableName(table: string): string;
  /** A table's stream ARN (`LatestStreamArn`); throws when the table has no stream. */
  streamArn(table: string): Promise<string>;
  /** Writes items (plain values; marshalled) to a table, one PutItem each, in order. */
  put(table: string, ...items: readonly TestItem[]): Promise<void>;
  /** Deletes items by key, one DeleteItem each, in order. */
  delete(table: string, ...keys: readonly TestItem[]): Promise<void>;
  /** One item by key, read consistently, or undefined. */
  get(table: string, key: TestItem): Promise<TestItem | undefined>;
  /** Every item of a table, read consistently, unmarshalled. */
  scan(table: string): Promise<TestItem[]>;
  /**
   * The environment a function of the template sees under `eddy dev`: its `Environment.Variables`
   * (intrinsics resolved), AWS_REGION, and the endpoint and credentials of this emulator. Without a logical
   * id, only the AWS variables.
   */
  environment(functionLogicalId?: string): Record<string, string>;
  /**
   * Sets {@link TestEmulator.environment} in `process.env` until `close()` (or the returned function) puts
   * the previous values back. Import the handler module after this when it reads the environment at load.
   */
  useEnvironment(functionLogicalId?: string): () => void;
  /**
   * Starts a real event source mapping on a table's stream that invokes `handler` in this process, on this
   * emulator's clock. See {@link HandlerRun}; the run stops with `close()`.
   */
  runHandler(handler: TestHandler, options: RunHandlerOptions): Promise<HandlerRun>;
  /**
   * Deletes now every item whose TTL attribute is past the clock's time, as DynamoDB's TTL does (on AWS within
   * days of expiry; in the emulator every `ttlSweepIntervalMs` of the clock): each delete is a REMOVE record
   * with the DynamoDB service as `userIdentity`. Returns how many items it deleted.
   */
  sweepTtl(): number;
  /** Stops every run, the clients and the emulator, and restores the environment. */
  close(): Promise<void>;
}

/** The access key the emulator accepts (any key works; this one is only a name). */
const CREDENTIALS = { accessKeyId: 'eddy-testing', secretAccessKey: 'eddy-testing' } as const;

const functionOf = (template: LocalTemplate | undefined, logicalId: string): FunctionDefinition => {
  const fn = template?.functions.find((f) => f.logicalId === logicalId);
  if (fn !== undefined) return fn;
  throw new Error(
    template === undefined
      ? `eddy/testing: function "${logicalId}" needs a template: startTestEmulator({ template: 'template.yaml' })`
      : `eddy/testing: ${template.path} has no AWS::Serverless::Function "${logicalId}" with a Type: DynamoDB event ` +
          `(functions: ${template.functions.map((f) => f.logicalId).join(', ') || 'none'})`,
  );
};

/**
 * Starts the DynamoDB + DynamoDB Streams emulator in this process, in memory, on a free port, on a manual
 * clock, and creates the tables of a template (as `eddy dev` does) and of the given definitions. Returns ready
 * SDK v3 clients, table names by logical id, helpers to write and read items, and `runHandler` to run a handler
 * through a real event source mapping. Close it (or `await using` it) at the end of the test.
 *
 * @example
 * import { startTestEmulator } from 'eddy/testing';
 * import { afterAll, beforeAll, expect, it } from 'vitest';
 *
 * let eddy: TestEmulator;
 * beforeAll(async () => {
 *   eddy = await startTestEmulator({ template: 'template.yaml' });
 * });
 * afterAll(() => eddy.close());
 *
 * it('creates the template tables', async () => {
 *   await eddy.put('OrdersTable', { orderId: 'o1', total: 10 });
 *   expect(await eddy.get('OrdersTable', { orderId: 'o1' })).toEqual({ orderId: 'o1', total: 10 });
 * });
 */
const startTestEmulator = async (options: TestEmulatorOptions = {}): Promise<TestEmulator> => {
  const template =
    options.template === undefined
      ? undefined
      : await loadTemplate(options.template, {
          ...(options.region === undefined ? {} : { region: options.region }),
          ...(options.parameterOverrides === undefined
            ? {}
            : { parameterOverrides: { ...options.parameterOverrides } }),
        });
  const region = options.region ?? template?.region ?? 'us-east-1';
  const clock = options.clock ?? new ManualClock();
  const running = await startEmulator({
    port: 0,
    clock,
    ...(template === undefined ? {} : { accountId: template.accountId }),
    ...(options.shardCount === undefined ? {} : { streams: { shardCount: options.shardCount } }),
    ...(options.ttlSweepIntervalMs === undefined ? {} : { ttlSweepIntervalMs: options.ttlSweepIntervalMs }),
    log: () => undefined,
  });
  const clientConfig: TestClientConfig = { endpoint: running.endpoint, region, credentials: CREDENTIALS };
  const dynamodb = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const runs: HandlerRun[] = [];
  const restores: (() => void)[] = [];
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      for (const run of runs.splice(0)) await run.stop();
      for (const restore of restores.splice(0).reverse()) restore();
      dynamodb.destroy();
      streams.destroy();
      await running.close();
    })();
    return closed;
  };

  const tables: Record<string, string> = {};
  try {
    for (const table of template?.tables ?? []) {
      await ensureTable(dynamodb, table);
      tables[table.logicalId] = String(table.createTableInput.TableName);
    }
    for (const input of options.tables ?? []) {
      await dynamodb.send(new CreateTableCommand({ BillingMode: 'PAY_PER_REQUEST', ...input }));
      tables[input.TableName as string] = input.TableName as string;
    }
  } catch (error) {
    await close();
    throw error;
  }

  const tableName = (table: string): string => {
    const name = tables[table] ?? Object.values(tables).find((n) => n === table);
    if (name !== undefined) return name;
    throw new Error(
      `eddy/testing: no table "${table}" (tables: ${Object.keys(tables).join(', ') || 'none'}); ` +
        'name a logical id of the template or a table given in startTestEmulator({ tables })',
    );
  };

  const streamArn = async (table: string): Promise<string> => {
    const name = tableName(table);
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.LatestStreamArn === undefined || Table.StreamSpecification?.StreamEnabled !== true) {
      throw new Error(
        `eddy/testing: table ${name} has no stream; give it a StreamSpecification (StreamViewType) to run a handler on it`,
      );
    }
    return Table.LatestStreamArn;
  };

  const environment = (functionLogicalId?: string): Record<string, string> => ({
    ...(functionLogicalId === undefined ? {} : functionOf(template, functionLogicalId).environment),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL: running.endpoint,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  });

  const emulator: TestEmulator = {
    endpoint: running.endpoint,
    region,
    accountId: running.emulator.accountId,
    clientConfig,
    clock,
    dynamodb,
    streams,
    tables,
    tableName,
    streamArn,
    // One PutItem or DeleteItem per item, in order: each write is its own stream record, as an application's
    // writes are, and the same key may come twice.
    async put(table, ...items) {
      const name = tableName(table);
      for (const item of items) {
        await dynamodb.send(
          new PutItemCommand({ TableName: name, Item: marshall(item, { removeUndefinedValues: true }) }),
        );
      }
    },
    async delete(table, ...keys) {
      const name = tableName(table);
      for (const key of keys)
        await dynamodb.send(new DeleteItemCommand({ TableName: name, Key: marshall(key) }));
    },
    async get(table, key) {
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: tableName(table), Key: marshall(key), ConsistentRead: true }),
      );
      return Item === undefined ? undefined : unmarshall(Item);
    },
    async scan(table) {
      const name = tableName(table);
      const items: TestItem[] = [];
      let start: ScanCommandOutput['LastEvaluatedKey'];
      do {
        const page: ScanCommandOutput = await dynamodb.send(
          new ScanCommand({ TableName: name, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return items;
    },
    environment,
    useEnvironment(functionLogicalId) {
      const values = environment(functionLogicalId);
      const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
      Object.assign(process.env, values);
      let restored = false;
      const restore = () => {
        if (restored) return;
        restored = true;
        for (const [name, value] of Object.entries(previous)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      };
      restores.push(restore);
      return restore;
    },
    async runHandler(handler, runOptions) {
      if (closed !== undefined) throw new Error('eddy/testing: runHandler after close()');
      const fn = runOptions.function === undefined ? undefined : functionOf(template, runOptions.function);
      const run = await runHandler(handler, runOptions, {
        endpoint: running.endpoint,
        clientConfig,
        clock,
        region,
        accountId: running.emulator.accountId,
        ...(fn === undefined ? {} : { fn }),
        streamArnOf: streamArn,
        wakeUps: running.emulator,
      });
      runs.push(run);
      return run;
    },
    sweepTtl: () => running.emulator.sweepTtl(),
    close,
    [Symbol.asyncDispose]: close,
  };
  return emulator;
};

export type { TestClientConfig, TestEmulator, TestEmulatorOptions };
export { startTestEmulator };
