import {
  type AttributeValue,
  ExecuteTransactionCommand,
  GetItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, expectAwsError } from '../../helpers/awsError.js';
import { createTable } from '../../helpers/createTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { createStreamTable, streamRecords } from '../../helpers/streamRecords.js';

/*
 * TransactWriteItems' and ExecuteTransaction's limits
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html: up to 100 actions,
 * no two on one item, 4 MB of items) and where a fault is reported: as the whole request's ValidationException,
 * or as one action's ValidationError among CancellationReasons. Where the docs are silent the expected answers
 * are the ones live DynamoDB gives.
 */

let h: EmulatorHarness;
let stream: string;
beforeAll(async () => {
  h = await startHarness();
  stream = await createStreamTable(h.dynamodb, TABLE);
  await createTable(h.dynamodb, BINARY, { pk: 'B' });
});
afterAll(() => h.close());

const TABLE = 'tx-limits';
const BINARY = 'tx-limits-binary';
const VALIDATION = 'ValidationException';
const key = (id: string): Record<string, AttributeValue> => ({ pk: { S: id } });
const put = (id: string, extra: Record<string, AttributeValue> = {}): TransactWriteItem => ({
  Put: { TableName: TABLE, Item: { ...key(id), ...extra } },
});
const transact = (items: TransactWriteItem[]) =>
  h.dynamodb.send(new TransactWriteItemsCommand({ TransactItems: items }));
const get = async (id: string) =>
  (await h.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: key(id), ConsistentRead: true }))).Item;
const recordCount = async () => (await streamRecords(h.streams, stream)).length;

/** The cancellation a request got: its message and its reasons (Code and Message). */
const cancellation = async (request: Promise<unknown>) => {
  const error = await awsError(request);
  expect(error).toBeInstanceOf(TransactionCanceledException);
  const reasons = ((error as unknown as TransactionCanceledException).CancellationReasons ?? []).map(
    ({ Code, Message }) => ({ Code, ...(Message === undefined ? {} : { Message }) }),
  );
  return { message: error.message, reasons };
};

const cancelledMessage = (codes: readonly string[]) =>
  `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`;

describe('TransactWriteItems size limits', () => {
  it('takes 100 actions and refuses 101 with the member constraint, writing nothing', async () => {
    await transact(Array.from({ length: 100 }, (_, i) => put(`hundred-${i}`)));
    expect(await get('hundred-99')).toBeDefined();
    const before = await recordCount();
    await expectAwsError(
      transact(Array.from({ length: 101 }, (_, i) => put(`over-${i}`))),
      VALIDATION,
      /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
    );
    expect(await get('over-0')).toBeUndefined();
    expect(await recordCount()).toBe(before);
  });

  it('refuses two actions on one item, whatever the actions', async () => {
    const message = 'Transaction request cannot include multiple operations on one item';
    await expectAwsError(transact([put('twice'), put('twice')]), VALIDATION, message);
    await expectAwsError(
      transact([put('twice'), { Delete: { TableName: TABLE, Key: key('twice') } }]),
      VALIDATION,
      message,
    );
    expect(await get('twice')).toBeUndefined();
  });

  it("refuses more than 4 MB of items (wording undocumented; DynamoDB Local's), and takes just under", async () => {
    const big = (id: string) => put(id, { a: { S: 'x'.repeat(390_000) } });
    const before = await recordCount();
    // 11 items of 390 007 or 390 008 bytes (name and value of pk and a) are 4 290 078 bytes, over 4 MiB.
    await expectAwsError(
      transact(Array.from({ length: 11 }, (_, i) => big(`agg${i}`))),
      VALIDATION,
      'Transaction payload size cannot exceed 4MB. Payload Size: 4290078',
    );
    expect(await get('agg0')).toBeUndefined();
    expect(await recordCount()).toBe(before);
    await transact(Array.from({ length: 10 }, (_, i) => big(`agg${i}`)));
    expect(await get('agg9')).toBeDefined();
  });
});

describe('TransactWriteItems validation errors inside CancellationReasons (undocumented)', () => {
  it("a Put whose key has the wrong type cancels with PutItem's message on that action and None on the others", async () => {
    const before = await recordCount();
    const { message, reasons } = await cancellation(
      transact([put('fine-1'), { Put: { TableName: TABLE, Item: { pk: { N: '5' } } } }, put('fine-2')]),
    );
    expect(reasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ValidationError',
        Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
      },
      { Code: 'None' },
    ]);
    expect(message).toBe(cancelledMessage(['None', 'ValidationError', 'None']));
    expect(await get('fine-1')).toBeUndefined();
    expect(await recordCount()).toBe(before);
  });

  it('a Put whose key is not a scalar names its type', async () => {
    const { reasons } = await cancellation(
      transact([{ Put: { TableName: TABLE, Item: { pk: { L: [{ S: 'x' }] } } } }]),
    );
    expect(reasons).toEqual([
      {
        Code: 'ValidationError',
        Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: L',
      },
    ]);
  });

  it.each([
    [
      'Update',
      {
        Update: {
          TableName: TABLE,
          Key: { pk: { N: '5' } },
          UpdateExpression: 'SET a = :v',
          ExpressionAttributeValues: { ':v': { S: 'x' } },
        },
      },
    ],
    ['Delete', { Delete: { TableName: TABLE, Key: { pk: { L: [{ S: 'x' }] } } } }],
    [
      'ConditionCheck',
      {
        ConditionCheck: {
          TableName: TABLE,
          Key: { pk: { N: '5' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ],
  ] as const)(
    'a %s whose Key has the wrong type cancels with the schema-mismatch reason',
    async (_, action) => {
      const { message, reasons } = await cancellation(transact([action as TransactWriteItem]));
      expect(reasons).toEqual([
        { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
      ]);
      expect(message).toBe(cancelledMessage(['ValidationError']));
    },
  );

  it("an empty key value is the whole request's ValidationException, not a cancellation", async () => {
    await expectAwsError(
      transact([put('fine-3'), { Put: { TableName: TABLE, Item: { pk: { S: '' } } } }]),
      VALIDATION,
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    await expectAwsError(
      transact([{ Delete: { TableName: BINARY, Key: { pk: { B: new Uint8Array() } } } }]),
      VALIDATION,
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk',
    );
  });

  it('faults that depend on the stored item are ValidationError reasons too, next to a failed condition', async () => {
    const { message, reasons } = await cancellation(
      transact([
        {
          Update: {
            TableName: TABLE,
            Key: key('missing-n'),
            UpdateExpression: 'SET n = n + :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: key('absent'),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: key('key-update'),
            UpdateExpression: 'SET pk = :v',
            ExpressionAttributeValues: { ':v': { S: 'x' } },
          },
        },
        put('fine-4'),
      ]),
    );
    expect(reasons).toEqual([
      {
        Code: 'ValidationError',
        Message: 'The provided expression refers to an attribute that does not exist in the item',
      },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      {
        Code: 'ValidationError',
        Message:
          'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
      },
      { Code: 'None' },
    ]);
    expect(message).toBe(
      cancelledMessage(['ValidationError', 'ConditionalCheckFailed', 'ValidationError', 'None']),
    );
  });
});

describe('TransactWriteItems validation order (undocumented)', () => {
  const missing = { Put: { TableName: 'tx-limits-nowhere', Item: key('a') } };

  it('reports a malformed condition on a later action ahead of a missing table on an earlier one', async () => {
    await expectAwsError(
      transact([
        missing,
        {
          ConditionCheck: { TableName: TABLE, Key: key('cc'), ConditionExpression: 'attribute_not_exists(' },
        },
      ]),
      VALIDATION,
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("',
    );
  });

  it('reports an unused expression value on a later action ahead of a missing table or a duplicate target', async () => {
    const unused = {
      ConditionCheck: {
        TableName: TABLE,
        Key: key('cc'),
        ConditionExpression: 'attribute_not_exists(pk)',
        ExpressionAttributeValues: { ':v': { S: 'x' } },
      },
    };
    const message = 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}';
    await expectAwsError(transact([missing, unused]), VALIDATION, message);
    await expectAwsError(transact([put('cc'), unused]), VALIDATION, message);
    expect(await get('cc')).toBeUndefined();
  });
});

describe('ExecuteTransaction size limits', () => {
  const insert = (id: string) => ({ Statement: `INSERT INTO "${TABLE}" VALUE {'pk': '${id}'}` });

  it('takes 100 statements and refuses 101 with the member constraint', async () => {
    await h.dynamodb.send(
      new ExecuteTransactionCommand({
        TransactStatements: Array.from({ length: 100 }, (_, i) => insert(`st-${i}`)),
      }),
    );
    expect(await get('st-99')).toBeDefined();
    await expectAwsError(
      h.dynamodb.send(
        new ExecuteTransactionCommand({
          TransactStatements: Array.from({ length: 101 }, (_, i) => insert(`st-over-${i}`)),
        }),
      ),
      VALIDATION,
      /^1 validation error detected: Value '\[.+\]' at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
    );
    expect(await get('st-over-0')).toBeUndefined();
  });

  it('refuses two statements on one item', async () => {
    await expectAwsError(
      h.dynamodb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            insert('st-twice'),
            { Statement: `UPDATE "${TABLE}" SET a = 1 WHERE pk = 'st-twice'` },
          ],
        }),
      ),
      VALIDATION,
      'Transaction request cannot include multiple operations on one item',
    );
  });

  it('cancels with a reason per statement, None for those that would have succeeded', async () => {
    const { message, reasons } = await cancellation(
      h.dynamodb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `UPDATE "${TABLE}" SET a = 1 WHERE pk = 'st-nowhere'` },
            insert('st-fine'),
          ],
        }),
      ),
    );
    expect(reasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
    ]);
    expect(message).toBe(cancelledMessage(['ConditionalCheckFailed', 'None']));
    expect(await get('st-fine')).toBeUndefined();
  });
});
