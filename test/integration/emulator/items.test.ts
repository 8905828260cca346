import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
  await h.dynamodb.send(
    new CreateTableCommand({
      TableName: 'things',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
});
afterAll(() => h.close());

const key = (pk: string, sk: number) => ({ pk: { S: pk }, sk: { N: String(sk) } });

describe('tables', () => {
  it('describes a table as DynamoDB does', async () => {
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'things' }));
    expect(Table).toMatchObject({
      TableName: 'things',
      TableStatus: 'ACTIVE',
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/things',
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    expect(Table?.CreationDateTime).toBeInstanceOf(Date);
  });

  it('lists tables and refuses a duplicate', async () => {
    expect((await h.dynamodb.send(new ListTablesCommand({}))).TableNames).toContain('things');
    await expect(
      h.dynamodb.send(
        new CreateTableCommand({
          TableName: 'things',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceInUseException);
  });

  it('answers a missing table with ResourceNotFoundException', async () => {
    await expect(h.dynamodb.send(new DescribeTableCommand({ TableName: 'nope' }))).rejects.toThrow(
      'Requested resource not found: Table: nope not found',
    );
    await expect(
      h.dynamodb.send(new GetItemCommand({ TableName: 'nope', Key: key('a', 1) })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('deletes a table', async () => {
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'doomed',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const { TableDescription } = await h.dynamodb.send(new DeleteTableCommand({ TableName: 'doomed' }));
    expect(TableDescription?.TableStatus).toBe('DELETING');
    expect((await h.dynamodb.send(new ListTablesCommand({}))).TableNames).not.toContain('doomed');
  });
});

describe('items', () => {
  it('puts, gets and deletes an item, with numbers in canonical form', async () => {
    await h.dynamodb.send(
      new PutItemCommand({ TableName: 'things', Item: { ...key('a', 1), price: { N: '1.50' } } }),
    );
    const { Item } = await h.dynamodb.send(new GetItemCommand({ TableName: 'things', Key: key('a', 1) }));
    expect(Item).toEqual({ ...key('a', 1), price: { N: '1.5' } });
    const { Attributes } = await h.dynamodb.send(
      new DeleteItemCommand({ TableName: 'things', Key: key('a', 1), ReturnValues: 'ALL_OLD' }),
    );
    expect(Attributes).toEqual(Item);
    expect(
      (await h.dynamodb.send(new GetItemCommand({ TableName: 'things', Key: key('a', 1) }))).Item,
    ).toBeUndefined();
  });

  it('updates with SET and REMOVE and returns what was asked', async () => {
    await h.dynamodb.send(
      new PutItemCommand({
        TableName: 'things',
        Item: { ...key('u', 1), count: { N: '1' }, note: { S: 'x' } },
      }),
    );
    const { Attributes } = await h.dynamodb.send(
      new UpdateItemCommand({
        TableName: 'things',
        Key: key('u', 1),
        UpdateExpression: 'SET #c = #c + :one, tags = :tags REMOVE note',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':tags': { SS: ['a', 'b'] } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(Attributes).toEqual({ ...key('u', 1), count: { N: '2' }, tags: { SS: ['a', 'b'] } });
  });

  it('creates an item with UpdateItem when none exists', async () => {
    await h.dynamodb.send(
      new UpdateItemCommand({
        TableName: 'things',
        Key: key('new', 1),
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { BOOL: true } },
      }),
    );
    const { Item } = await h.dynamodb.send(new GetItemCommand({ TableName: 'things', Key: key('new', 1) }));
    expect(Item).toEqual({ ...key('new', 1), v: { BOOL: true } });
  });

  it('fails a condition with ConditionalCheckFailedException and can return the item', async () => {
    await h.dynamodb.send(
      new PutItemCommand({ TableName: 'things', Item: { ...key('c', 1), v: { N: '1' } } }),
    );
    const attempt = h.dynamodb.send(
      new PutItemCommand({
        TableName: 'things',
        Item: { ...key('c', 1), v: { N: '2' } },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect((error as ConditionalCheckFailedException).Item).toEqual({ ...key('c', 1), v: { N: '1' } });
  });

  it('refuses to update a key attribute', async () => {
    await expect(
      h.dynamodb.send(
        new UpdateItemCommand({
          TableName: 'things',
          Key: key('k', 1),
          UpdateExpression: 'SET pk = :v',
          ExpressionAttributeValues: { ':v': { S: 'z' } },
        }),
      ),
    ).rejects.toThrow(
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
  });

  it.each([
    [{ pk: { S: 'a' } }, 'The provided key element does not match the schema'],
    [{ pk: { N: '1' }, sk: { N: '1' } }, 'The provided key element does not match the schema'],
    [{ ...key('a', 1), extra: { S: 'x' } }, 'The provided key element does not match the schema'],
  ])('refuses a key that does not match the schema: %j', async (badKey, message) => {
    await expect(h.dynamodb.send(new GetItemCommand({ TableName: 'things', Key: badKey }))).rejects.toThrow(
      message,
    );
  });

  it('refuses an item without its key', async () => {
    await expect(
      h.dynamodb.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'a' } } })),
    ).rejects.toThrow('One or more parameter values were invalid: Missing the key sk in the item');
  });

  it('refuses empty and duplicate sets', async () => {
    await expect(
      h.dynamodb.send(new PutItemCommand({ TableName: 'things', Item: { ...key('s', 1), s: { SS: [] } } })),
    ).rejects.toThrow('One or more parameter values were invalid: An string set  may not be empty');
    await expect(
      h.dynamodb.send(
        new PutItemCommand({ TableName: 'things', Item: { ...key('s', 1), s: { SS: ['a', 'a'] } } }),
      ),
    ).rejects.toThrow(
      'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
    );
  });

  it('keeps attribute names such as __proto__ and constructor as plain data', async () => {
    // Raw HTTP: the point is what the emulator stores and sends, not how a client parses it.
    const call = (target: string, body: string) =>
      fetch(h.running.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `DynamoDB_20120810.${target}`,
        },
        body,
      }).then((r) => r.text());
    const item = '{"pk":{"S":"proto"},"sk":{"N":"1"},"__proto__":{"S":"p"},"constructor":{"S":"c"}}';
    await call('PutItem', `{"TableName":"things","Item":${item}}`);
    const text = await call('GetItem', '{"TableName":"things","Key":{"pk":{"S":"proto"},"sk":{"N":"1"}}}');
    expect(text).toContain('"__proto__":{"S":"p"}');
    expect(text).toContain('"constructor":{"S":"c"}');
  });
});
