import { isDeepStrictEqual } from 'node:util';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { expect } from 'vitest';
import { MemoryCheckpointStore } from '../../src/checkpoint/MemoryCheckpointStore.js';
import { defineStreamHandler } from '../../src/handler/defineStreamHandler.js';
import { aggregate } from '../../src/operators/aggregates/aggregate.js';
import { count, sum } from '../../src/operators/aggregates/measures.js';
import { project, SOURCE_SEQUENCE_ATTRIBUTE } from '../../src/operators/project.js';
import { VIEW_SHAPE_ATTRIBUTE } from '../../src/operators/viewShape.js';
import { bootstrap } from '../../src/runtime/bootstrap.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../src/runtime/invocation/inProcessInvoker.js';
import { createStreamTable } from './createStreamTable.js';
import { scanAll } from './orderExamples.js';
import type { Random } from './Random.js';
import { waitFor } from './waitFor.js';

// The bootstrap fuzz (test/integration/runtime/bootstrap.test.ts on the emulator,
// test/differential/bootstrapDynamoDbLocal.test.ts on DynamoDB Local).

type Order = { pk: string; customerId: string; total: number; status: string };

const createKeyedTable = (dynamodb: DynamoDBClient, tableName: string) =>
  dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );

const orderOf = (random: Random, n: number): Order => ({
  pk: `o${n}`,
  customerId: `c${random.int(8)}`,
  total: 1 + random.int(1000),
  status: random.pick(['NEW', 'PAID', 'SHIPPED']),
});

/** One random write: update, insert or delete a random order. */
const writeOnce = async (dynamodb: DynamoDBClient, random: Random, keys: number): Promise<void> => {
  const n = random.int(keys + 200);
  const roll = random.float();
  if (roll < 0.2) {
    await dynamodb.send(new DeleteItemCommand({ TableName: 'orders', Key: marshall({ pk: `o${n}` }) }));
  } else if (roll < 0.5) {
    await dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: marshall(orderOf(random, n)) }));
  } else {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: 'orders',
        Key: marshall({ pk: `o${n}` }),
        UpdateExpression: 'SET #t = :t, customerId = :c, #s = :s',
        ExpressionAttributeNames: { '#t': 'total', '#s': 'status' },
        ExpressionAttributeValues: marshall({
          ':t': 1 + random.int(1000),
          ':c': `c${random.int(8)}`,
          ':s': 'PAID',
        }),
      }),
    );
  }
};

/** The projection and the per-customer totals recomputed from the source table. */
const recompute = (orders: Record<string, unknown>[]) => {
  const view = new Map(
    orders.map((o) => [o.pk as string, { pk: o.pk, customerId: o.customerId, total: o.total }]),
  );
  const totals = new Map<string, { orders: number; cents: number }>();
  for (const o of orders) {
    const t = totals.get(o.customerId as string) ?? { orders: 0, cents: 0 };
    t.orders += 1;
    t.cents += o.total as number;
    totals.set(o.customerId as string, t);
  }
  return { view, totals };
};

const readModels = async (dynamodb: DynamoDBClient) => {
  const view = new Map(
    (await scanAll(dynamodb, 'view'))
      .filter((row) => row.eddy_deleted !== true)
      .map((row) => {
        const { [SOURCE_SEQUENCE_ATTRIBUTE]: _seq, [VIEW_SHAPE_ATTRIBUTE]: _shape, ...rest } = row;
        return [row.pk as string, rest];
      }),
  );
  const totals = new Map(
    (await scanAll(dynamodb, 'totals'))
      .filter((row) => !(row.pk as string).startsWith('eddy#'))
      .filter((row) => (row.orders as number) !== 0)
      .map((row) => [row.pk as string, { orders: row.orders as number, cents: row.cents as number }]),
  );
  return { view, totals };
};

/**
 * The fuzz: a seeded table, writers that update, insert and delete random keys during the bootstrap (also while
 * a Scan response is held, after DynamoDB read the page), shard rollovers and splits where the source can make
 * them, then live; the projection and the aggregate must equal a recomputation from the source table.
 */
const fuzz = async (source: {
  readonly random: Random;
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  /** A second client of the same source: the bootstrap's, whose Scan responses are held. */
  readonly scanClient: DynamoDBClient;
  readonly reshard?: (streamArn: string, writes: number) => void;
  readonly keys?: number;
  readonly granularity?: number;
  readonly pageSize?: number;
  /** How long the read models may take to catch up once the writers stop. @default 30 s */
  readonly settleMs?: number;
  /**
   * At most this many writes per bootstrap progress report (every 100 ms) while it runs, for a slow source
   * whose live side would otherwise take minutes to catch up with the load. @default unpaced
   */
  readonly writesPerTick?: number;
}) => {
  const { random, dynamodb, streams, scanClient } = source;
  const streamArn = await createStreamTable(dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
  await createKeyedTable(dynamodb, 'view');
  await createKeyedTable(dynamodb, 'totals');
  const KEYS = source.keys ?? 2000;
  for (let i = 0; i < KEYS; i += 25) {
    const batch = Array.from({ length: Math.min(25, KEYS - i) }, (_, j) => orderOf(random, i + j));
    await dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: { orders: batch.map((o) => ({ PutRequest: { Item: marshall(o) } })) },
      }),
    );
  }

  // The bootstrap's own client holds some Scan responses while writers change the table: those writes fall
  // between the page's read and its response, inside its window.
  let held = 0;
  scanClient.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'ScanCommand' && random.float() < 0.5) {
        held += 1;
        for (let w = 0; w < 5; w += 1) await writeOnce(dynamodb, random, KEYS);
      }
      return result;
    },
    { step: 'deserialize', name: 'holdScanResponse' },
  );

  const projection = defineStreamHandler<Order>(
    project({
      client: dynamodb,
      tableName: 'view',
      view: (o) => ({ pk: o.pk, customerId: o.customerId, total: o.total }),
    }),
  );
  const totals = defineStreamHandler<Order>(
    aggregate({
      client: dynamodb,
      tableName: 'totals',
      key: (o) => o.customerId,
      measures: { orders: count(), cents: sum((o: Order) => o.total) },
    }),
  );
  const runs = [
    { mappingId: 'view-mapping', handler: projection, checkpoints: new MemoryCheckpointStore() },
    { mappingId: 'totals-mapping', handler: totals, checkpoints: new MemoryCheckpointStore() },
  ];

  let writing = true;
  let writes = 0;
  let ticks = 0;
  let bootstrapping = true;
  const writer = (async () => {
    let tick = -1;
    let inTick = 0;
    while (writing) {
      if (source.writesPerTick !== undefined && bootstrapping) {
        if (tick !== ticks) {
          tick = ticks;
          inTick = 0;
        }
        if (inTick >= source.writesPerTick) {
          await waitFor(() => ticks !== tick || !bootstrapping, 'the next progress report', 600_000, 5);
          continue;
        }
        inTick += 1;
      }
      await writeOnce(dynamodb, random, KEYS);
      writes += 1;
      source.reshard?.(streamArn, writes);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();

  const summaries = await Promise.all(
    runs.map((run) =>
      bootstrap({
        tableName: 'orders',
        mappingId: run.mappingId,
        dynamodb: scanClient,
        streams,
        handler: run.handler,
        checkpoints: run.checkpoints,
        config: { BatchSize: 100, FunctionResponseTypes: ['ReportBatchItemFailures'] },
        segments: 3,
        pageSize: source.pageSize ?? 100,
        graceMs: 500,
        creationTimeGranularitySeconds: source.granularity ?? 1,
        progressIntervalMs: 100,
        onProgress: () => {
          ticks += 1;
        },
      }),
    ),
  );
  bootstrapping = false;
  for (const summary of summaries) {
    expect(summary.completed).toBe(true);
    expect(summary.scanned).toBeGreaterThanOrEqual(KEYS / 2);
    expect(summary.superseded).toBeGreaterThan(0);
  }
  expect(held).toBeGreaterThan(0);

  // Live, from the bootstrap's checkpoints, while the writers go on a little, then stop.
  const live = runs.map(
    (run) =>
      new EventSourceMapping({
        mappingId: run.mappingId,
        streamArn,
        client: streams,
        checkpoints: run.checkpoints,
        invoker: inProcessInvoker(run.handler),
        config: {
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: 100,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        },
        pollIntervalMs: 50,
        discoveryIntervalMs: 200,
      }),
  );
  for (const mapping of live) mapping.start();
  const more = writes + 200;
  await waitFor(() => writes >= more, 'more writes', 60_000);
  writing = false;
  await writer;

  const expected = recompute(await scanAll(dynamodb, 'orders'));
  let actual = await readModels(dynamodb);
  await waitFor(
    async () => {
      actual = await readModels(dynamodb);
      return (
        // Attribute order differs between sources (DynamoDB Local's is not the emulator's): compare as values.
        isDeepStrictEqual(actual.view, expected.view) && isDeepStrictEqual(actual.totals, expected.totals)
      );
    },
    'the read models to equal a recomputation',
    source.settleMs ?? 30_000,
    200,
  ).catch(() => undefined);
  for (const mapping of live) await mapping.stop();
  const differing = [...new Set([...actual.view.keys(), ...expected.view.keys()])].filter(
    (key) => !isDeepStrictEqual(actual.view.get(key), expected.view.get(key)),
  );
  if (differing.length > 0)
    console.error(
      'differing view rows',
      differing.slice(0, 5).map((key) => [key, actual.view.get(key), expected.view.get(key)]),
      live.map((m) => m.progress()),
    );
  expect(new Map([...actual.view].sort())).toEqual(new Map([...expected.view].sort()));
  expect(new Map([...actual.totals].sort())).toEqual(new Map([...expected.totals].sort()));
};

export { createKeyedTable, fuzz, orderOf };
