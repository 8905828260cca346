import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, expectAwsError } from '../../helpers/awsError.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { createStreamTable, streamRecords } from '../../helpers/streamRecords.js';

let h: EmulatorHarness;
let ordersStream: string;
let linesStream: string;
beforeAll(async () => {
  h = await startHarness();
  ordersStream = await createStreamTable(h.dynamodb, 'orders');
  linesStream = await createStreamTable(h.dynamodb, 'lines', { sortKey: true });
});
afterAll(() => h.close());

const order = (id: string, extra: Record<string, AttributeValue> = {}) => ({ pk: { S: id }, ...extra });
const line = (id: string, n: number, extra: Record<string, AttributeValue> = {}) => ({
  pk: { S: id },
  sk: { N: String(n) },
  ...extra,
});
const put = (item: Record<string, AttributeValue>): WriteRequest => ({ PutRequest: { Item: item } });
const del = (key: Record<string, AttributeValue>): WriteRequest => ({ DeleteRequest: { Key: key } });
const batchWrite = (requestItems: Record<string, WriteRequest[]>, extra: object = {}) =>
  h.dynamodb.send(new BatchWriteItemCommand({ RequestItems: requestItems, ...extra }));
const get = async (table: string, key: Record<string, AttributeValue>) =>
  (await h.dynamodb.send(new GetItemCommand({ TableName: table, Key: key }))).Item;
const VALIDATION = 'ValidationException';

describe('BatchWriteItem', () => {
  it('puts and deletes in several tables, one stream record per changed item', async () => {
    await h.dynamodb.send(
      new PutItemCommand({ TableName: 'orders', Item: order('w-old', { v: { N: '1' } }) }),
    );
    await h.dynamodb.send(
      new PutItemCommand({ TableName: 'orders', Item: order('w-same', { v: { N: '1' } }) }),
    );
    const before = (await streamRecords(h.streams, ordersStream)).length;
    const linesBefore = (await streamRecords(h.streams, linesStream)).length;

    const result = await batchWrite({
      orders: [
        put(order('w-new', { v: { N: '2' } })),
        del(order('w-old')),
        del(order('w-absent')),
        put(order('w-same', { v: { N: '1' } })),
      ],
      lines: [put(line('w-new', 1)), put(line('w-new', 2))],
    });

    expect(result.UnprocessedItems).toEqual({});
    expect(result.ConsumedCapacity).toBeUndefined();
    expect(await get('orders', order('w-new'))).toEqual(order('w-new', { v: { N: '2' } }));
    expect(await get('orders', order('w-old'))).toBeUndefined();
    expect(await get('lines', line('w-new', 2))).toEqual(line('w-new', 2));

    const orders = (await streamRecords(h.streams, ordersStream)).slice(before);
    // Deleting an absent item and rewriting an identical one change nothing, so they have no record.
    expect(orders.map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S])).toEqual([
      ['INSERT', 'w-new'],
      ['REMOVE', 'w-old'],
    ]);
    const lines = (await streamRecords(h.streams, linesStream)).slice(linesBefore);
    expect(lines.map((r) => [r.eventName, r.dynamodb?.Keys?.sk?.N])).toEqual([
      ['INSERT', '1'],
      ['INSERT', '2'],
    ]);
  });

  it('accepts a table ARN as a RequestItems key', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders';
    await batchWrite({ [arn]: [put(order('w-arn'))] });
    expect(await get('orders', order('w-arn'))).toEqual(order('w-arn'));
  });

  it('writes nothing when any request is invalid', async () => {
    const before = (await streamRecords(h.streams, ordersStream)).length;
    await expectAwsError(
      batchWrite({ orders: [put(order('w-atomic'))], lines: [put({ pk: { S: 'no-sort-key' } })] }),
      VALIDATION,
      'The provided key element does not match the schema',
    );
    expect(await get('orders', order('w-atomic'))).toBeUndefined();
    expect(await streamRecords(h.streams, ordersStream)).toHaveLength(before);
  });

  it.each<[string, Record<string, unknown>, string | RegExp]>([
    [
      'no RequestItems',
      {},
      "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
    ],
    [
      'empty RequestItems',
      { RequestItems: {} },
      "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'a bad ReturnConsumedCapacity and ReturnItemCollectionMetrics',
      {
        RequestItems: { orders: [put(order('x'))] },
        ReturnConsumedCapacity: 'hi',
        ReturnItemCollectionMetrics: 'hi',
      },
      "2 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]",
    ],
    [
      'a short table name',
      { RequestItems: { ab: [put(order('x'))] } },
      /^1 validation error detected: Value '\{ab=.+\}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+\]$/,
    ],
    [
      'more than 25 requests for one table',
      { RequestItems: { orders: Array.from({ length: 26 }, (_, i) => put(order(`n${i}`))) } },
      /^1 validation error detected: Value '\{orders=\[.+\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/,
    ],
    [
      'an empty list of requests',
      { RequestItems: { orders: [] } },
      "1 validation error detected: Value '{orders=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
    ],
    [
      'more than 25 requests over two tables',
      {
        RequestItems: {
          orders: Array.from({ length: 20 }, (_, i) => put(order(`n${i}`))),
          lines: Array.from({ length: 6 }, (_, i) => put(line('n', i))),
        },
      },
      'Too many items requested for the BatchWriteItem call',
    ],
    [
      'a PutRequest without Item',
      { RequestItems: { orders: [{ PutRequest: {} }] } },
      "1 validation error detected: Value null at 'requestItems.orders.member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a request with neither PutRequest nor DeleteRequest',
      { RequestItems: { orders: [{}] } },
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    ],
    [
      'a request with both PutRequest and DeleteRequest',
      { RequestItems: { orders: [{ ...put(order('x')), ...del(order('x')) }] } },
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    ],
    [
      'a put and a delete of one item',
      { RequestItems: { orders: [put(order('dup')), del(order('dup'))] } },
      'Provided list of item keys contains duplicates',
    ],
    [
      'a key of the wrong type',
      { RequestItems: { lines: [del({ pk: { S: 'x' }, sk: { S: '1' } })] } },
      'The provided key element does not match the schema',
    ],
    [
      'an item over 400 KB',
      { RequestItems: { orders: [put(order('big', { b: { S: 'x'.repeat(400 * 1024) } }))] } },
      'Item size has exceeded the maximum allowed size',
    ],
    [
      'an invalid attribute value',
      { RequestItems: { orders: [put(order('x', { s: { SS: [] } }))] } },
      'One or more parameter values were invalid: An string set  may not be empty',
    ],
  ])('refuses %s', async (_, input, message) => {
    await expectAwsError(h.dynamodb.send(new BatchWriteItemCommand(input as never)), VALIDATION, message);
  });

  it('answers a missing table with ResourceNotFoundException', async () => {
    const error = await awsError(batchWrite({ nowhere: [put(order('x'))] }));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('Requested resource not found');
  });
});

describe('BatchGetItem', () => {
  beforeAll(async () => {
    await batchWrite({
      orders: [put(order('g1', { v: { N: '1' }, w: { S: 'x' } })), put(order('g2', { v: { N: '2' } }))],
      lines: [put(line('g', 1, { v: { S: 'one' } })), put(line('g', 2, { v: { S: 'two' } }))],
    });
  });

  it('reads items from several tables, with projections, leaving out missing ones', async () => {
    const { Responses, UnprocessedKeys } = await h.dynamodb.send(
      new BatchGetItemCommand({
        RequestItems: {
          orders: {
            Keys: [order('g1'), order('g-missing'), order('g2')],
            ProjectionExpression: '#v',
            ExpressionAttributeNames: { '#v': 'v' },
          },
          lines: { Keys: [line('g', 2), line('g', 1)], AttributesToGet: ['sk', 'v'], ConsistentRead: true },
        },
      }),
    );
    expect(UnprocessedKeys).toEqual({});
    expect(Responses?.orders).toEqual([{ v: { N: '1' } }, { v: { N: '2' } }]);
    expect(Responses?.lines).toEqual([
      { sk: { N: '2' }, v: { S: 'two' } },
      { sk: { N: '1' }, v: { S: 'one' } },
    ]);
  });

  it('returns keys past 16 MB of items as UnprocessedKeys, with their table parameters', async () => {
    const big = 'x'.repeat(390 * 1024);
    const keys = Array.from({ length: 45 }, (_, i) => order(`big${i}`));
    for (const key of keys) {
      await h.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { ...key, b: { S: big } } }));
    }
    const first = await h.dynamodb.send(
      new BatchGetItemCommand({ RequestItems: { orders: { Keys: keys, ConsistentRead: true } } }),
    );
    const returned = first.Responses?.orders ?? [];
    const left = first.UnprocessedKeys?.orders;
    expect(returned.length).toBe(42);
    expect(left).toEqual({ Keys: keys.slice(42), ConsistentRead: true });
    const second = await h.dynamodb.send(new BatchGetItemCommand({ RequestItems: first.UnprocessedKeys }));
    expect(second.Responses?.orders?.map((item) => item.pk?.S)).toEqual(['big42', 'big43', 'big44']);
    expect(second.UnprocessedKeys).toEqual({});
  });

  it.each<[string, Record<string, unknown>, string | RegExp]>([
    [
      'no RequestItems',
      {},
      "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
    ],
    [
      'empty RequestItems',
      { RequestItems: {} },
      "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'a table without Keys',
      { RequestItems: { orders: {} } },
      "1 validation error detected: Value null at 'requestItems.orders.member.keys' failed to satisfy constraint: Member must not be null",
    ],
    // Live AWS words the Keys limits in its newer validation framework (recorded from live
    // DynamoDB; dynalite and DynamoDB Local give older answers): the member as the API names it, no echo of the keys.
    [
      'an empty list of keys',
      { RequestItems: { orders: { Keys: [] } } },
      "1 validation error detected: Value at 'RequestItems.orders.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'more than 100 keys for one table',
      { RequestItems: { orders: { Keys: Array.from({ length: 101 }, (_, i) => order(`k${i}`)) } } },
      "1 validation error detected: Value at 'RequestItems.orders.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100",
    ],
    [
      'more than 100 keys over two tables',
      {
        RequestItems: {
          orders: { Keys: Array.from({ length: 60 }, (_, i) => order(`k${i}`)) },
          lines: { Keys: Array.from({ length: 41 }, (_, i) => line('k', i)) },
        },
      },
      'Too many items requested for the BatchGetItem call',
    ],
    [
      'a bad ReturnConsumedCapacity',
      { RequestItems: { orders: { Keys: [order('g1')] } }, ReturnConsumedCapacity: 'hi' },
      "1 validation error detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
    ],
    [
      'one key twice',
      { RequestItems: { orders: { Keys: [order('g1'), order('g2'), order('g1')] } } },
      'Provided list of item keys contains duplicates',
    ],
    [
      'AttributesToGet with a ProjectionExpression',
      {
        RequestItems: { orders: { Keys: [order('g1')], AttributesToGet: ['v'], ProjectionExpression: 'v' } },
      },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    ],
    [
      'a name twice in AttributesToGet',
      { RequestItems: { orders: { Keys: [order('g1')], AttributesToGet: ['v', 'v'] } } },
      'One or more parameter values were invalid: Duplicate value in attribute name: v',
    ],
    [
      'ExpressionAttributeNames without an expression',
      { RequestItems: { orders: { Keys: [order('g1')], ExpressionAttributeNames: { '#v': 'v' } } } },
      'ExpressionAttributeNames can only be specified when using expressions',
    ],
    [
      'a key that does not match the schema',
      { RequestItems: { lines: { Keys: [{ pk: { S: 'g' } }] } } },
      'The provided key element does not match the schema',
    ],
  ])('refuses %s', async (_, input, message) => {
    await expectAwsError(h.dynamodb.send(new BatchGetItemCommand(input as never)), VALIDATION, message);
  });

  it('answers a missing table with ResourceNotFoundException', async () => {
    const error = await awsError(
      h.dynamodb.send(new BatchGetItemCommand({ RequestItems: { nowhere: { Keys: [order('x')] } } })),
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('Requested resource not found');
  });
});
