import {
  type AttributeValue,
  GetItemCommand,
  IdempotentParameterMismatchException,
  PutItemCommand,
  ResourceNotFoundException,
  TransactGetItemsCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/time/clock.js';
import { awsError, expectAwsError } from '../../helpers/awsError.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { createStreamTable, streamRecords } from '../../helpers/streamRecords.js';

const clock = new ManualClock();
let h: EmulatorHarness;
let accountsStream: string;
let ledgerStream: string;
beforeAll(async () => {
  h = await startHarness({ clock });
  accountsStream = await createStreamTable(h.dynamodb, 'accounts');
  ledgerStream = await createStreamTable(h.dynamodb, 'ledger', { sortKey: true });
});
afterAll(() => h.close());

const account = (id: string, extra: Record<string, AttributeValue> = {}) => ({ pk: { S: id }, ...extra });
const entry = (id: string, n: number) => ({ pk: { S: id }, sk: { N: String(n) } });
const transact = (items: TransactWriteItem[], extra: object = {}) =>
  h.dynamodb.send(new TransactWriteItemsCommand({ TransactItems: items, ...extra }));
const get = async (table: string, key: Record<string, AttributeValue>) =>
  (await h.dynamodb.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
const putItem = (table: string, item: Record<string, AttributeValue>) =>
  h.dynamodb.send(new PutItemCommand({ TableName: table, Item: item }));
const recordCount = async (streamArn: string) => (await streamRecords(h.streams, streamArn)).length;
const VALIDATION = 'ValidationException';

describe('TransactWriteItems', () => {
  it('applies Put, Update, Delete and ConditionCheck across tables, one stream record per changed item', async () => {
    await putItem('accounts', account('t-alice', { balance: { N: '100' } }));
    await putItem('accounts', account('t-bob', { balance: { N: '5' } }));
    await putItem('accounts', account('t-closed'));
    const before = await recordCount(accountsStream);
    const ledgerBefore = await recordCount(ledgerStream);

    const result = await transact([
      {
        Update: {
          TableName: 'accounts',
          Key: account('t-alice'),
          UpdateExpression: 'SET balance = balance - :amount',
          ConditionExpression: 'balance >= :amount',
          ExpressionAttributeValues: { ':amount': { N: '30' } },
        },
      },
      {
        Update: {
          TableName: 'accounts',
          Key: account('t-bob'),
          UpdateExpression: 'SET balance = balance + :amount',
          ExpressionAttributeValues: { ':amount': { N: '30' } },
        },
      },
      { Put: { TableName: 'ledger', Item: { ...entry('t-alice', 1), amount: { N: '-30' } } } },
      { Delete: { TableName: 'accounts', Key: account('t-closed') } },
      {
        ConditionCheck: {
          TableName: 'accounts',
          Key: account('t-nobody'),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);

    expect(result.ConsumedCapacity).toBeUndefined();
    expect(await get('accounts', account('t-alice'))).toEqual(account('t-alice', { balance: { N: '70' } }));
    expect(await get('accounts', account('t-bob'))).toEqual(account('t-bob', { balance: { N: '35' } }));
    expect(await get('accounts', account('t-closed'))).toBeUndefined();
    expect(await get('ledger', entry('t-alice', 1))).toEqual({
      ...entry('t-alice', 1),
      amount: { N: '-30' },
    });
    const accounts = (await streamRecords(h.streams, accountsStream)).slice(before);
    expect(accounts.map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S])).toEqual([
      ['MODIFY', 't-alice'],
      ['MODIFY', 't-bob'],
      ['REMOVE', 't-closed'],
    ]);
    expect(await recordCount(ledgerStream)).toBe(ledgerBefore + 1);
  });

  it('cancels everything when a condition fails, with a reason per action in order', async () => {
    await putItem('accounts', account('c-alice', { balance: { N: '10' } }));
    const before = await recordCount(accountsStream);
    const ledgerBefore = await recordCount(ledgerStream);

    const error = await awsError(
      transact([
        { Put: { TableName: 'ledger', Item: entry('c-alice', 1) } },
        {
          Update: {
            TableName: 'accounts',
            Key: account('c-alice'),
            UpdateExpression: 'SET balance = balance - :amount',
            ConditionExpression: 'balance >= :amount',
            ExpressionAttributeValues: { ':amount': { N: '30' } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          ConditionCheck: {
            TableName: 'accounts',
            Key: account('c-missing'),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ]),
    );

    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    expect((error as unknown as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: account('c-alice', { balance: { N: '10' } }),
      },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await get('ledger', entry('c-alice', 1))).toBeUndefined();
    expect(await recordCount(accountsStream)).toBe(before);
    expect(await recordCount(ledgerStream)).toBe(ledgerBefore);
  });

  it('cancels with ValidationError reasons for faults that depend on the stored item', async () => {
    await putItem('accounts', account('v-alice', { balance: { S: 'not a number' } }));
    const before = await recordCount(accountsStream);
    const error = await awsError(
      transact([
        {
          Update: {
            TableName: 'accounts',
            Key: account('v-alice'),
            UpdateExpression: 'SET balance = balance + :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
        {
          Update: {
            TableName: 'accounts',
            Key: account('v-bob'),
            UpdateExpression: 'SET pk = :id',
            ExpressionAttributeValues: { ':id': { S: 'x' } },
          },
        },
        { Put: { TableName: 'accounts', Item: account('v-carol') } },
      ]),
    );
    expect(error.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, ValidationError, None]',
    );
    expect((error as unknown as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: 'ValidationError', Message: 'An operand in the update expression has an incorrect data type' },
      {
        Code: 'ValidationError',
        Message:
          'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
      },
      { Code: 'None' },
    ]);
    expect(await get('accounts', account('v-carol'))).toBeUndefined();
    expect(await recordCount(accountsStream)).toBe(before);
  });

  it('accepts a table ARN as TableName', async () => {
    await transact([
      {
        Put: {
          TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/accounts',
          Item: account('arn-put'),
        },
      },
    ]);
    expect(await get('accounts', account('arn-put'))).toEqual(account('arn-put'));
  });

  describe('ClientRequestToken', () => {
    const increment = (by: string): TransactWriteItem[] => [
      {
        Update: {
          TableName: 'accounts',
          Key: account('token-counter'),
          UpdateExpression: 'ADD hits :by',
          ExpressionAttributeValues: { ':by': { N: by } },
        },
      },
    ];

    it('answers the same request again without writing again, for 10 minutes', async () => {
      const before = await recordCount(accountsStream);
      await transact(increment('1'), { ClientRequestToken: 'token-1' });
      clock.advance(9 * 60 * 1000);
      const again = await transact(increment('1'), {
        ClientRequestToken: 'token-1',
        ReturnConsumedCapacity: 'TOTAL',
      });
      // A repeated request reports the read of the item, not the writes.
      expect(again.ConsumedCapacity).toEqual([
        { TableName: 'accounts', CapacityUnits: 1, ReadCapacityUnits: 1 },
      ]);
      expect((await get('accounts', account('token-counter')))?.hits).toEqual({ N: '1' });
      expect(await recordCount(accountsStream)).toBe(before + 1);

      clock.advance(2 * 60 * 1000);
      await transact(increment('1'), { ClientRequestToken: 'token-1' });
      expect((await get('accounts', account('token-counter')))?.hits).toEqual({ N: '2' });
      expect(await recordCount(accountsStream)).toBe(before + 2);
    });

    it('refuses another request with a token in use', async () => {
      await transact(increment('1'), { ClientRequestToken: 'token-2' });
      const error = await awsError(transact(increment('5'), { ClientRequestToken: 'token-2' }));
      expect(error).toBeInstanceOf(IdempotentParameterMismatchException);
      expect(error.message).toBe(
        'ClientRequestToken token-2 was used within the last 10 minutes with a different request',
      );
    });

    it('does not remember the token of a cancelled transaction', async () => {
      const guarded: TransactWriteItem[] = [
        {
          Put: {
            TableName: 'accounts',
            Item: account('token-guarded'),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ];
      await expect(transact(guarded, { ClientRequestToken: 'token-3' })).rejects.toBeInstanceOf(
        TransactionCanceledException,
      );
      await putItem('accounts', account('token-guarded', { v: { N: '1' } }));
      await transact(guarded, { ClientRequestToken: 'token-3' });
      expect(await get('accounts', account('token-guarded'))).toEqual(account('token-guarded'));
    });
  });

  const put = (key: string): TransactWriteItem => ({ Put: { TableName: 'accounts', Item: account(key) } });
  it.each<[string, Record<string, unknown>, string | RegExp]>([
    [
      'no TransactItems',
      {},
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    ],
    [
      'an empty TransactItems',
      { TransactItems: [] },
      "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'more than 100 actions',
      { TransactItems: Array.from({ length: 101 }, (_, i) => put(`many${i}`)) },
      /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/,
    ],
    [
      'bad ReturnConsumedCapacity, ReturnItemCollectionMetrics and ClientRequestToken',
      {
        TransactItems: [put('x')],
        ReturnConsumedCapacity: 'hi',
        ReturnItemCollectionMetrics: 'hi',
        ClientRequestToken: '',
      },
      "3 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]; Value '' at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'an item without an action',
      { TransactItems: [{}] },
      'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request',
    ],
    [
      'an item with two actions',
      { TransactItems: [{ ...put('x'), Delete: { TableName: 'accounts', Key: account('x') } }] },
      'TransactItems can only contain one of Check, Put, Update or Delete',
    ],
    [
      'a Put without TableName and Item',
      { TransactItems: [{ Put: {} }] },
      "2 validation errors detected: Value null at 'transactItems.1.member.put.tableName' failed to satisfy constraint: Member must not be null; Value null at 'transactItems.1.member.put.item' failed to satisfy constraint: Member must not be null",
    ],
    [
      'an Update without UpdateExpression',
      { TransactItems: [put('x'), { Update: { TableName: 'accounts', Key: account('y') } }] },
      "1 validation error detected: Value null at 'transactItems.2.member.update.updateExpression' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a ConditionCheck without ConditionExpression',
      { TransactItems: [{ ConditionCheck: { TableName: 'accounts', Key: account('x') } }] },
      "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a bad ReturnValuesOnConditionCheckFailure',
      {
        TransactItems: [
          {
            Put: {
              TableName: 'accounts',
              Item: account('x'),
              ReturnValuesOnConditionCheckFailure: 'ALL_NEW',
            },
          },
        ],
      },
      "1 validation error detected: Value 'ALL_NEW' at 'transactItems.1.member.put.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
    ],
    [
      'two actions on one item',
      { TransactItems: [put('same'), { Delete: { TableName: 'accounts', Key: account('same') } }] },
      'Transaction request cannot include multiple operations on one item',
    ],
    [
      'ExpressionAttributeValues without an expression',
      {
        TransactItems: [
          {
            Put: {
              TableName: 'accounts',
              Item: account('x'),
              ExpressionAttributeValues: { ':v': { S: 'v' } },
            },
          },
        ],
      },
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    ],
    [
      'an item without its key',
      { TransactItems: [{ Put: { TableName: 'ledger', Item: { pk: { S: 'x' } } } }] },
      'The provided key element does not match the schema',
    ],
    // A key of the wrong type cancels the transaction instead (test/integration/emulator/transactionLimits.test.ts).
    [
      'an invalid expression',
      {
        TransactItems: [
          { ConditionCheck: { TableName: 'accounts', Key: account('x'), ConditionExpression: 'a = ' } },
        ],
      },
      /^Invalid ConditionExpression: Syntax error; /,
    ],
  ])('refuses %s', async (_, input, message) => {
    await expectAwsError(h.dynamodb.send(new TransactWriteItemsCommand(input as never)), VALIDATION, message);
  });

  it('answers a missing table with ResourceNotFoundException, writing nothing', async () => {
    const error = await awsError(
      transact([put('rnf'), { Put: { TableName: 'nowhere', Item: account('x') } }]),
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('Requested resource not found');
    expect(await get('accounts', account('rnf'))).toBeUndefined();
  });
});

describe('TransactGetItems', () => {
  beforeAll(async () => {
    await putItem('accounts', account('g-alice', { balance: { N: '1' }, name: { S: 'Alice' } }));
    await putItem('ledger', { ...entry('g-alice', 1), amount: { N: '1' } });
  });

  it('reads items of several tables in request order, {} for a missing one', async () => {
    const { Responses } = await h.dynamodb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'ledger', Key: entry('g-alice', 1) } },
          { Get: { TableName: 'accounts', Key: account('g-nobody') } },
          {
            Get: {
              TableName: 'accounts',
              Key: account('g-alice'),
              ProjectionExpression: '#n',
              ExpressionAttributeNames: { '#n': 'name' },
            },
          },
        ],
      }),
    );
    expect(Responses).toEqual([
      { Item: { ...entry('g-alice', 1), amount: { N: '1' } } },
      {},
      { Item: { name: { S: 'Alice' } } },
    ]);
  });

  const getOf = (key: string) => ({ Get: { TableName: 'accounts', Key: account(key) } });
  it.each<[string, Record<string, unknown>, string | RegExp]>([
    [
      'an empty TransactItems',
      { TransactItems: [] },
      "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'more than 100 Gets',
      { TransactItems: Array.from({ length: 101 }, (_, i) => getOf(`g${i}`)) },
      /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/,
    ],
    [
      'an item without Get',
      { TransactItems: [getOf('a'), {}] },
      "1 validation error detected: Value null at 'transactItems.2.member.get' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a Get without TableName and Key',
      { TransactItems: [{ Get: {} }] },
      "2 validation errors detected: Value null at 'transactItems.1.member.get.tableName' failed to satisfy constraint: Member must not be null; Value null at 'transactItems.1.member.get.key' failed to satisfy constraint: Member must not be null",
    ],
    [
      'two Gets of one item',
      { TransactItems: [getOf('same'), getOf('same')] },
      'Transaction request cannot include multiple operations on one item',
    ],
    [
      'ExpressionAttributeNames without a projection',
      {
        TransactItems: [
          { Get: { TableName: 'accounts', Key: account('a'), ExpressionAttributeNames: { '#a': 'a' } } },
        ],
      },
      'ExpressionAttributeNames can only be specified when using expressions',
    ],
    [
      'an empty key value, even after a Get whose key does not match the schema',
      {
        TransactItems: [
          { Get: { TableName: 'ledger', Key: { pk: { S: 'x' } } } },
          { Get: { TableName: 'accounts', Key: account('') } },
        ],
      },
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    ],
    [
      'a partition key value over 2048 bytes',
      { TransactItems: [getOf('k'.repeat(2049))] },
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    ],
  ])('refuses %s', async (_, input, message) => {
    await expectAwsError(h.dynamodb.send(new TransactGetItemsCommand(input as never)), VALIDATION, message);
  });

  // Undocumented, as live DynamoDB answers: a Get whose
  // key does not match the schema cancels the transaction instead of failing the request.
  it.each<[string, Record<string, AttributeValue>]>([
    ['without its sort key', { pk: { S: 'x' } }],
    ['with no attributes', {}],
    ['with a mistyped attribute', { pk: { S: 'x' }, sk: { S: '1' } }],
    ['with another attribute', { pk: { S: 'x' }, other: { N: '1' } }],
  ])('cancels a Get whose key is %s, with a ValidationError reason', async (_, key) => {
    const error = await awsError(
      h.dynamodb.send(
        new TransactGetItemsCommand({
          TransactItems: [getOf('a'), { Get: { TableName: 'ledger', Key: key } }],
        }),
      ),
    );
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]',
    );
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
    ]);
  });

  it('answers a missing table with ResourceNotFoundException', async () => {
    const error = await awsError(
      h.dynamodb.send(
        new TransactGetItemsCommand({
          TransactItems: [{ Get: { TableName: 'nowhere', Key: account('x') } }],
        }),
      ),
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('Requested resource not found');
  });
});
