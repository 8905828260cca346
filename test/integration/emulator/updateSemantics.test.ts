import {
  type AttributeValue,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError } from '../../helpers/awsError.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { createStreamTable, streamRecords } from '../../helpers/streamRecords.js';

/*
 * UpdateItem semantics DynamoDB does not spell out in its documentation. The expected answers are DynamoDB's, as
 * it answers these requests (undocumented). DynamoDB Local
 * differs from DynamoDB in both (it creates the item, and returns whole top-level attributes).
 */

let h: EmulatorHarness;
let stream: string;
beforeAll(async () => {
  h = await startHarness();
  stream = await createStreamTable(h.dynamodb, 'update-semantics');
});
afterAll(() => h.close());

const TABLE = 'update-semantics';
const key = (id: string) => ({ pk: { S: id } });
const update = (id: string, input: Partial<UpdateItemCommandInput>) =>
  h.dynamodb.send(new UpdateItemCommand({ TableName: TABLE, Key: key(id), ...input }));
const get = async (id: string) =>
  (await h.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: key(id), ConsistentRead: true }))).Item;
const put = (item: Record<string, AttributeValue>) =>
  h.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: item }));
const recordsOf = async (id: string) =>
  (await streamRecords(h.streams, stream)).filter((record) => record.dynamodb?.Keys?.pk?.S === id);

describe('UpdateItem that only removes, on a missing item (AWS behaviour undocumented)', () => {
  it.each([
    ['REMOVE', { UpdateExpression: 'REMOVE a' }],
    [
      'DELETE from a set',
      { UpdateExpression: 'DELETE s :s', ExpressionAttributeValues: { ':s': { SS: ['x'] } } },
    ],
    [
      'REMOVE and DELETE',
      { UpdateExpression: 'REMOVE a, b DELETE s :s', ExpressionAttributeValues: { ':s': { SS: ['x'] } } },
    ],
    ['the legacy DELETE action', { AttributeUpdates: { a: { Action: 'DELETE' } } }],
    [
      'the legacy DELETE action with a value',
      { AttributeUpdates: { a: { Action: 'DELETE', Value: { SS: ['x'] } } } },
    ],
  ] as const)(
    '%s creates no item, returns no Attributes and writes no stream record',
    async (label, input) => {
      const id = `remove-only-${label}`;
      const result = await update(id, {
        ...input,
        ReturnValues: 'ALL_NEW',
      } as Partial<UpdateItemCommandInput>);
      expect(result.Attributes).toBeUndefined();
      expect(await get(id)).toBeUndefined();
      expect(await recordsOf(id)).toEqual([]);
    },
  );

  it('is still a write that succeeds under a condition on the missing item, and still creates nothing', async () => {
    await update('remove-only-conditional', {
      UpdateExpression: 'REMOVE a',
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(await get('remove-only-conditional')).toBeUndefined();
  });

  it('removes from an existing item as before (MODIFY record)', async () => {
    await put({ ...key('remove-existing'), a: { S: 'x' } });
    const result = await update('remove-existing', { UpdateExpression: 'REMOVE a', ReturnValues: 'ALL_NEW' });
    expect(result.Attributes).toEqual(key('remove-existing'));
    expect((await recordsOf('remove-existing')).map((record) => record.eventName)).toEqual([
      'INSERT',
      'MODIFY',
    ]);
  });

  it('an update with SET or ADD next to a REMOVE creates the item (INSERT record)', async () => {
    await update('remove-and-set', {
      UpdateExpression: 'SET b = :v REMOVE a',
      ExpressionAttributeValues: { ':v': { N: '1' } },
    });
    expect(await get('remove-and-set')).toEqual({ ...key('remove-and-set'), b: { N: '1' } });
    await update('remove-and-add', {
      UpdateExpression: 'ADD n :v REMOVE a',
      ExpressionAttributeValues: { ':v': { N: '1' } },
    });
    expect(await get('remove-and-add')).toEqual({ ...key('remove-and-add'), n: { N: '1' } });
    expect((await recordsOf('remove-and-set')).map((record) => record.eventName)).toEqual(['INSERT']);
  });

  it('an update with no action at all still creates the item with its key alone (undocumented)', async () => {
    const result = await update('no-action', { ReturnValues: 'ALL_NEW' });
    expect(result.Attributes).toEqual(key('no-action'));
    const legacy = await update('no-action-legacy', { AttributeUpdates: {}, ReturnValues: 'ALL_NEW' });
    expect(legacy.Attributes).toEqual(key('no-action-legacy'));
  });

  it('in TransactWriteItems an Update that only removes leaves a missing item missing', async () => {
    await h.dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Update: { TableName: TABLE, Key: key('tx-remove-only'), UpdateExpression: 'REMOVE a' } },
          {
            Update: {
              TableName: TABLE,
              Key: key('tx-set'),
              UpdateExpression: 'SET a = :v',
              ExpressionAttributeValues: { ':v': { S: 'v' } },
            },
          },
        ],
      }),
    );
    expect(await get('tx-remove-only')).toBeUndefined();
    expect(await recordsOf('tx-remove-only')).toEqual([]);
    expect(await get('tx-set')).toEqual({ ...key('tx-set'), a: { S: 'v' } });
  });
});

describe('ReturnValues UPDATED_OLD / UPDATED_NEW return only the updated paths (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#DDB-UpdateItem-request-ReturnValues; nesting as DynamoDB answers)', () => {
  const n = (value: number) => ({ N: String(value) });
  const seed = (id: string) =>
    put({
      ...key(id),
      a: { M: { b: { M: { c: n(1), d: n(2) } }, x: { S: 'y' } } },
      l: { L: [n(0), n(1), n(2), { M: { q: { S: 'q' }, r: { S: 'r' } } }] },
      s: { SS: ['a', 'b'] },
      z: { S: 'z' },
    });

  it('a nested map path returns that path alone, inside its parents', async () => {
    await seed('rv-map');
    const set = (value: number, ReturnValues: 'UPDATED_OLD' | 'UPDATED_NEW') =>
      update('rv-map', {
        UpdateExpression: 'SET a.b.c = :v',
        ExpressionAttributeValues: { ':v': n(value) },
        ReturnValues,
      });
    expect((await set(9, 'UPDATED_NEW')).Attributes).toEqual({ a: { M: { b: { M: { c: n(9) } } } } });
    expect((await set(10, 'UPDATED_OLD')).Attributes).toEqual({ a: { M: { b: { M: { c: n(9) } } } } });
  });

  it('list elements are returned packed, in index order', async () => {
    await seed('rv-list');
    const result = await update('rv-list', {
      UpdateExpression: 'SET l[3].q = :v, l[1] = :v',
      ExpressionAttributeValues: { ':v': n(11) },
      ReturnValues: 'UPDATED_OLD',
    });
    expect(result.Attributes).toEqual({ l: { L: [n(1), { M: { q: { S: 'q' } } }] } });
    const after = await update('rv-list', {
      UpdateExpression: 'SET l[1] = :w, a.x = :w',
      ExpressionAttributeValues: { ':w': n(12) },
      ReturnValues: 'UPDATED_NEW',
    });
    expect(after.Attributes).toEqual({ l: { L: [n(12)] }, a: { M: { x: n(12) } } });
  });

  it('an element set past the end of a list is not returned by UPDATED_NEW; a removed element is read at its index afterwards', async () => {
    await seed('rv-list-edge');
    const appended = await update('rv-list-edge', {
      UpdateExpression: 'SET l[100] = :v',
      ExpressionAttributeValues: { ':v': n(70) },
      ReturnValues: 'UPDATED_NEW',
    });
    expect(appended.Attributes).toBeUndefined();
    const removed = await update('rv-list-edge', {
      UpdateExpression: 'REMOVE l[1]',
      ReturnValues: 'UPDATED_NEW',
    });
    expect(removed.Attributes).toEqual({ l: { L: [n(2)] } });
    const removedOld = await update('rv-list-edge', {
      UpdateExpression: 'REMOVE l[0], a.x, nothing',
      ReturnValues: 'UPDATED_OLD',
    });
    expect(removedOld.Attributes).toEqual({ l: { L: [n(0)] }, a: { M: { x: { S: 'y' } } } });
  });

  it('a new nested member is in UPDATED_NEW but not in UPDATED_OLD; a set emptied by DELETE is in neither afterwards', async () => {
    await seed('rv-new');
    const old = await update('rv-new', {
      UpdateExpression: 'SET a.fresh = :v',
      ExpressionAttributeValues: { ':v': n(1) },
      ReturnValues: 'UPDATED_OLD',
    });
    expect(old.Attributes).toBeUndefined();
    const added = await update('rv-new', {
      UpdateExpression: 'SET a.fresh2 = :v',
      ExpressionAttributeValues: { ':v': n(1) },
      ReturnValues: 'UPDATED_NEW',
    });
    expect(added.Attributes).toEqual({ a: { M: { fresh2: n(1) } } });
    const emptied = await update('rv-new', {
      UpdateExpression: 'DELETE s :s',
      ExpressionAttributeValues: { ':s': { SS: ['a', 'b'] } },
      ReturnValues: 'UPDATED_NEW',
    });
    expect(emptied.Attributes).toBeUndefined();
  });

  it('top-level attributes and the legacy AttributeUpdates return whole attributes, as before', async () => {
    await seed('rv-top');
    const result = await update('rv-top', {
      UpdateExpression: 'SET z = :v ADD s :s',
      ExpressionAttributeValues: { ':v': n(1), ':s': { SS: ['c'] } },
      ReturnValues: 'UPDATED_NEW',
    });
    expect(result.Attributes).toEqual({ z: n(1), s: { SS: ['a', 'b', 'c'] } });
    const legacy = await update('rv-top', {
      AttributeUpdates: { z: { Action: 'PUT', Value: { S: 'u' } }, gone: { Action: 'DELETE' } },
      ReturnValues: 'UPDATED_OLD',
    });
    expect(legacy.Attributes).toEqual({ z: n(1) });
  });

  it('ALL_OLD, ALL_NEW and ReturnValuesOnConditionCheckFailure still return whole items', async () => {
    await seed('rv-all');
    const before = await get('rv-all');
    const allOld = await update('rv-all', {
      UpdateExpression: 'SET a.b.c = :v',
      ExpressionAttributeValues: { ':v': n(5) },
      ReturnValues: 'ALL_OLD',
    });
    expect(allOld.Attributes).toEqual(before);
    const allNew = await update('rv-all', {
      UpdateExpression: 'SET a.b.c = :v',
      ExpressionAttributeValues: { ':v': n(6) },
      ReturnValues: 'ALL_NEW',
    });
    expect(allNew.Attributes).toEqual({
      ...before,
      a: { M: { b: { M: { c: n(6), d: n(2) } }, x: { S: 'y' } } },
    });
    const failed = await awsError(
      update('rv-all', {
        UpdateExpression: 'SET a.b.c = :v',
        ConditionExpression: 'z = :v',
        ExpressionAttributeValues: { ':v': n(7) },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    expect(failed).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failed as unknown as ConditionalCheckFailedException).Item).toEqual(allNew.Attributes);
  });
});
