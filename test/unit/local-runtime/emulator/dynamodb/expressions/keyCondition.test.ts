import { describe, expect, it } from 'vitest';
import {
  type CompileOptions,
  compileExpressions,
  type ExpressionRequest,
  type KeyCondition,
  matchesKeyCondition,
} from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import { AwsServiceError } from '../../../../../../local-runtime/emulator/errors.js';
import type { AttributeMap, AttributeValue } from '../../../../../../src/records/attributeValue.js';

const values: AttributeMap = {
  ':p': { S: 'p' },
  ':q': { S: 'q' },
  ':a': { S: 'a' },
  ':z': { S: 'z' },
  ':n1': { N: '1' },
  ':n5': { N: '5' },
  ':b': { B: 'YQ==' },
  ':empty': { S: '' },
};

const request = (expression: string, extra: Partial<ExpressionRequest> = {}): ExpressionRequest => {
  const text = `${expression} ${extra.FilterExpression ?? ''}`;
  const used = Object.fromEntries(
    Object.entries(values).filter(([key]) => new RegExp(`${key}(?![A-Za-z0-9_])`).test(text)),
  );
  return { KeyConditionExpression: expression, ExpressionAttributeValues: used, ...extra };
};

const keyCondition = (expression: string, options?: CompileOptions): KeyCondition | undefined =>
  compileExpressions(request(expression), options).keyCondition;

const expectValidation = (action: () => unknown, message: string) => {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AwsServiceError);
  expect((caught as AwsServiceError).name).toBe('ValidationException');
  expect((caught as AwsServiceError).message).toBe(message);
};

const schema = { hashKey: 'pk', rangeKey: 'sk', types: { pk: 'S', sk: 'N' } } as const;

describe('key condition grammar', () => {
  it.each<[string, KeyCondition]>([
    ['pk = :p', { partitionKey: { name: 'pk', value: { S: 'p' } } }],
    [':p = pk', { partitionKey: { name: 'pk', value: { S: 'p' } } }],
    ['(pk = :p)', { partitionKey: { name: 'pk', value: { S: 'p' } } }],
    [
      'pk = :p AND sk = :n1',
      {
        partitionKey: { name: 'pk', value: { S: 'p' } },
        sortKey: { name: 'sk', operator: '=', values: [{ N: '1' }] },
      },
    ],
    [
      'pk = :p AND sk < :n1',
      {
        partitionKey: { name: 'pk', value: { S: 'p' } },
        sortKey: { name: 'sk', operator: '<', values: [{ N: '1' }] },
      },
    ],
    [
      'sk <= :n1 AND pk = :p',
      {
        partitionKey: { name: 'pk', value: { S: 'p' } },
        sortKey: { name: 'sk', operator: '<=', values: [{ N: '1' }] },
      },
    ],
    [
      'pk = :p AND :n1 > sk',
      {
        partitionKey: { name: 'pk', value: { S: 'p' } },
        sortKey: { name: 'sk', operator: '<', values: [{ N: '1' }] },
      },
    ],
    [
      'pk = :p AND :n1 <= sk',
      {
        partitionKey: { name: 'pk', value: { S: 'p' } },
        sortKey: { name: 'sk', operator: '>=', values: [{ N: '1' }] },
      },
    ],
    [
      'pk = :p AND sk >= :n1',
      {
        partitionKey: { name: 'pk', value: { S: 'p' } },
        sortKey: { name: 'sk', operator: '>=', values: [{ N: '1' }] },
      },
    ],
    [
      'pk = :p AND sk BETWEEN :n1 AND :n5',
      {
        partitionKey: { name: 'pk', value: { S: 'p' } },
        sortKey: { name: 'sk', operator: 'BETWEEN', values: [{ N: '1' }, { N: '5' }] },
      },
    ],
    [
      '(pk = :p) AND (begins_with(sk, :a))',
      {
        partitionKey: { name: 'pk', value: { S: 'p' } },
        sortKey: { name: 'sk', operator: 'begins_with', values: [{ S: 'a' }] },
      },
    ],
  ])('%s', (expression, expected) => {
    expect(keyCondition(expression)).toEqual(expected);
  });

  it('resolves #names', () => {
    const compiled = compileExpressions({
      KeyConditionExpression: '#pk = :p AND #sk > :n1',
      ExpressionAttributeNames: { '#pk': 'date', '#sk': 'timestamp' },
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':n1': { N: '1' } },
    }).keyCondition;
    expect(compiled).toEqual({
      partitionKey: { name: 'date', value: { S: 'p' } },
      sortKey: { name: 'timestamp', operator: '>', values: [{ N: '1' }] },
    });
  });

  it.each([
    ['pk = :p OR sk = :n1', 'Invalid operator used in KeyConditionExpression: OR'],
    ['NOT pk = :p', 'Invalid operator used in KeyConditionExpression: NOT'],
    ['pk IN (:p, :q)', 'Invalid operator used in KeyConditionExpression: IN'],
    ['pk = :p AND sk <> :n1', 'Invalid operator used in KeyConditionExpression: <>'],
    ['pk = :p AND attribute_exists(sk)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    [
      'pk = :p AND attribute_not_exists(sk)',
      'Invalid operator used in KeyConditionExpression: attribute_not_exists',
    ],
    ['pk = :p AND contains(sk, :a)', 'Invalid operator used in KeyConditionExpression: contains'],
    ['pk = :p AND size(sk) > :n1', 'KeyConditionExpressions cannot contain nested operations'],
    ['pk = :p AND pk = :q', 'KeyConditionExpressions must only contain one condition per key'],
    ['pk = :p AND sk > :n1 AND sk < :n5', 'KeyConditionExpressions must only contain one condition per key'],
    ['pk = :p AND sk > :n1 AND extra = :a', 'Query condition missed key schema element'],
    ['sk > :n1', 'Query condition missed key schema element'],
    [':p = :q', 'Query condition missed key schema element'],
  ])('%s: %s', (expression, message) => {
    expectValidation(() => keyCondition(expression), message);
  });

  it('applies the ordinary condition checks first, prefixed with the member name', () => {
    expectValidation(
      () => keyCondition('pk = :p AND begins_with(sk, :n1)'),
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    expectValidation(
      () => keyCondition('pk = :p AND if_not_exists(sk, :a) = :a'),
      'Invalid KeyConditionExpression: The function is not allowed in a condition expression; function: if_not_exists',
    );
  });
});

describe('key condition against a key schema', () => {
  it('finds the partition key by name', () => {
    expect(keyCondition('sk = :n1 AND pk = :p', { keySchema: schema })).toEqual({
      partitionKey: { name: 'pk', value: { S: 'p' } },
      sortKey: { name: 'sk', operator: '=', values: [{ N: '1' }] },
    });
  });

  it.each([
    ['pk < :p', 'Query key condition not supported'],
    ['begins_with(pk, :p)', 'Query key condition not supported'],
    ['sk = :n1', 'Query condition missed key schema element'],
    ['pk = :p AND extra = :a', 'Query condition missed key schema element'],
    [
      'pk = :n1',
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    ],
    [
      'pk = :p AND sk > :a',
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    ],
    [
      'pk = :p AND sk BETWEEN :n1 AND :b',
      'Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]}',
    ],
    [
      'pk = :empty',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    ],
    [
      'pk.x = :p',
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
    ],
  ])('%s: %s', (expression, message) => {
    expectValidation(() => keyCondition(expression, { keySchema: schema }), message);
  });

  it('accepts the partition key alone on a table with a sort key', () => {
    expect(keyCondition('pk = :p', { keySchema: schema })).toEqual({
      partitionKey: { name: 'pk', value: { S: 'p' } },
    });
  });

  it('accepts a schema without types', () => {
    expect(keyCondition('pk = :n1', { keySchema: { hashKey: 'pk' } })).toEqual({
      partitionKey: { name: 'pk', value: { N: '1' } },
    });
  });

  it('refuses key attributes in a Query filter', () => {
    expectValidation(
      () =>
        compileExpressions(request('pk = :p', { FilterExpression: 'sk > :n1 AND x = :a' }), {
          keySchema: schema,
        }),
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    );
  });

  it('refuses paths into key attributes in other expressions', () => {
    expectValidation(
      () => compileExpressions({ ConditionExpression: 'attribute_exists(pk.x)' }, { keySchema: schema }),
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
    );
    expectValidation(
      () => compileExpressions({ ProjectionExpression: 'a, sk[0]' }, { keySchema: schema }),
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: sk",
    );
  });
});

describe('matchesKeyCondition', () => {
  const row = (pk: AttributeValue, sk: AttributeValue): AttributeMap => ({ pk, sk, extra: { S: 'x' } });

  it.each<[string, AttributeMap, boolean]>([
    ['pk = :p', row({ S: 'p' }, { N: '3' }), true],
    ['pk = :p', row({ S: 'q' }, { N: '3' }), false],
    ['pk = :p AND sk = :n1', row({ S: 'p' }, { N: '1.0' }), true],
    ['pk = :p AND sk < :n5', row({ S: 'p' }, { N: '3' }), true],
    ['pk = :p AND sk < :n5', row({ S: 'p' }, { N: '5' }), false],
    ['pk = :p AND sk <= :n5', row({ S: 'p' }, { N: '5' }), true],
    ['pk = :p AND sk > :n1', row({ S: 'p' }, { N: '1' }), false],
    ['pk = :p AND sk >= :n1', row({ S: 'p' }, { N: '1' }), true],
    ['pk = :p AND sk BETWEEN :n1 AND :n5', row({ S: 'p' }, { N: '5' }), true],
    ['pk = :p AND sk BETWEEN :n1 AND :n5', row({ S: 'p' }, { N: '0.5' }), false],
    ['pk = :p AND begins_with(sk, :a)', row({ S: 'p' }, { S: 'abc' }), true],
    ['pk = :p AND begins_with(sk, :a)', row({ S: 'p' }, { S: 'bac' }), false],
    ['pk = :p AND sk > :n1', row({ S: 'p' }, { S: 'text' }), false],
    ['pk = :p AND sk > :n1', { pk: { S: 'p' } }, false],
  ])('%s on %j → %s', (expression, item, expected) => {
    expect(matchesKeyCondition(keyCondition(expression)!, item)).toBe(expected);
  });
});
