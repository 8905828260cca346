import { describe, expect, it } from 'vitest';
import {
  compileExpressions,
  type ExpressionRequest,
} from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import { AwsServiceError } from '../../../../../../local-runtime/emulator/errors.js';

const expectValidation = (request: ExpressionRequest, message: string) => {
  let caught: unknown;
  try {
    compileExpressions(request);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AwsServiceError);
  expect((caught as AwsServiceError).name).toBe('ValidationException');
  expect((caught as AwsServiceError).message).toBe(message);
};

describe('undefined placeholders', () => {
  it.each([
    ['ConditionExpression', '#x = :v', '#x'],
    ['FilterExpression', 'a.#x[0] = :v', '#x'],
    ['ProjectionExpression', 'a, #x', '#x'],
    ['KeyConditionExpression', '#x = :v', '#x'],
    ['UpdateExpression', 'SET #c = if_not_exists(:c)', '#c'],
    ['UpdateExpression', 'SET a = #x', '#x'],
    ['UpdateExpression', 'REMOVE a.#x', '#x'],
  ] as const)('%s %j names %s', (member, expression, placeholder) => {
    expectValidation(
      {
        [member]: expression,
        ExpressionAttributeNames: { '#a': 'a' },
        ExpressionAttributeValues: { ':v': { S: 'x' } },
      },
      `Invalid ${member}: An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`,
    );
  });

  it.each([
    ['ConditionExpression', 'a = :x', ':x'],
    ['FilterExpression', 'a IN (:v, :x)', ':x'],
    ['KeyConditionExpression', 'a = :x', ':x'],
    ['UpdateExpression', 'SET #a = if_not_exists(:c)', ':c'],
    ['UpdateExpression', 'ADD a :x', ':x'],
  ] as const)('%s %j values %s', (member, expression, placeholder) => {
    expectValidation(
      {
        [member]: expression,
        ExpressionAttributeNames: { '#a': 'a' },
        ExpressionAttributeValues: { ':v': { S: 'x' } },
      },
      `Invalid ${member}: An expression attribute value used in expression is not defined; attribute value: ${placeholder}`,
    );
  });

  it('reports a missing value even when no values were sent', () => {
    expectValidation(
      { ConditionExpression: 'a = :v' },
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
  });

  it('checks an update from its last action back, names before values', () => {
    expectValidation(
      { UpdateExpression: 'SET a = :x, b = :y' },
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :y',
    );
    expectValidation(
      { UpdateExpression: 'SET a = :x, b = #y' },
      'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #y',
    );
  });

  it('does not treat placeholder names as inherited properties', () => {
    expectValidation(
      { ConditionExpression: '#constructor = :toString', ExpressionAttributeNames: { '#a': 'a' } },
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #constructor',
    );
    expectValidation(
      { ConditionExpression: '#__proto__ = :__proto__', ExpressionAttributeNames: { '#__proto__': 'p' } },
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :__proto__',
    );
  });
});

describe('unused placeholders', () => {
  it('refuses unused names, across all of a request’s expressions', () => {
    expectValidation(
      {
        UpdateExpression: 'remove a set b = list_append(b, if_not_exists(a, :a))',
        ConditionExpression: 'a = :b',
        ExpressionAttributeValues: { ':a': { L: [] }, ':b': { S: 'a' } },
        ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
      },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
    );
  });

  it('refuses unused values', () => {
    expectValidation(
      {
        UpdateExpression: 'remove a',
        ConditionExpression: 'a = :b',
        ExpressionAttributeValues: { ':c': { S: 'a' }, ':b': { S: 'a' }, ':a': { S: 'a' } },
      },
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}',
    );
  });

  it('lists unused keys in Java HashSet order, as DynamoDB does', () => {
    // "#b" (hash 1183) lands in bucket 15 and "#zz" (hash 37539) in bucket 3 of a 16-bucket table.
    expectValidation(
      {
        ConditionExpression: 'attribute_exists(#a)',
        ExpressionAttributeNames: { '#a': 'a', '#b': 'b', '#zz': 'z' },
      },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#zz, #b}',
    );
  });

  it('reports unused names before unused values', () => {
    expectValidation(
      {
        ConditionExpression: 'a = :a',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':a': { S: 'a' }, ':v': { S: 'v' } },
      },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}',
    );
  });

  it('reports an expression’s own problems before unused placeholders', () => {
    expectValidation(
      { ConditionExpression: 'a = :missing', ExpressionAttributeValues: { ':unused': { S: 'a' } } },
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing',
    );
  });

  it('counts names and values used by any expression', () => {
    expect(() =>
      compileExpressions({
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#f > :f',
        ProjectionExpression: '#p, #f',
        ExpressionAttributeNames: { '#pk': 'pk', '#f': 'f', '#p': 'p' },
        ExpressionAttributeValues: { ':pk': { S: 'x' }, ':f': { N: '1' } },
      }),
    ).not.toThrow();
  });
});

describe('the placeholder maps themselves', () => {
  it.each<[ExpressionRequest, string]>([
    [
      { ConditionExpression: 'a = :v', ExpressionAttributeNames: {} },
      'ExpressionAttributeNames must not be empty',
    ],
    [
      { ConditionExpression: 'a = :v', ExpressionAttributeValues: {} },
      'ExpressionAttributeValues must not be empty',
    ],
    [
      { ConditionExpression: '', ExpressionAttributeNames: {}, ExpressionAttributeValues: {} },
      'ExpressionAttributeNames must not be empty',
    ],
    [
      { ConditionExpression: 'a = :v', ExpressionAttributeNames: { a: 'a' } },
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    ],
    [
      { ConditionExpression: 'a = :v', ExpressionAttributeNames: { '#a-b': 'a' } },
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"',
    ],
    [
      { ConditionExpression: 'a = :v', ExpressionAttributeNames: { '#a': '' } },
      'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a',
    ],
    [
      { ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':b': { S: 'a' }, b: { S: 'a' } } },
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
    ],
    [
      { ConditionExpression: 'a = :v', ExpressionAttributeNames: { [`#${'a'.repeat(255)}`]: 'a' } },
      'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256',
    ],
  ])('%j', (request, message) => {
    expectValidation(request, message);
  });

  it('leaves maps alone when there is no expression, for the operation to judge', () => {
    expect(compileExpressions({ ExpressionAttributeNames: {}, ExpressionAttributeValues: {} })).toEqual({});
  });
});

describe('names after substitution', () => {
  it('takes a placeholder’s name literally: dots and brackets are part of it', () => {
    const { projection, update } = compileExpressions({
      ProjectionExpression: '#dotted, #brackets[1].#proto',
      UpdateExpression: 'SET #dotted = :v',
      ExpressionAttributeNames: { '#dotted': 'a.b', '#brackets': 'c[0]', '#proto': '__proto__' },
      ExpressionAttributeValues: { ':v': { S: 'x' } },
    });
    expect(projection?.paths).toEqual([['a.b'], ['c[0]', 1, '__proto__']]);
    expect([...(update?.topLevelAttributes ?? [])]).toEqual(['a.b']);
  });

  it('keeps a placeholder usable many times', () => {
    const { condition } = compileExpressions({
      ConditionExpression: '#a = :v OR #a.#a = :v',
      ExpressionAttributeNames: { '#a': 'x' },
      ExpressionAttributeValues: { ':v': { N: '1' } },
    });
    expect(condition).toEqual({
      kind: 'or',
      left: {
        kind: 'comparison',
        operator: '=',
        left: { kind: 'path', path: ['x'] },
        right: { kind: 'value', value: { N: '1' } },
      },
      right: {
        kind: 'comparison',
        operator: '=',
        left: { kind: 'path', path: ['x', 'x'] },
        right: { kind: 'value', value: { N: '1' } },
      },
    });
  });
});
