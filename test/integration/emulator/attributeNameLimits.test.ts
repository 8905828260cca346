import {
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAwsError } from '../../helpers/awsError.js';
import { createTable } from '../../helpers/createTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

/*
 * Attribute name lengths (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes):
 * any attribute name up to 64 KB, the names of key attributes and of attributes projected into an index up to
 * 255. The exact edges (65 535 bytes; 255 bytes for table keys too) are DynamoDB's, measured against
 * the service; the item-name message is the one DynamoDB sends; the key-name message is DynamoDB Local's,
 * AWS's wording being undocumented.
 */

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
  await createTable(h.dynamodb, TABLE, { pk: 'S' });
});
afterAll(() => h.close());

const TABLE = 'name-limits';
const VALIDATION = 'ValidationException';
const NAME_TOO_LARGE =
  '1 validation error detected: Attribute name is too large, must be less than 65536 bytes';
const KEY_NAME =
  'Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive';

const LONGEST = 'a'.repeat(65_535);
const TOO_LONG = 'a'.repeat(65_536);
// 32 768 two-byte characters: 65 536 bytes in 32 768 UTF-16 units.
const TOO_LONG_MULTIBYTE = 'é'.repeat(32_768);
const LONGEST_MULTIBYTE = `${'é'.repeat(32_767)}a`;

const key = (id: string) => ({ pk: { S: id } });
const put = (id: string, extra: Record<string, unknown>) =>
  h.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { ...key(id), ...extra } as never }));
const get = async (id: string) =>
  (await h.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: key(id), ConsistentRead: true }))).Item;

describe('attribute names in items and expressions: at most 65 535 bytes (as DynamoDB answers)', () => {
  it('stores and reads names of exactly 65 535 bytes, ASCII or not', async () => {
    await put('longest', { [LONGEST]: { N: '1' }, m: { M: { [LONGEST_MULTIBYTE]: { S: 'v' } } } });
    expect(await get('longest')).toEqual({
      ...key('longest'),
      [LONGEST]: { N: '1' },
      m: { M: { [LONGEST_MULTIBYTE]: { S: 'v' } } },
    });
    const projected = await h.dynamodb.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: key('longest'),
        ProjectionExpression: '#n',
        ExpressionAttributeNames: { '#n': LONGEST },
      }),
    );
    expect(projected.Item).toEqual({ [LONGEST]: { N: '1' } });
    await h.dynamodb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key('longest'),
        UpdateExpression: 'SET #n = #n + :one',
        ConditionExpression: '#n = :one',
        ExpressionAttributeNames: { '#n': LONGEST },
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    expect((await get('longest'))?.[LONGEST]).toEqual({ N: '2' });
  });

  it.each([
    ['a top-level name of 65 536 bytes', { [TOO_LONG]: { S: 'v' } }],
    ['a top-level name of 65 536 bytes in 32 768 characters', { [TOO_LONG_MULTIBYTE]: { S: 'v' } }],
    ['a map key of 65 536 bytes', { m: { M: { [TOO_LONG]: { S: 'v' } } } }],
    ['a map key of 65 536 bytes inside a list', { l: { L: [{ M: { [TOO_LONG]: { S: 'v' } } }] } }],
  ])('PutItem refuses %s and stores nothing', async (_, extra) => {
    await expectAwsError(put('too-long', extra), VALIDATION, NAME_TOO_LARGE);
    expect(await get('too-long')).toBeUndefined();
  });

  it('BatchWriteItem refuses an item with a name over the limit', async () => {
    await expectAwsError(
      h.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { [TABLE]: [{ PutRequest: { Item: { ...key('batch'), [TOO_LONG]: { S: 'v' } } } }] },
        }),
      ),
      VALIDATION,
      NAME_TOO_LARGE,
    );
  });

  it.each([
    [
      'SET #n = :v with #n over the limit',
      {
        UpdateExpression: 'SET #n = :v',
        ExpressionAttributeNames: { '#n': TOO_LONG },
        ExpressionAttributeValues: { ':v': { S: 'v' } },
      },
    ],
    [
      'SET doc = :v with a map key over the limit in :v',
      {
        UpdateExpression: 'SET doc = :v',
        ExpressionAttributeValues: { ':v': { M: { [TOO_LONG]: { S: 'v' } } } },
      },
    ],
    [
      'a condition naming a name over the limit',
      {
        UpdateExpression: 'SET a = :v',
        ConditionExpression: '#n = :v',
        ExpressionAttributeNames: { '#n': TOO_LONG },
        ExpressionAttributeValues: { ':v': { S: 'v' } },
      },
    ],
    [
      'the legacy AttributeUpdates',
      { AttributeUpdates: { [TOO_LONG]: { Action: 'PUT', Value: { S: 'v' } } } },
    ],
  ])('UpdateItem refuses %s with the same message', async (_, input) => {
    await expectAwsError(
      h.dynamodb.send(
        new UpdateItemCommand({ TableName: TABLE, Key: key('update-too-long'), ...(input as object) }),
      ),
      VALIDATION,
      NAME_TOO_LARGE,
    );
    expect(await get('update-too-long')).toBeUndefined();
  });

  it('GetItem refuses a ProjectionExpression name or a legacy AttributesToGet name over the limit', async () => {
    await expectAwsError(
      h.dynamodb.send(
        new GetItemCommand({
          TableName: TABLE,
          Key: key('x'),
          ProjectionExpression: '#n',
          ExpressionAttributeNames: { '#n': TOO_LONG },
        }),
      ),
      VALIDATION,
      NAME_TOO_LARGE,
    );
    await expectAwsError(
      h.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: key('x'), AttributesToGet: [TOO_LONG] })),
      VALIDATION,
      NAME_TOO_LARGE,
    );
  });
});

describe('key attribute and projected attribute names: at most 255 bytes (as DynamoDB answers)', () => {
  const N255 = 'k'.repeat(255);
  const N256 = 'k'.repeat(256);
  let tables = 0;
  const nextName = () => {
    tables += 1;
    return `key-names-${tables}`;
  };
  const table = (input: Omit<CreateTableCommandInput, 'TableName' | 'BillingMode'>) =>
    h.dynamodb.send(
      new CreateTableCommand({
        TableName: nextName(),
        BillingMode: 'PAY_PER_REQUEST',
        ...input,
      }),
    );
  const hashKey = (name: string) => ({
    KeySchema: [{ AttributeName: name, KeyType: 'HASH' as const }],
    AttributeDefinitions: [{ AttributeName: name, AttributeType: 'S' as const }],
  });

  it('creates tables and indexes keyed on 255-byte names, and writes and reads their items', async () => {
    const name = nextName();
    const sortName = `${'é'.repeat(127)}a`;
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: N255, KeyType: 'HASH' },
          { AttributeName: sortName, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: N255, AttributeType: 'S' },
          { AttributeName: sortName, AttributeType: 'S' },
          { AttributeName: 'g'.repeat(255), AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi',
            KeySchema: [{ AttributeName: 'g'.repeat(255), KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'lsi',
            KeySchema: [
              { AttributeName: N255, KeyType: 'HASH' },
              { AttributeName: 'g'.repeat(255), KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['p'.repeat(255)] },
          },
        ],
      }),
    );
    const item = { [N255]: { S: 'h' }, [sortName]: { S: 's' }, ['g'.repeat(255)]: { S: 'g' } };
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: item }));
    const read = await h.dynamodb.send(
      new GetItemCommand({ TableName: name, Key: { [N255]: { S: 'h' }, [sortName]: { S: 's' } } }),
    );
    expect(read.Item).toEqual(item);
  });

  it.each([
    ['a table partition key', hashKey(N256)],
    ['a table partition key of 128 two-byte characters', hashKey('é'.repeat(128))],
    [
      'a table sort key',
      {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' as const },
          { AttributeName: N256, KeyType: 'RANGE' as const },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' as const },
          { AttributeName: N256, AttributeType: 'S' as const },
        ],
      },
    ],
    [
      'a KeySchema name not in AttributeDefinitions (length comes first)',
      {
        KeySchema: [{ AttributeName: N256, KeyType: 'HASH' as const }],
        AttributeDefinitions: [{ AttributeName: 'short', AttributeType: 'S' as const }],
      },
    ],
    [
      'an AttributeDefinitions name no key uses (length comes first)',
      {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' as const },
          { AttributeName: N256, AttributeType: 'S' as const },
        ],
      },
    ],
    [
      'a global secondary index key',
      {
        ...hashKey('pk'),
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' as const },
          { AttributeName: N256, AttributeType: 'S' as const },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi',
            KeySchema: [{ AttributeName: N256, KeyType: 'HASH' as const }],
            Projection: { ProjectionType: 'ALL' as const },
          },
        ],
      },
    ],
    [
      'a local secondary index sort key',
      {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' as const },
          { AttributeName: 'sk', KeyType: 'RANGE' as const },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' as const },
          { AttributeName: 'sk', AttributeType: 'S' as const },
          { AttributeName: N256, AttributeType: 'S' as const },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'lsi',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' as const },
              { AttributeName: N256, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'ALL' as const },
          },
        ],
      },
    ],
    [
      'an attribute projected into a local secondary index',
      {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' as const },
          { AttributeName: 'sk', KeyType: 'RANGE' as const },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' as const },
          { AttributeName: 'sk', AttributeType: 'S' as const },
          { AttributeName: 'l', AttributeType: 'S' as const },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'lsi',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' as const },
              { AttributeName: 'l', KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [N256] },
          },
        ],
      },
    ],
  ])('CreateTable refuses %s of 256 bytes', async (_, input) => {
    await expectAwsError(table(input), VALIDATION, KEY_NAME);
  });

  it('UpdateTable refuses a new global secondary index keyed on, or projecting, a 256-byte name', async () => {
    await createTable(h.dynamodb, 'key-names-update', { pk: 'S' });
    await expectAwsError(
      h.dynamodb.send(
        new UpdateTableCommand({
          TableName: 'key-names-update',
          AttributeDefinitions: [{ AttributeName: N256, AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'gsi',
                KeySchema: [{ AttributeName: N256, KeyType: 'HASH' }],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      ),
      VALIDATION,
      KEY_NAME,
    );
    await expectAwsError(
      h.dynamodb.send(
        new UpdateTableCommand({
          TableName: 'key-names-update',
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'gsi',
                KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
                Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [N256] },
              },
            },
          ],
        }),
      ),
      VALIDATION,
      KEY_NAME,
    );
  });
});
