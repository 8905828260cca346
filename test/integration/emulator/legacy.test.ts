import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type ExpectedAttributeValue,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, expectAwsError } from '../../helpers/awsError.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { createStreamTable, streamRecords } from '../../helpers/streamRecords.js';

let h: EmulatorHarness;
let streamArn: string;
beforeAll(async () => {
  h = await startHarness();
  streamArn = await createStreamTable(h.dynamodb, 'legacy');
});
afterAll(() => h.close());

const key = (pk: string) => ({ pk: { S: pk } });
const putItem = (item: Record<string, AttributeValue>, extra: object = {}) =>
  h.dynamodb.send(new PutItemCommand({ TableName: 'legacy', Item: item, ...extra }));
const get = async (pk: string) =>
  (await h.dynamodb.send(new GetItemCommand({ TableName: 'legacy', Key: key(pk) }))).Item;
const VALIDATION = 'ValidationException';

describe('Expected', () => {
  const stored = {
    ...key('e'),
    n: { N: '5' },
    s: { S: 'hello' },
    ss: { SS: ['a', 'b'] },
    l: { L: [{ S: 'x' }] },
  };
  beforeAll(() => putItem(stored));

  /** Whether a conditional write with `expected` would succeed against `stored` (it writes the same item). */
  const holds = async (
    expected: Record<string, ExpectedAttributeValue>,
    conditionalOperator?: 'AND' | 'OR',
  ) => {
    try {
      await putItem(stored, { Expected: expected, ConditionalOperator: conditionalOperator });
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  it.each<[string, Record<string, ExpectedAttributeValue>, boolean]>([
    ['Value equal', { n: { Value: { N: '5.0' } } }, true],
    ['Value different', { n: { Value: { N: '6' } } }, false],
    ['Value on a missing attribute', { zz: { Value: { N: '5' } } }, false],
    ['Exists true with Value', { s: { Exists: true, Value: { S: 'hello' } } }, true],
    ['Exists false on a missing attribute', { zz: { Exists: false } }, true],
    ['Exists false on a present attribute', { n: { Exists: false } }, false],
    ['EQ on a set', { ss: { ComparisonOperator: 'EQ', AttributeValueList: [{ SS: ['b', 'a'] }] } }, true],
    [
      'NE on a missing attribute',
      { zz: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'x' }] } },
      true,
    ],
    ['NE with another type', { n: { ComparisonOperator: 'NE', AttributeValueList: [{ S: '5' }] } }, true],
    ['LT', { n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '10' }] } }, true],
    ['GE', { n: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '6' }] } }, false],
    ['GT with another type', { n: { ComparisonOperator: 'GT', AttributeValueList: [{ S: '1' }] } }, false],
    ['LE with a single Value', { n: { ComparisonOperator: 'LE', Value: { N: '5' } } }, true],
    ['BEGINS_WITH', { s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'he' }] } }, true],
    [
      'CONTAINS in a string',
      { s: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'ell' }] } },
      true,
    ],
    [
      'CONTAINS in a set',
      { ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'c' }] } },
      false,
    ],
    ['CONTAINS in a list', { l: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'x' }] } }, true],
    ['NOT_CONTAINS', { ss: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'c' }] } }, true],
    [
      'NOT_CONTAINS on a missing attribute',
      { zz: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'c' }] } },
      false,
    ],
    ['IN', { s: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'bye' }, { S: 'hello' }] } }, true],
    ['BETWEEN', { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '5' }] } }, true],
    ['NULL', { zz: { ComparisonOperator: 'NULL' } }, true],
    ['NOT_NULL', { zz: { ComparisonOperator: 'NOT_NULL' } }, false],
  ])('%s', async (_, expected, expectedResult) => {
    expect(await holds(expected)).toBe(expectedResult);
  });

  it('joins conditions with AND by default, or OR', async () => {
    const oneOfTwo = { n: { Value: { N: '5' } }, s: { Value: { S: 'bye' } } };
    expect(await holds(oneOfTwo)).toBe(false);
    expect(await holds(oneOfTwo, 'AND')).toBe(false);
    expect(await holds(oneOfTwo, 'OR')).toBe(true);
  });

  it('guards DeleteItem and UpdateItem, returning the item on failure when asked', async () => {
    await putItem({ ...key('guarded'), v: { N: '1' } });
    const error = await awsError(
      h.dynamodb.send(
        new DeleteItemCommand({
          TableName: 'legacy',
          Key: key('guarded'),
          Expected: { v: { Value: { N: '2' } } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect((error as unknown as ConditionalCheckFailedException).Item).toEqual({
      ...key('guarded'),
      v: { N: '1' },
    });
    const { Attributes } = await h.dynamodb.send(
      new UpdateItemCommand({
        TableName: 'legacy',
        Key: key('guarded'),
        Expected: { v: { Value: { N: '1' } } },
        UpdateExpression: undefined,
        AttributeUpdates: { v: { Action: 'ADD', Value: { N: '1' } } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(Attributes).toEqual({ ...key('guarded'), v: { N: '2' } });
    await h.dynamodb.send(
      new DeleteItemCommand({
        TableName: 'legacy',
        Key: key('guarded'),
        Expected: { v: { Exists: true, Value: { N: '2' } } },
      }),
    );
    expect(await get('guarded')).toBeUndefined();
  });
});

describe('AttributeUpdates', () => {
  const update = (pk: string, updates: Record<string, unknown>, extra: object = {}) =>
    h.dynamodb.send(
      new UpdateItemCommand({
        TableName: 'legacy',
        Key: key(pk),
        AttributeUpdates: updates as never,
        ...extra,
      }),
    );

  it('PUTs, ADDs and DELETEs, creating the item, with one stream record per change', async () => {
    const before = (await streamRecords(h.streams, streamArn)).length;
    const created = await update(
      'u',
      {
        n: { Action: 'ADD', Value: { N: '2' } },
        ss: { Action: 'ADD', Value: { SS: ['a'] } },
        l: { Action: 'ADD', Value: { L: [{ S: 'x' }] } },
        p: { Value: { S: 'put' } },
      },
      { ReturnValues: 'ALL_NEW' },
    );
    expect(created.Attributes).toEqual({
      ...key('u'),
      n: { N: '2' },
      ss: { SS: ['a'] },
      l: { L: [{ S: 'x' }] },
      p: { S: 'put' },
    });
    const added = await update(
      'u',
      {
        n: { Action: 'ADD', Value: { N: '-0.5' } },
        ss: { Action: 'ADD', Value: { SS: ['b', 'a'] } },
        l: { Action: 'ADD', Value: { L: [{ S: 'y' }] } },
      },
      { ReturnValues: 'UPDATED_NEW' },
    );
    expect(added.Attributes).toEqual({
      n: { N: '1.5' },
      ss: { SS: ['a', 'b'] },
      l: { L: [{ S: 'x' }, { S: 'y' }] },
    });
    const deleted = await update(
      'u',
      {
        ss: { Action: 'DELETE', Value: { SS: ['a', 'zz'] } },
        p: { Action: 'DELETE' },
        gone: { Action: 'DELETE' },
      },
      { ReturnValues: 'UPDATED_OLD' },
    );
    expect(deleted.Attributes).toEqual({ ss: { SS: ['a', 'b'] }, p: { S: 'put' } });
    await update('u', { ss: { Action: 'DELETE', Value: { SS: ['b'] } } });
    expect(await get('u')).toEqual({ ...key('u'), n: { N: '1.5' }, l: { L: [{ S: 'x' }, { S: 'y' }] } });
    const records = (await streamRecords(h.streams, streamArn)).slice(before);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY', 'MODIFY']);
  });

  it('refuses a value of the wrong type for the stored attribute', async () => {
    await putItem({ ...key('typed'), n: { N: '1' } });
    await expectAwsError(
      update('typed', { n: { Action: 'ADD', Value: { SS: ['x'] } } }),
      VALIDATION,
      'Type mismatch for attribute to update',
    );
    await expectAwsError(
      update('typed', { n: { Action: 'DELETE', Value: { SS: ['x'] } } }),
      VALIDATION,
      'Type mismatch for attribute to update',
    );
    expect(await get('typed')).toEqual({ ...key('typed'), n: { N: '1' } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a key attribute',
      { pk: { Action: 'PUT', Value: { S: 'x' } } },
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    ],
    [
      'PUT without a value',
      { a: { Action: 'PUT' } },
      'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified',
    ],
    [
      'ADD of a string',
      { a: { Action: 'ADD', Value: { S: 'x' } } },
      'One or more parameter values were invalid: ADD action is not supported for the type S',
    ],
    [
      'DELETE of a number',
      { a: { Action: 'DELETE', Value: { N: '1' } } },
      'One or more parameter values were invalid: DELETE action with value is not supported for the type N',
    ],
    [
      'an unknown Action',
      { a: { Action: 'MERGE', Value: { N: '1' } } },
      "1 validation error detected: Value 'MERGE' at 'attributeUpdates.a.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
    ],
  ])('refuses %s', async (_, updates, message) => {
    await expectAwsError(update('refused', updates), VALIDATION, message);
  });
});

describe('AttributesToGet', () => {
  const getWith = (input: Record<string, unknown>) =>
    h.dynamodb.send(new GetItemCommand({ TableName: 'legacy', Key: key('atg'), ...input }));
  beforeAll(() => putItem({ ...key('atg'), a: { S: 'a' }, 'b.c': { S: 'dotted' }, d: { N: '1' } }));

  it('returns only the named top-level attributes, names taken literally', async () => {
    const { Item } = await getWith({ AttributesToGet: ['b.c', 'd', 'missing'] });
    expect(Item).toEqual({ 'b.c': { S: 'dotted' }, d: { N: '1' } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a name twice',
      { AttributesToGet: ['a', 'a'] },
      'One or more parameter values were invalid: Duplicate value in attribute name: a',
    ],
    [
      'an empty list',
      { AttributesToGet: [] },
      "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'a ProjectionExpression too',
      { AttributesToGet: ['a'], ProjectionExpression: 'a' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    ],
    [
      'ExpressionAttributeNames without an expression',
      { ExpressionAttributeNames: { '#a': 'a' } },
      'ExpressionAttributeNames can only be specified when using expressions',
    ],
  ])('refuses %s', async (_, input, message) => {
    await expectAwsError(getWith(input), VALIDATION, message);
  });
});

describe('parameter rules', () => {
  const send = (operation: 'Put' | 'Update' | 'Delete', input: Record<string, unknown>) => {
    const base = { TableName: 'legacy', ...input };
    if (operation === 'Put') return h.dynamodb.send(new PutItemCommand({ Item: key('p'), ...base } as never));
    if (operation === 'Update')
      return h.dynamodb.send(new UpdateItemCommand({ Key: key('p'), ...base } as never));
    return h.dynamodb.send(new DeleteItemCommand({ Key: key('p'), ...base } as never));
  };
  const value = { Value: { S: 'v' } };

  it.each<['Put' | 'Update' | 'Delete', Record<string, unknown>, string]>([
    [
      'Put',
      { Expected: { a: value }, ConditionExpression: 'attribute_exists(a)' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    ],
    [
      'Update',
      {
        AttributeUpdates: { a: value },
        Expected: { a: value },
        UpdateExpression: 'SET b = :v',
        ConditionExpression: 'attribute_exists(a)',
        ExpressionAttributeValues: { ':v': { S: 'v' } },
      },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}',
    ],
    [
      'Delete',
      { ConditionalOperator: 'OR', ConditionExpression: 'attribute_exists(a)' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ConditionalOperator} Expression parameters: {ConditionExpression}',
    ],
    [
      'Put',
      { ExpressionAttributeNames: { '#a': 'a' } },
      'ExpressionAttributeNames can only be specified when using expressions',
    ],
    [
      'Put',
      { ExpressionAttributeValues: { ':a': { S: 'a' } } },
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    ],
    [
      'Update',
      { ExpressionAttributeValues: { ':a': { S: 'a' } } },
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    ],
    [
      'Delete',
      { ConditionalOperator: 'AND' },
      'ConditionalOperator cannot be used without Filter or Expected',
    ],
    [
      'Put',
      { ConditionalOperator: 'OR', Expected: { a: value } },
      'ConditionalOperator can only be used when Filter or Expected has two or more elements',
    ],
    [
      'Put',
      { ConditionalOperator: 'XOR', Expected: { a: value, b: value } },
      "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
    ],
    [
      'Put',
      { Expected: { a: { ComparisonOperator: 'LIKE', Value: { S: 'a' } } } },
      "1 validation error detected: Value 'LIKE' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
    ],
    [
      'Put',
      { Expected: { a: {} } },
      'One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a',
    ],
    [
      'Put',
      { Expected: { a: { Exists: true } } },
      'One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a',
    ],
    [
      'Put',
      { Expected: { a: { Exists: false, Value: { S: 'a' } } } },
      'One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a',
    ],
    [
      'Put',
      { Expected: { a: { Exists: true, ComparisonOperator: 'EQ', Value: { S: 'a' } } } },
      'One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: a',
    ],
    [
      'Put',
      { Expected: { a: { ComparisonOperator: 'EQ', Value: { S: 'a' }, AttributeValueList: [{ S: 'a' }] } } },
      'One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: a',
    ],
    [
      'Put',
      { Expected: { a: { AttributeValueList: [{ S: 'a' }] } } },
      'One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: a',
    ],
    [
      'Put',
      { Expected: { a: { ComparisonOperator: 'LT' } } },
      'One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a',
    ],
    [
      'Put',
      { Expected: { a: { ComparisonOperator: 'NULL', Value: { S: 'a' } } } },
      'One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator',
    ],
    [
      'Put',
      { Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } } },
      'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator',
    ],
    [
      'Put',
      { Expected: { a: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }, { S: '1' }] } } },
      'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type',
    ],
    [
      'Put',
      { Expected: { a: { ComparisonOperator: 'LT', AttributeValueList: [{ SS: ['a'] }] } } },
      'One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type',
    ],
    [
      'Put',
      { Expected: { a: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ N: '1' }] } } },
      'One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type',
    ],
    [
      'Put',
      { Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '5' }, { N: '1' }] } } },
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    ],
    [
      'Put',
      { Expected: { a: { Value: { S: 'a', N: '1' } } } },
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    ],
  ])('%s refuses %j', async (operation, input, message) => {
    await expectAwsError(send(operation, input), VALIDATION, message);
  });

  it('checks the legacy parameters before looking for the table', async () => {
    await expectAwsError(
      h.dynamodb.send(
        new PutItemCommand({
          TableName: 'nowhere',
          Item: key('p'),
          Expected: { a: { ComparisonOperator: 'LT' } },
        }),
      ),
      VALIDATION,
      'One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a',
    );
  });
});
