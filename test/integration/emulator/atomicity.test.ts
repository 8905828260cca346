import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchExecuteStatementCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  ScanCommand,
  TagResourceCommand,
  TransactWriteItemsCommand,
  UntagResourceCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SecondaryIndex } from '../../../local-runtime/emulator/dynamodb/indexes/SecondaryIndex.js';
import { Table } from '../../../local-runtime/emulator/dynamodb/Table.js';
import { DataDir } from '../../../local-runtime/emulator/persistence/DataDir.js';
import { startEmulator } from '../../../local-runtime/emulator/startEmulator.js';
import { Shard } from '../../../local-runtime/emulator/streams/Shard.js';
import { Stream } from '../../../local-runtime/emulator/streams/Stream.js';
import { TtlIndex } from '../../../local-runtime/emulator/ttl/TtlIndex.js';
import { ManualClock } from '../../../src/time/clock.js';
import { awsError } from '../../helpers/awsError.js';

// Every request is atomic: it takes full effect or none, so an answer of 500 means nothing changed. DynamoDB
// documents all-or-nothing for transactions
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html) and tells
// clients to retry a 500 (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html),
// which is only safe if the failed attempt left nothing behind. Internal errors are provoked by making one
// internal step throw once (a spy on a prototype method), since no valid request makes the emulator fail.

const START = Date.UTC(2026, 0, 1);
const folders: string[] = [];
const silenced = vi.spyOn(console, 'error').mockImplementation(() => undefined);
afterAll(async () => {
  silenced.mockRestore();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

interface Injected {
  /** True once the spied method reached the failing call. */
  hit(): boolean;
  restore(): void;
}

/** Makes `target[method]` throw `error` at its `nth` call (counting from 1) and behave as before otherwise. */
const failAt = <T extends object>(
  target: T,
  method: keyof T & string,
  nth: number,
  error: Error = new Error(`injected failure: ${method} call ${nth}`),
): Injected => {
  const original = target[method] as (...args: unknown[]) => unknown;
  let calls = 0;
  const spy = vi.spyOn(target, method as never).mockImplementation(function (
    this: unknown,
    ...args: unknown[]
  ) {
    calls += 1;
    if (calls === nth) throw error;
    return original.apply(this, args);
  } as never);
  return { hit: () => calls >= nth, restore: () => spy.mockRestore() };
};

const startAt = async (dataDir: string, clock: ManualClock) => {
  const running = await startEmulator({ port: 0, dataDir, clock, ttlSweepIntervalMs: 10 * 365 * 86_400_000 });
  const config = {
    endpoint: running.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // A 500 is retryable for the SDK: one attempt, so the test sees it.
    maxAttempts: 1,
  };
  return { running, dynamodb: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
};

type Clients = Awaited<ReturnType<typeof startAt>>;

/** Every file of the data dir, byte for byte. */
const dataDirFiles = async (dir: string): Promise<Record<string, string>> => {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? dir, entry.name);
    files[path.slice(dir.length)] = (await readFile(path)).toString('base64');
  }
  return files;
};

/**
 * Everything a client can observe, through the APIs: every table's description, items, TTL and tags, every
 * stream's description and records; and the data dir's bytes.
 */
const observe = async ({ dynamodb, streams }: Clients, dataDir: string) => {
  const tables: unknown[] = [];
  const { TableNames = [] } = await dynamodb.send(new ListTablesCommand({}));
  for (const name of TableNames) {
    const { Table: description } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    const items: unknown[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamodb.send(
        new ScanCommand({ TableName: name, ConsistentRead: true, ExclusiveStartKey: start as never }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    const tags = await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: description?.TableArn }));
    tables.push({ description, items, ttl: ttl.TimeToLiveDescription, tags: tags.Tags });
  }
  const streamStates: unknown[] = [];
  const { Streams = [] } = await streams.send(new ListStreamsCommand({}));
  for (const { StreamArn } of Streams) {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn }));
    const records: unknown[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      while (ShardIterator !== undefined) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
        if ((page.Records ?? []).length === 0) break;
        records.push(...(page.Records ?? []));
        ShardIterator = page.NextShardIterator;
      }
    }
    streamStates.push({ StreamDescription, records });
  }
  return { tables, streams: streamStates, files: await dataDirFiles(dataDir) };
};

/**
 * What a restart must keep: every table (TableId included: the journal holds effects), item, stream and
 * record. The data dir's files are not compared: a
 * clean close compacts them into a snapshot, so their bytes legitimately change.
 */
const acrossRestart = (observation: Awaited<ReturnType<typeof observe>>) => {
  const { files: _, ...state } = observation;
  return JSON.parse(JSON.stringify(state));
};

/** Sends a request while one internal step fails: it must answer 500 and leave everything as it was. */
const expectNoEffect = async (
  clients: Clients,
  dataDir: string,
  inject: () => Injected,
  send: () => Promise<unknown>,
): Promise<void> => {
  const before = await observe(clients, dataDir);
  const injected = inject();
  let error: Error & Record<string, unknown>;
  try {
    error = await awsError(send());
  } finally {
    injected.restore();
  }
  expect(injected.hit()).toBe(true);
  expect(error.name).toBe('InternalServerError');
  expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(500);
  expect(await observe(clients, dataDir)).toEqual(before);
};

const s = (value: string) => ({ S: value });
const order = (pk: string, status: string, extra: Record<string, unknown> = {}) => ({
  pk: s(pk),
  status: s(status),
  customer: s(`c-${pk}`),
  ...extra,
});

describe('an internal error during a request changes nothing (every request is atomic)', () => {
  const clock = new ManualClock(START);
  let dataDir: string;
  let clients: Clients;
  let ordersArn: string;
  /** Items whose TTL lies a minute after START. */
  const expiring = ['o4', 'o5', 'o6'];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'eddy-atomic-'));
    folders.push(dataDir);
    clients = await startAt(dataDir, clock);
    const { dynamodb } = clients;
    const created = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['customer'] },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Tags: [{ Key: 'team', Value: 'orders' }],
      }),
    );
    ordersArn = created.TableDescription?.TableArn as string;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'audit',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'orders',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    const expiresAt = { N: String(START / 1000 + 60) };
    for (const pk of ['o1', 'o2', 'o3']) {
      await dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: order(pk, 'open') }));
    }
    for (const pk of expiring) {
      await dynamodb.send(
        new PutItemCommand({ TableName: 'orders', Item: order(pk, 'done', { expiresAt }) }),
      );
    }
    for (const pk of ['a1', 'a2']) {
      await dynamodb.send(new PutItemCommand({ TableName: 'audit', Item: { pk: s(pk), n: { N: '1' } } }));
    }
  });

  afterAll(async () => {
    clients.dynamodb.destroy();
    clients.streams.destroy();
    await clients.running.close();
  });

  const noEffect = (inject: () => Injected, send: () => Promise<unknown>) =>
    expectNoEffect(clients, dataDir, inject, send);

  it('PutItem: the shard append fails after the item is stored', async () => {
    await noEffect(
      () => failAt(Shard.prototype, 'append', 1),
      () => clients.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: order('o7', 'open') })),
    );
  });

  it('PutItem: building the stream record overflows the stack (as an item nested thousands of levels did)', async () => {
    await noEffect(
      () => failAt(Stream.prototype, 'prepare', 1, new RangeError('Maximum call stack size exceeded')),
      () => clients.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: order('o1', 'changed') })),
    );
  });

  it('UpdateItem: the journal append fails after the item, its index entry and its record', async () => {
    await noEffect(
      () => failAt(DataDir.prototype, 'append', 1),
      () =>
        clients.dynamodb.send(
          new UpdateItemCommand({
            TableName: 'orders',
            Key: { pk: s('o1') },
            UpdateExpression: 'SET #s = :s REMOVE customer',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': s('shipped') },
            ReturnValues: 'ALL_NEW',
          }),
        ),
    );
  });

  it('DeleteItem: the TTL index update fails', async () => {
    await noEffect(
      () => failAt(TtlIndex.prototype, 'prepare', 1),
      () => clients.dynamodb.send(new DeleteItemCommand({ TableName: 'orders', Key: { pk: s('o4') } })),
    );
  });

  it('DeleteItem: the secondary index update fails', async () => {
    await noEffect(
      () => failAt(SecondaryIndex.prototype, 'prepare', 1),
      () => clients.dynamodb.send(new DeleteItemCommand({ TableName: 'orders', Key: { pk: s('o2') } })),
    );
  });

  it('BatchWriteItem: the third item fails, after two items of two tables were written', async () => {
    await noEffect(
      () => failAt(Table.prototype, 'write', 3),
      () =>
        clients.dynamodb.send(
          new BatchWriteItemCommand({
            RequestItems: {
              orders: [
                { PutRequest: { Item: order('o8', 'open') } },
                { DeleteRequest: { Key: { pk: s('o3') } } },
                { PutRequest: { Item: order('o9', 'open') } },
              ],
              audit: [{ PutRequest: { Item: { pk: s('a3') } } }, { DeleteRequest: { Key: { pk: s('a1') } } }],
            },
          }),
        ),
    );
  });

  it('TransactWriteItems: the second action fails, after the first was written', async () => {
    await noEffect(
      () => failAt(Table.prototype, 'write', 2),
      () =>
        clients.dynamodb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'orders', Item: order('o10', 'open') } },
              { Delete: { TableName: 'audit', Key: { pk: s('a2') } } },
              {
                Update: {
                  TableName: 'orders',
                  Key: { pk: s('o2') },
                  UpdateExpression: 'SET #s = :s',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: { ':s': s('paid') },
                },
              },
            ],
          }),
        ),
    );
  });

  it('TransactWriteItems: a journal failure forgets the ClientRequestToken, so the token is free again', async () => {
    const transact = (pk: string) =>
      clients.dynamodb.send(
        new TransactWriteItemsCommand({
          ClientRequestToken: 'token-1',
          TransactItems: [{ Put: { TableName: 'audit', Item: { pk: s(pk) } } }],
        }),
      );
    await noEffect(
      () => failAt(DataDir.prototype, 'append', 1),
      () => transact('t1'),
    );
    // Remembered, the token would make this different request an IdempotentParameterMismatchException.
    await transact('t2');
    const scan = await clients.dynamodb.send(new ScanCommand({ TableName: 'audit' }));
    expect(scan.Items?.map((item) => item.pk?.S).sort()).toEqual(['a1', 'a2', 't2']);
  });

  it('ExecuteStatement INSERT: the shard append fails', async () => {
    await noEffect(
      () => failAt(Shard.prototype, 'append', 1),
      () =>
        clients.dynamodb.send(
          new ExecuteStatementCommand({
            Statement: `INSERT INTO "orders" VALUE {'pk': 'o11', 'status': 'open'}`,
          }),
        ),
    );
  });

  it('BatchExecuteStatement: the second write fails, after the first was written', async () => {
    await noEffect(
      () => failAt(Table.prototype, 'write', 2),
      () =>
        clients.dynamodb.send(
          new BatchExecuteStatementCommand({
            Statements: [
              { Statement: `INSERT INTO "orders" VALUE {'pk': 'o12', 'status': 'open'}` },
              { Statement: `UPDATE "orders" SET "status" = 'late' WHERE "pk" = 'o1'` },
              { Statement: `DELETE FROM "audit" WHERE "pk" = 'a1'` },
            ],
          }),
        ),
    );
  });

  it('ExecuteTransaction: the second write fails, after the first was written', async () => {
    await noEffect(
      () => failAt(Table.prototype, 'write', 2),
      () =>
        clients.dynamodb.send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: `UPDATE "orders" SET "status" = 'late' WHERE "pk" = 'o1'` },
              { Statement: `DELETE FROM "audit" WHERE "pk" = 'a1'` },
            ],
          }),
        ),
    );
  });

  const createCustomerIndex = () =>
    clients.dynamodb.send(
      new UpdateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byCustomer',
              KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          },
        ],
      }),
    );

  it('UpdateTable creating a GSI: the backfill fails at its third item', async () => {
    await noEffect(() => failAt(SecondaryIndex.prototype, 'backfill', 3), createCustomerIndex);
  });

  it('UpdateTable creating a GSI: the journal append fails after the index was built', async () => {
    await noEffect(() => failAt(DataDir.prototype, 'append', 1), createCustomerIndex);
  });

  it('UpdateTable disabling a stream: the journal append fails after the shards were closed', async () => {
    await noEffect(
      () => failAt(DataDir.prototype, 'append', 1),
      () =>
        clients.dynamodb.send(
          new UpdateTableCommand({ TableName: 'audit', StreamSpecification: { StreamEnabled: false } }),
        ),
    );
  });

  it('UpdateTimeToLive: the journal append fails after TTL was turned off', async () => {
    // Past the hour in which DynamoDB refuses a second TTL change (test/integration/emulator/ttl.test.ts).
    clock.advance(60 * 60 * 1000);
    await noEffect(
      () => failAt(DataDir.prototype, 'append', 1),
      () =>
        clients.dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: 'orders',
            TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
          }),
        ),
    );
  });

  it('the TTL sweep: the second expired item fails, and a later sweep still deletes all three', async () => {
    clock.advance(120_000);
    const before = await observe(clients, dataDir);
    const injected = failAt(Table.prototype, 'write', 2);
    try {
      expect(() => clients.running.emulator.sweepTtl()).toThrow(/injected failure/);
    } finally {
      injected.restore();
    }
    expect(injected.hit()).toBe(true);
    expect(await observe(clients, dataDir)).toEqual(before);
    // The expired entries the failed sweep took from the TTL index were put back.
    expect(clients.running.emulator.sweepTtl()).toBe(expiring.length);
  });

  it('TagResource and UntagResource: the journal append fails after the tags changed', async () => {
    await noEffect(
      () => failAt(DataDir.prototype, 'append', 1),
      () =>
        clients.dynamodb.send(
          new TagResourceCommand({ ResourceArn: ordersArn, Tags: [{ Key: 'stage', Value: 'test' }] }),
        ),
    );
    await noEffect(
      () => failAt(DataDir.prototype, 'append', 1),
      () => clients.dynamodb.send(new UntagResourceCommand({ ResourceArn: ordersArn, TagKeys: ['team'] })),
    );
  });

  it('CreateTable with a stream: the journal append fails after the table and its stream exist', async () => {
    await noEffect(
      () => failAt(DataDir.prototype, 'append', 1),
      () =>
        clients.dynamodb.send(
          new CreateTableCommand({
            TableName: 'another',
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
          }),
        ),
    );
  });

  it('DeleteTable: the journal append fails after the table left and its stream was disabled', async () => {
    // The first of two tables: putting it back must not move it after the other in ListTables.
    await noEffect(
      () => failAt(DataDir.prototype, 'append', 1),
      () => clients.dynamodb.send(new DeleteTableCommand({ TableName: 'audit' })),
    );
  });

  it('an item nested 5,000 levels is answered with an error and changes nothing, whichever layer refuses it', async () => {
    // Sent as raw JSON: the SDK's own serializer may not recurse that deep. AWS caps nesting at 32 levels
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
    const depth = 5000;
    const body = `{"TableName":"orders","Item":{"pk":{"S":"deep"},"status":{"S":"open"},"v":${'{"L":['.repeat(depth)}{"S":"x"}${']}'.repeat(depth)}}}`;
    const before = await observe(clients, dataDir);
    const response = await fetch(clients.running.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.PutItem',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body,
    });
    expect([400, 500]).toContain(response.status);
    expect(await observe(clients, dataDir)).toEqual(before);
  });

  it('a restart rebuilds exactly the state the failed requests left', async () => {
    const before = await observe(clients, dataDir);
    clients.dynamodb.destroy();
    clients.streams.destroy();
    await clients.running.close();
    clients = await startAt(dataDir, clock);
    expect(acrossRestart(await observe(clients, dataDir))).toEqual(acrossRestart(before));
  });
});

describe('a write answered 500 and a conditional write after it (the journal replay that failed, issue 10)', () => {
  it('starts again from the data dir with the state the answers described', async () => {
    const clock = new ManualClock(START);
    const dataDir = await mkdtemp(join(tmpdir(), 'eddy-atomic-'));
    folders.push(dataDir);
    let clients: Clients = await startAt(dataDir, clock);
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: 'items',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    // Building the record of a deeply nested item overflowed the stack after the item was stored.
    const injected = failAt(
      Stream.prototype,
      'prepare',
      1,
      new RangeError('Maximum call stack size exceeded'),
    );
    try {
      const error = await awsError(
        clients.dynamodb.send(new PutItemCommand({ TableName: 'items', Item: { pk: s('x'), v: s('deep') } })),
      );
      expect(error.name).toBe('InternalServerError');
    } finally {
      injected.restore();
    }
    // The item does not exist, so a write conditional on its absence succeeds.
    await clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: 'items',
        Key: { pk: s('x') },
        UpdateExpression: 'SET v = :v',
        ConditionExpression: 'attribute_not_exists(pk)',
        ExpressionAttributeValues: { ':v': s('ordinary') },
      }),
    );
    const before = await observe(clients, dataDir);
    clients.dynamodb.destroy();
    clients.streams.destroy();
    await clients.running.close();
    clients = await startAt(dataDir, clock);
    try {
      const after = await observe(clients, dataDir);
      expect(acrossRestart(after)).toEqual(acrossRestart(before));
      expect(after.tables).toMatchObject([{ items: [{ pk: s('x'), v: s('ordinary') }] }]);
      expect(after.streams).toMatchObject([{ records: [{ eventName: 'INSERT' }] }]);
    } finally {
      clients.dynamodb.destroy();
      clients.streams.destroy();
      await clients.running.close();
    }
  });
});
