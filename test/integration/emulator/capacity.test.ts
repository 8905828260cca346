import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAwsError } from '../../helpers/awsError.js';
import { createTable } from '../../helpers/createTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
  await createTable(h.dynamodb, 'plain', { pk: 'S' });
  await createTable(
    h.dynamodb,
    'indexed',
    { pk: 'S', sk: 'S' },
    {
      local: { byLsiKey: { key: { pk: 'S', lsiKey: 'S' }, projection: { ProjectionType: 'ALL' } } },
      global: { byGsiKey: { key: { gsiKey: 'S' }, projection: { ProjectionType: 'KEYS_ONLY' } } },
    },
  );
});
afterAll(() => h.close());

/**
 * An item of exactly `bytes` bytes as DynamoDB sizes items: `pk` (2 + key length) and `b` (1 + its length).
 */
const sized = (pk: string, bytes: number): Record<string, AttributeValue> => ({
  pk: { S: pk },
  b: { S: 'x'.repeat(bytes - 2 - pk.length - 1) },
});
const plainKey = (pk: string) => ({ pk: { S: pk } });
const indexedKey = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });

describe('single-item operations', () => {
  it('charges a write 1 WCU per KB of the larger of the old and new item', async () => {
    const put = (item: Record<string, AttributeValue>) =>
      h.dynamodb.send(
        new PutItemCommand({ TableName: 'plain', Item: item, ReturnConsumedCapacity: 'TOTAL' }),
      );
    expect((await put(sized('w', 1024))).ConsumedCapacity).toEqual({
      TableName: 'plain',
      CapacityUnits: 1,
      WriteCapacityUnits: 1,
    });
    expect((await put(sized('w', 1025))).ConsumedCapacity?.CapacityUnits).toBe(2);
    // Replacing a 1025-byte item with a small one still costs the old item's size.
    expect((await put(sized('w', 10))).ConsumedCapacity?.CapacityUnits).toBe(2);
    expect((await put(sized('w', 3000))).ConsumedCapacity?.CapacityUnits).toBe(3);
    const update = await h.dynamodb.send(
      new UpdateItemCommand({
        TableName: 'plain',
        Key: plainKey('w'),
        UpdateExpression: 'REMOVE b',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(update.ConsumedCapacity?.CapacityUnits).toBe(3);
    const remove = await h.dynamodb.send(
      new DeleteItemCommand({ TableName: 'plain', Key: plainKey('w'), ReturnConsumedCapacity: 'INDEXES' }),
    );
    expect(remove.ConsumedCapacity).toEqual({
      TableName: 'plain',
      CapacityUnits: 1,
      WriteCapacityUnits: 1,
      Table: { CapacityUnits: 1, WriteCapacityUnits: 1 },
    });
    const absent = await h.dynamodb.send(
      new DeleteItemCommand({ TableName: 'plain', Key: plainKey('w'), ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(absent.ConsumedCapacity?.CapacityUnits).toBe(1);
  });

  it('charges a read 1 RCU per 4 KB, half when eventually consistent, the minimum for a missing item', async () => {
    await h.dynamodb.send(new PutItemCommand({ TableName: 'plain', Item: sized('r', 4097) }));
    const read = async (pk: string, consistent: boolean) =>
      (
        await h.dynamodb.send(
          new GetItemCommand({
            TableName: 'plain',
            Key: plainKey(pk),
            ConsistentRead: consistent,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        )
      ).ConsumedCapacity;
    expect(await read('r', true)).toEqual({ TableName: 'plain', CapacityUnits: 2, ReadCapacityUnits: 2 });
    expect((await read('r', false))?.CapacityUnits).toBe(1);
    expect((await read('missing', true))?.CapacityUnits).toBe(1);
    expect((await read('missing', false))?.CapacityUnits).toBe(0.5);
  });

  it('returns no ConsumedCapacity for NONE or by default', async () => {
    const none = await h.dynamodb.send(
      new PutItemCommand({ TableName: 'plain', Item: plainKey('n'), ReturnConsumedCapacity: 'NONE' }),
    );
    expect(none.ConsumedCapacity).toBeUndefined();
    const byDefault = await h.dynamodb.send(new GetItemCommand({ TableName: 'plain', Key: plainKey('n') }));
    expect(byDefault.ConsumedCapacity).toBeUndefined();
  });

  it('refuses an unknown ReturnConsumedCapacity', async () => {
    await expectAwsError(
      h.dynamodb.send(
        new GetItemCommand({
          TableName: 'plain',
          Key: plainKey('n'),
          ReturnConsumedCapacity: 'ALL' as never,
        }),
      ),
      'ValidationException',
      "1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
    );
  });
});

describe('secondary indexes', () => {
  const put = (item: Record<string, AttributeValue>) =>
    h.dynamodb.send(
      new PutItemCommand({ TableName: 'indexed', Item: item, ReturnConsumedCapacity: 'INDEXES' }),
    );
  const base = { ...indexedKey('i', '1'), lsiKey: { S: 'a' }, gsiKey: { S: 'g' } };

  it('charges each index the writes a change makes in it', async () => {
    // A new item enters both indexes.
    expect((await put(base)).ConsumedCapacity).toEqual({
      TableName: 'indexed',
      CapacityUnits: 3,
      WriteCapacityUnits: 3,
      Table: { CapacityUnits: 1, WriteCapacityUnits: 1 },
      LocalSecondaryIndexes: { byLsiKey: { CapacityUnits: 1, WriteCapacityUnits: 1 } },
      GlobalSecondaryIndexes: { byGsiKey: { CapacityUnits: 1, WriteCapacityUnits: 1 } },
    });
    // A changed index key is a delete and a put in that index; the KEYS_ONLY entry of the other is unchanged.
    const moved = await put({ ...base, lsiKey: { S: 'b' } });
    expect(moved.ConsumedCapacity?.CapacityUnits).toBe(3);
    expect(moved.ConsumedCapacity?.LocalSecondaryIndexes).toEqual({
      byLsiKey: { CapacityUnits: 2, WriteCapacityUnits: 2 },
    });
    expect(moved.ConsumedCapacity?.GlobalSecondaryIndexes).toBeUndefined();
    // A non-key attribute reaches the ALL projection only.
    const extra = await put({ ...base, lsiKey: { S: 'b' }, note: { S: 'n' } });
    expect(extra.ConsumedCapacity?.CapacityUnits).toBe(2);
    // An item leaving an index costs one write there.
    const left = await h.dynamodb.send(
      new UpdateItemCommand({
        TableName: 'indexed',
        Key: indexedKey('i', '1'),
        UpdateExpression: 'REMOVE gsiKey',
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(left.ConsumedCapacity?.GlobalSecondaryIndexes).toEqual({
      byGsiKey: { CapacityUnits: 1, WriteCapacityUnits: 1 },
    });
    expect(left.ConsumedCapacity?.CapacityUnits).toBe(3);
    // TOTAL sums the table and its indexes.
    const removed = await h.dynamodb.send(
      new DeleteItemCommand({
        TableName: 'indexed',
        Key: indexedKey('i', '1'),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(removed.ConsumedCapacity).toEqual({
      TableName: 'indexed',
      CapacityUnits: 2,
      WriteCapacityUnits: 2,
    });
  });

  it('reports the item collection of a table with local indexes for ReturnItemCollectionMetrics SIZE', async () => {
    const result = await h.dynamodb.send(
      new PutItemCommand({ TableName: 'indexed', Item: base, ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(result.ItemCollectionMetrics).toEqual({
      ItemCollectionKey: { pk: { S: 'i' } },
      SizeEstimateRangeGB: [0, 1],
    });
    const plain = await h.dynamodb.send(
      new PutItemCommand({ TableName: 'plain', Item: plainKey('m'), ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(plain.ItemCollectionMetrics).toBeUndefined();
    const batch = await h.dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          indexed: [
            { PutRequest: { Item: indexedKey('c1', '1') } },
            { PutRequest: { Item: indexedKey('c1', '2') } },
            { PutRequest: { Item: indexedKey('c2', '1') } },
          ],
          plain: [{ PutRequest: { Item: plainKey('m') } }],
        },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(batch.ItemCollectionMetrics).toEqual({
      indexed: [
        { ItemCollectionKey: { pk: { S: 'c1' } }, SizeEstimateRangeGB: [0, 1] },
        { ItemCollectionKey: { pk: { S: 'c2' } }, SizeEstimateRangeGB: [0, 1] },
      ],
    });
  });
});

describe('batches and transactions', () => {
  it('reports BatchWriteItem per table', async () => {
    const { ConsumedCapacity } = await h.dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          plain: [
            { PutRequest: { Item: sized('bw1', 1025) } },
            { DeleteRequest: { Key: plainKey('bw-absent') } },
          ],
          indexed: [{ PutRequest: { Item: { ...indexedKey('bw', '1'), gsiKey: { S: 'g' } } } }],
        },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(ConsumedCapacity).toEqual([
      {
        TableName: 'plain',
        CapacityUnits: 3,
        WriteCapacityUnits: 3,
        Table: { CapacityUnits: 3, WriteCapacityUnits: 3 },
      },
      {
        TableName: 'indexed',
        CapacityUnits: 2,
        WriteCapacityUnits: 2,
        Table: { CapacityUnits: 1, WriteCapacityUnits: 1 },
        GlobalSecondaryIndexes: { byGsiKey: { CapacityUnits: 1, WriteCapacityUnits: 1 } },
      },
    ]);
  });

  it('reports BatchGetItem per table, each key read apart', async () => {
    await h.dynamodb.send(new PutItemCommand({ TableName: 'plain', Item: sized('bg1', 4097) }));
    await h.dynamodb.send(new PutItemCommand({ TableName: 'plain', Item: sized('bg2', 10) }));
    const { ConsumedCapacity } = await h.dynamodb.send(
      new BatchGetItemCommand({
        RequestItems: {
          plain: { Keys: [plainKey('bg1'), plainKey('bg2'), plainKey('bg-absent')] },
          indexed: { Keys: [indexedKey('bg', '1')], ConsistentRead: true },
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(ConsumedCapacity).toEqual([
      { TableName: 'plain', CapacityUnits: 2, ReadCapacityUnits: 2 },
      { TableName: 'indexed', CapacityUnits: 1, ReadCapacityUnits: 1 },
    ]);
  });

  it('charges transactional writes and reads double, ConditionCheck as a read', async () => {
    await h.dynamodb.send(new PutItemCommand({ TableName: 'plain', Item: sized('tx-check', 5000) }));
    const write = await h.dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'plain', Item: sized('tx-put', 1500) } },
          {
            ConditionCheck: {
              TableName: 'plain',
              Key: plainKey('tx-check'),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          { Put: { TableName: 'indexed', Item: { ...indexedKey('tx', '1'), lsiKey: { S: 'l' } } } },
        ],
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(write.ConsumedCapacity).toEqual([
      {
        TableName: 'plain',
        CapacityUnits: 8,
        ReadCapacityUnits: 4,
        WriteCapacityUnits: 4,
        Table: { CapacityUnits: 8, ReadCapacityUnits: 4, WriteCapacityUnits: 4 },
      },
      {
        TableName: 'indexed',
        CapacityUnits: 4,
        WriteCapacityUnits: 4,
        Table: { CapacityUnits: 2, WriteCapacityUnits: 2 },
        LocalSecondaryIndexes: { byLsiKey: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
      },
    ]);
    const read = await h.dynamodb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'plain', Key: plainKey('tx-check') } },
          { Get: { TableName: 'plain', Key: plainKey('tx-absent') } },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(read.ConsumedCapacity).toEqual([{ TableName: 'plain', CapacityUnits: 6, ReadCapacityUnits: 6 }]);
  });
});

describe('Query and Scan', () => {
  beforeAll(async () => {
    await createTable(
      h.dynamodb,
      'pages',
      { pk: 'S' },
      { global: { byG: { key: { g: 'S' }, projection: { ProjectionType: 'KEYS_ONLY' } } } },
    );
    for (const pk of ['q1', 'q2', 'q3']) {
      await h.dynamodb.send(
        new PutItemCommand({ TableName: 'pages', Item: { ...sized(pk, 2000), g: { S: 'g' } } }),
      );
    }
  });

  it('charges a page by the sum of what it read, rounded up to 4 KB once', async () => {
    // Three items of 2003 bytes (with g): 6009 bytes, two 4 KB units, halved for an eventually consistent read.
    const scan = await h.dynamodb.send(
      new ScanCommand({ TableName: 'pages', ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(scan.ConsumedCapacity).toEqual({ TableName: 'pages', CapacityUnits: 1, ReadCapacityUnits: 1 });
    const consistent = await h.dynamodb.send(
      new QueryCommand({
        TableName: 'pages',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'q1' } },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(consistent.ConsumedCapacity).toEqual({
      TableName: 'pages',
      CapacityUnits: 1,
      ReadCapacityUnits: 1,
    });
  });

  it('charges a read of an index to the index', async () => {
    const { ConsumedCapacity } = await h.dynamodb.send(
      new QueryCommand({
        TableName: 'pages',
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'g' } },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(ConsumedCapacity).toEqual({
      TableName: 'pages',
      CapacityUnits: 0.5,
      ReadCapacityUnits: 0.5,
      Table: { CapacityUnits: 0 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 0.5, ReadCapacityUnits: 0.5 } },
    });
  });
});
