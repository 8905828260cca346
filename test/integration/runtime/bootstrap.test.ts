import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../../src/checkpoint/MemoryCheckpointStore.js';
import { defineStreamHandler } from '../../../src/handler/defineStreamHandler.js';
import { aggregate } from '../../../src/operators/aggregates/aggregate.js';
import { count, sum } from '../../../src/operators/aggregates/measures.js';
import { project, SOURCE_SEQUENCE_ATTRIBUTE } from '../../../src/operators/project.js';
import { replicate } from '../../../src/operators/replication/replicate.js';
import { stampForReplication } from '../../../src/operators/replication/stampForReplication.js';
import { bootstrap } from '../../../src/runtime/bootstrap.js';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import {
  type DynamoDbLocal,
  skipWithoutDynamoDbLocal,
  startDynamoDbLocal,
} from '../../helpers/dynamoDbLocal.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import type { Random } from '../../helpers/Random.js';
import { testRandom } from '../../helpers/testRandom.js';
import { waitFor } from '../../helpers/waitFor.js';

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

const scanAll = async (dynamodb: DynamoDBClient, tableName: string) => {
  const rows: Record<string, unknown>[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    rows.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    start = page.LastEvaluatedKey as typeof start;
  } while (start !== undefined);
  return rows;
};

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
        const { [SOURCE_SEQUENCE_ATTRIBUTE]: _seq, ...rest } = row;
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
  const writer = (async () => {
    while (writing) {
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
      }),
    ),
  );
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
        JSON.stringify([...actual.view].sort()) === JSON.stringify([...expected.view].sort()) &&
        JSON.stringify([...actual.totals].sort()) === JSON.stringify([...expected.totals].sort())
      );
    },
    'the read models to equal a recomputation',
    30_000,
    200,
  ).catch(() => undefined);
  for (const mapping of live) await mapping.stop();
  expect(new Map([...actual.view].sort())).toEqual(new Map([...expected.view].sort()));
  expect(new Map([...actual.totals].sort())).toEqual(new Map([...expected.totals].sort()));
};

describe('bootstrap: a read model from a live table, exact per key', () => {
  let h: EmulatorHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('projection and aggregate equal a recomputation from the table after writers update, insert and delete during the bootstrap, between pages’ requests and responses and across shard rollovers and splits', async () => {
    const { random } = testRandom(1414);
    h = await startHarness();
    const { running } = h;
    await fuzz({
      random,
      dynamodb: h.dynamodb,
      streams: h.streams,
      scanClient: h.clientsFor('us-east-1').dynamodb,
      reshard: (streamArn, writes) => {
        if (writes % 150 !== 0) return;
        // Shards roll over and split while the bootstrap reads them.
        const shards = running.emulator.control.rollOver({ streamArn });
        if (writes % 300 === 0 && shards[0] !== undefined)
          running.emulator.control.split({ streamArn, shardId: shards[0] });
      },
    });
  }, 120_000);

  it('adds a region to a live replicated table: the new region gets the existing items while both regions keep writing, and the two converge (last writer wins, tombstones kept)', async () => {
    const { random } = testRandom(3014);
    h = await startHarness();
    const east = h.clientsFor('us-east-1');
    const west = h.clientsFor('eu-west-1');
    const eastArn = await createStreamTable(east.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
    const KEYS = 1000;
    for (let i = 0; i < KEYS; i += 25) {
      const batch = Array.from({ length: 25 }, (_, j) =>
        stampForReplication(orderOf(random, i + j), { region: 'us-east-1' }),
      );
      await east.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { orders: batch.map((o) => ({ PutRequest: { Item: marshall(o) } })) },
        }),
      );
    }
    // The new region: an empty table with a stream as old as it, replicated towards east from its start.
    const westArn = await createStreamTable(west.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
    const replicatorOf = (region: string, own: typeof east, other: typeof east, otherRegion: string) =>
      defineStreamHandler(
        replicate({
          tableName: 'orders',
          region,
          client: own.dynamodb,
          replicas: [{ region: otherRegion, client: other.dynamodb }],
        }),
      );
    const eastReplicator = replicatorOf('us-east-1', east, west, 'eu-west-1');
    const westReplicator = replicatorOf('eu-west-1', west, east, 'us-east-1');
    const config = {
      StartingPosition: 'TRIM_HORIZON' as const,
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures' as const],
    };
    const westLive = new EventSourceMapping({
      mappingId: 'west-replicator',
      streamArn: westArn,
      client: west.streams,
      invoker: inProcessInvoker(westReplicator),
      config,
      pollIntervalMs: 50,
    });
    westLive.start();

    // Both regions write the same keys: puts stamped with their region, and deletes.
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        const [region, client] = random.chance(0.5)
          ? (['us-east-1', east.dynamodb] as const)
          : (['eu-west-1', west.dynamodb] as const);
        const n = random.int(KEYS + 100);
        if (random.chance(0.2))
          await client.send(new DeleteItemCommand({ TableName: 'orders', Key: marshall({ pk: `o${n}` }) }));
        else
          await client.send(
            new PutItemCommand({
              TableName: 'orders',
              Item: marshall(stampForReplication(orderOf(random, n), { region })),
            }),
          );
        writes += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const checkpoints = new MemoryCheckpointStore();
    const summary = await bootstrap({
      tableName: 'orders',
      mappingId: 'east-replicator',
      dynamodb: east.dynamodb,
      streams: east.streams,
      handler: eastReplicator,
      checkpoints,
      config,
      segments: 2,
      pageSize: 100,
      graceMs: 500,
      progressIntervalMs: 100,
    });
    expect(summary.completed).toBe(true);
    const eastLive = new EventSourceMapping({
      mappingId: 'east-replicator',
      streamArn: eastArn,
      client: east.streams,
      checkpoints,
      invoker: inProcessInvoker(eastReplicator),
      config,
      pollIntervalMs: 50,
    });
    eastLive.start();
    const more = writes + 200;
    await waitFor(() => writes >= more, 'writes in both regions', 60_000);
    writing = false;
    await writer;

    const contents = async (client: DynamoDBClient) =>
      (await scanAll(client, 'orders')).sort((a, b) => String(a.pk).localeCompare(String(b.pk)));
    let eastRows = await contents(east.dynamodb);
    let westRows = await contents(west.dynamodb);
    await waitFor(
      async () => {
        eastRows = await contents(east.dynamodb);
        westRows = await contents(west.dynamodb);
        return JSON.stringify(eastRows) === JSON.stringify(westRows);
      },
      'the two regions to converge',
      30_000,
      200,
    ).catch(() => undefined);
    await eastLive.stop();
    await westLive.stop();
    expect(westRows.length).toBeGreaterThanOrEqual(KEYS / 2);
    expect(westRows.some((row) => row.eddy_deleted === true)).toBe(true);
    expect(westRows).toEqual(eastRows);
  }, 120_000);
});

const unavailable = skipWithoutDynamoDbLocal();

describe.skipIf(unavailable !== undefined)('bootstrap from DynamoDB Local', () => {
  let local: DynamoDbLocal | undefined;
  afterEach(async () => {
    await local?.close();
    local = undefined;
  });

  it('projection and aggregate equal a recomputation from a DynamoDB Local table (stream records stamped to the minute) written during the bootstrap', async () => {
    const { random } = testRandom(1515);
    local = await startDynamoDbLocal();
    const config = {
      endpoint: local.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    const dynamodb = new DynamoDBClient(config);
    const scanClient = new DynamoDBClient(config);
    const streams = new DynamoDBStreamsClient(config);
    try {
      // DynamoDB Local stamps stream records to the minute: every page waits a minute for its window, so few
      // and large pages.
      await fuzz({ random, dynamodb, streams, scanClient, keys: 1000, granularity: 60, pageSize: 1000 });
    } finally {
      dynamodb.destroy();
      scanClient.destroy();
      streams.destroy();
    }
  }, 300_000);
});
