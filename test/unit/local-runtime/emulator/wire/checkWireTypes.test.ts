import { describe, expect, it } from 'vitest';
import { checkNesting } from '../../../../../local-runtime/emulator/dynamodb/attributes/checkNesting.js';
import { AwsServiceError } from '../../../../../local-runtime/emulator/errors.js';
import { OPERATIONS } from '../../../../../local-runtime/emulator/operations.js';
import { checkWireTypes, inputCheckFor } from '../../../../../local-runtime/emulator/wire/checkWireTypes.js';
import { MAX_JSON_NESTING, nestsDeeperThan } from '../../../../../local-runtime/emulator/wire/jsonNesting.js';

const thrown = (action: () => unknown): AwsServiceError => {
  try {
    action();
  } catch (error) {
    if (error instanceof AwsServiceError) return error;
    throw error;
  }
  throw new Error('expected an AwsServiceError');
};

const serialization = (target: string, input: Record<string, unknown>): string => {
  const error = thrown(() => checkWireTypes(target, input));
  expect(error.name).toBe('SerializationException');
  expect(error.namespace).toBe('com.amazon.coral.service');
  return error.message;
};

/** An attribute value nested `levels` deep: `levels` 1 is a plain string. */
const nested = (levels: number, container: 'M' | 'L' = 'M'): unknown => {
  let value: unknown = { S: 'x' };
  for (let i = 1; i < levels; i += 1) value = container === 'M' ? { M: { a: value } } : { L: [value] };
  return value;
};

describe('the wire check of AWS service model shapes', () => {
  it('has the input shape of every operation the emulator serves, from the SDK service models', () => {
    const targets = Object.entries(OPERATIONS).flatMap(([service, operations]) =>
      Object.keys(operations).map((name) => `${service}.${name}`),
    );
    expect(targets.length).toBeGreaterThanOrEqual(29);
    const missing = targets.filter((target) => inputCheckFor(target) === undefined);
    expect(missing).toEqual([]);
  });

  it('passes targets the models do not have (the control surface) unchecked', () => {
    expect(inputCheckFor('EddyControl.RollOver')).toBeUndefined();
    expect(() => checkWireTypes('EddyControl.RollOver', { Milliseconds: 'x' })).not.toThrow();
  });

  it('words scalar mismatches as dynalite records DynamoDB answering them', () => {
    const put = 'DynamoDB_20120810.PutItem';
    expect(serialization(put, { TableName: 1 })).toBe('NUMBER_VALUE cannot be converted to String');
    expect(serialization(put, { TableName: 1.5 })).toBe('DECIMAL_VALUE cannot be converted to String');
    expect(serialization(put, { TableName: true })).toBe('TRUE_VALUE cannot be converted to String');
    expect(serialization(put, { TableName: { toString: 1 } })).toBe(
      'Start of structure or map found where not expected.',
    );
    expect(serialization(put, { TableName: ['t'] })).toBe('Start of list found where not expected');
    expect(serialization(put, { TableName: 't', Item: 'x' })).toBe('Unexpected field type');
    expect(serialization(put, { TableName: 't', Item: [] })).toBe('Start of list found where not expected');
    expect(serialization(put, { TableName: 't', Item: { a: 'x' } })).toBe('Unexpected value type in payload');
    expect(serialization(put, { TableName: 't', Item: { a: { B: 5 } } })).toBe(
      'only base-64-encoded strings are convertible to bytes',
    );
    expect(serialization(put, { TableName: 't', Item: { a: { SS: 'x' } } })).toBe('Unexpected field type');
    expect(serialization(put, { TableName: 't', Item: { a: { SS: [1] } } })).toBe(
      'NUMBER_VALUE cannot be converted to String',
    );
    expect(serialization('DynamoDB_20120810.Query', { TableName: 't', Limit: '5' })).toBe(
      'class java.lang.String can not be converted to an Integer',
    );
    expect(
      serialization('DynamoDB_20120810.CreateTable', {
        TableName: 't',
        ProvisionedThroughput: { ReadCapacityUnits: true },
      }),
    ).toBe('class java.lang.Boolean can not be converted to an Long');
    expect(serialization('DynamoDB_20120810.Scan', { TableName: 't', ConsistentRead: 1 })).toBe(
      'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean',
    );
    expect(serialization('DynamoDB_20120810.Scan', { TableName: 't', ConsistentRead: 'maybe' })).toBe(
      "'maybe' can not be converted to an Boolean",
    );
  });

  it('checks the DynamoDB Streams operations too', () => {
    expect(serialization('DynamoDBStreams_20120810.GetRecords', { ShardIterator: 5 })).toBe(
      'NUMBER_VALUE cannot be converted to String',
    );
    expect(serialization('DynamoDBStreams_20120810.DescribeStream', { StreamArn: 'a', ShardFilter: 5 })).toBe(
      'Unexpected field type',
    );
    expect(serialization('DynamoDBStreams_20120810.ListStreams', { Limit: 'x' })).toBe(
      'class java.lang.String can not be converted to an Integer',
    );
  });

  it('removes members sent as null and reads boolean words as booleans, in place', () => {
    const input: Record<string, unknown> = {
      TableName: 't',
      ExpressionAttributeValues: null,
      ConsistentRead: 'yes',
      Unknown: { toString: 1 },
    };
    checkWireTypes('DynamoDB_20120810.Scan', input);
    expect(input).toEqual({ TableName: 't', ConsistentRead: true, Unknown: { toString: 1 } });
    expect(Object.hasOwn(input, 'ExpressionAttributeValues')).toBe(false);
  });

  it('ignores members the model does not declare, as DynamoDB does', () => {
    expect(() =>
      checkWireTypes('DynamoDB_20120810.GetItem', { TableName: 't', Key: {}, Extra: [[[1]]] }),
    ).not.toThrow();
  });

  it('refuses attribute values nested beyond 32 levels, wherever they are sent', () => {
    const ok = { TableName: 't', Item: { a: nested(32), b: nested(32, 'L') } };
    expect(() => checkWireTypes('DynamoDB_20120810.PutItem', ok)).not.toThrow();
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'DynamoDB_20120810.PutItem',
        { TableName: 't', Item: { a: nested(33) } },
        'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
      ],
      [
        'DynamoDB_20120810.BatchWriteItem',
        { RequestItems: { t: [{ PutRequest: { Item: { a: nested(33, 'L') } } }] } },
        'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
      ],
      [
        'DynamoDB_20120810.TransactWriteItems',
        { TransactItems: [{ Put: { TableName: 't', Item: { a: nested(2000) } } }] },
        'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
      ],
      [
        'DynamoDB_20120810.UpdateItem',
        { TableName: 't', Key: {}, ExpressionAttributeValues: { ':v': nested(33) } },
        'Nesting Levels have exceeded supported limits',
      ],
      [
        'DynamoDB_20120810.ExecuteStatement',
        { Statement: 'x', Parameters: [nested(33)] },
        'Nesting Levels have exceeded supported limits',
      ],
      [
        'DynamoDB_20120810.GetItem',
        { TableName: 't', Key: { k: nested(100) } },
        'Nesting Levels have exceeded supported limits',
      ],
    ];
    for (const [target, input, message] of cases) {
      const error = thrown(() => checkWireTypes(target, input));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe(message);
    }
  });
});

describe('nestsDeeperThan', () => {
  it('counts brackets and braces outside strings only', () => {
    expect(nestsDeeperThan(Buffer.from('[[[1]]]'), 3)).toBe(false);
    expect(nestsDeeperThan(Buffer.from('[[[[1]]]]'), 3)).toBe(true);
    expect(nestsDeeperThan(Buffer.from('{"a":"[[[[[[\\"[[[[["}'), 3)).toBe(false);
    expect(nestsDeeperThan(Buffer.from('[{},{},{},[],[]]'), 2)).toBe(false);
  });

  it('refuses a 16 MiB body of brackets after reading only the first levels', () => {
    const body = Buffer.alloc(16 * 1024 * 1024, '[');
    expect(nestsDeeperThan(body)).toBe(true);
    expect(
      nestsDeeperThan(Buffer.from(`${'['.repeat(MAX_JSON_NESTING)}${']'.repeat(MAX_JSON_NESTING)}`)),
    ).toBe(false);
  });
});

describe('checkNesting', () => {
  it('walks items of any depth without recursion, refusing past 32 levels', () => {
    expect(() => checkNesting({ a: nested(32), b: nested(32, 'L') }, true)).not.toThrow();
    expect(() => checkNesting({ a: nested(33) }, false)).toThrow(
      'Nesting Levels have exceeded supported limits',
    );
    expect(() => checkNesting({ a: nested(100_000, 'L') }, true)).toThrow(
      'Attributes in the item have nested levels beyond supported limit',
    );
    expect(() => checkNesting({ a: { M: {} }, b: { L: [] }, c: { S: 'x' } }, true)).not.toThrow();
  });
});
