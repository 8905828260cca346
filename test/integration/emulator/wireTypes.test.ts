import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { createStreamTable, streamRecords } from '../../helpers/streamRecords.js';

/**
 * Request bodies of the wrong JSON type, sent by hand: the SDK checks types before sending, so only a raw body
 * reaches the emulator's reader. DynamoDB answers a type that does not fit the operation's shape (AWS's service
 * model, as the SDK ships it) with a SerializationException, worded as dynalite records DynamoDB's answers
 * (node_modules/dynalite/validations/index.js), never with a 500.
 */
let h: EmulatorHarness;
let streamArn: string;
beforeAll(async () => {
  h = await startHarness();
  streamArn = await createStreamTable(h.dynamodb, 'wire');
});
afterAll(() => h.close());

const post = async (target: string, body: string | Uint8Array) => {
  const response = await fetch(h.running.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': target.includes('.') ? target : `DynamoDB_20120810.${target}`,
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const serialization = (message: string) => ({
  status: 400,
  body: { __type: 'com.amazon.coral.service#SerializationException', message },
});

const validation = (message: string) => ({
  status: 400,
  body: { __type: 'com.amazon.coral.validate#ValidationException', message },
});

describe('wire types from AWS service model', () => {
  const cases: [string, unknown, string][] = [
    // Strings
    ['PutItem', { TableName: 1, Item: { pk: { S: 'a' } } }, 'NUMBER_VALUE cannot be converted to String'],
    ['GetItem', { TableName: false, Key: {} }, 'FALSE_VALUE cannot be converted to String'],
    [
      'DeleteItem',
      { TableName: { toString: 1 }, Key: {} },
      'Start of structure or map found where not expected.',
    ],
    ['DescribeTable', { TableName: ['wire'] }, 'Start of list found where not expected'],
    ['ExecuteStatement', { Statement: ['x'] }, 'Start of list found where not expected'],
    ['Query', { TableName: 'wire', KeyConditionExpression: 7 }, 'NUMBER_VALUE cannot be converted to String'],
    [
      'UpdateTimeToLive',
      { TableName: 'wire', TimeToLiveSpecification: { AttributeName: 2.5 } },
      'DECIMAL_VALUE cannot be converted to String',
    ],
    // Lists
    ['TransactWriteItems', { TransactItems: 'x' }, 'Unexpected field type'],
    ['TransactWriteItems', { TransactItems: ['x'] }, 'Unexpected field type'],
    ['TransactGetItems', { TransactItems: {} }, 'Start of structure or map found where not expected.'],
    ['BatchExecuteStatement', { Statements: 5 }, 'Unexpected field type'],
    [
      'ExecuteTransaction',
      { TransactStatements: [{ Statement: 'x', Parameters: {} }] },
      'Start of structure or map found where not expected.',
    ],
    ['UntagResource', { ResourceArn: 'x', TagKeys: [1] }, 'NUMBER_VALUE cannot be converted to String'],
    // Maps and structures
    ['BatchGetItem', { RequestItems: [] }, 'Start of list found where not expected'],
    ['BatchWriteItem', { RequestItems: { wire: [{ PutRequest: 'x' }] } }, 'Unexpected field type'],
    [
      'Scan',
      { TableName: 'wire', ExpressionAttributeNames: { '#a': 1 } },
      'NUMBER_VALUE cannot be converted to String',
    ],
    ['CreateTable', { TableName: 'x', StreamSpecification: [] }, 'Start of list found where not expected'],
    [
      'UpdateTable',
      { TableName: 'wire', GlobalSecondaryIndexUpdates: [{ Create: true }] },
      'Unexpected field type',
    ],
    [
      'TagResource',
      { ResourceArn: 'x', Tags: [{ Key: 'k', Value: {} }] },
      'Start of structure or map found where not expected.',
    ],
    // Attribute values
    ['PutItem', { TableName: 'wire', Item: { pk: 'a' } }, 'Unexpected value type in payload'],
    ['PutItem', { TableName: 'wire', Item: { pk: { S: 1 } } }, 'NUMBER_VALUE cannot be converted to String'],
    [
      'PutItem',
      { TableName: 'wire', Item: { pk: { S: 'a' }, b: { B: true } } },
      'only base-64-encoded strings are convertible to bytes',
    ],
    [
      'PutItem',
      { TableName: 'wire', Item: { pk: { S: 'a' }, l: { L: {} } } },
      'Start of structure or map found where not expected.',
    ],
    [
      'PutItem',
      { TableName: 'wire', Item: { pk: { S: 'a' }, m: { M: [] } } },
      'Start of list found where not expected',
    ],
    [
      'UpdateItem',
      { TableName: 'wire', Key: { pk: { S: 'a' } }, ExpressionAttributeValues: { ':v': [] } },
      'Start of list found where not expected',
    ],
    // Numbers and booleans
    [
      'Scan',
      { TableName: 'wire', Limit: 'ten' },
      'class java.lang.String can not be converted to an Integer',
    ],
    [
      'Scan',
      { TableName: 'wire', Segment: true },
      'class java.lang.Boolean can not be converted to an Integer',
    ],
    [
      'GetItem',
      { TableName: 'wire', Key: {}, ConsistentRead: 1 },
      'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean',
    ],
    ['ListTables', { Limit: [] }, 'Start of list found where not expected'],
    // DynamoDB Streams
    [
      'DynamoDBStreams_20120810.GetRecords',
      { ShardIterator: 5 },
      'NUMBER_VALUE cannot be converted to String',
    ],
    [
      'DynamoDBStreams_20120810.GetShardIterator',
      { StreamArn: 1, ShardId: 's', ShardIteratorType: 'LATEST' },
      'NUMBER_VALUE cannot be converted to String',
    ],
    [
      'DynamoDBStreams_20120810.DescribeStream',
      { StreamArn: 'x', ShardFilter: 'CHILD_SHARDS' },
      'Unexpected field type',
    ],
    [
      'DynamoDBStreams_20120810.DescribeStream',
      { StreamArn: 'x', ShardFilter: { Type: 1 } },
      'NUMBER_VALUE cannot be converted to String',
    ],
    [
      'DynamoDBStreams_20120810.ListStreams',
      { TableName: {} },
      'Start of structure or map found where not expected.',
    ],
  ];

  it.each(cases)('%s %j is a SerializationException', async (target, body, message) => {
    expect(await post(target, JSON.stringify(body))).toEqual(serialization(message));
  });

  it('treats a member sent as null as absent, as DynamoDB Local does', async () => {
    expect(
      await post(
        'PutItem',
        JSON.stringify({ TableName: 'wire', Item: { pk: { S: 'null' } }, ExpressionAttributeValues: null }),
      ),
    ).toEqual({ status: 200, body: {} });
    expect(
      await post(
        'DynamoDBStreams_20120810.DescribeStream',
        JSON.stringify({ StreamArn: streamArn, ShardFilter: null }),
      ),
    ).toMatchObject({ status: 200, body: { StreamDescription: { StreamArn: streamArn } } });
    expect((await post('Scan', JSON.stringify({ TableName: 'wire', Limit: null }))).status).toBe(200);
  });

  it('refuses a body that is not UTF-8 as malformed, rather than decoding it with replacement characters', async () => {
    // A 0xFF byte inside a member name (found by the fuzz suite): decoded with U+FFFD, the name would be unknown
    // and ignored. DynamoDB's JSON parser refuses bytes that are not UTF-8.
    const body = Buffer.concat([
      Buffer.from('{"TableName":"wire","Item":{"pk":{"S":"utf8"}},"ReturnVa'),
      Buffer.from([0xff]),
      Buffer.from('ues":"ALL_OLD"}'),
    ]);
    const answer = await post('PutItem', body);
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe('com.amazon.coral.service#SerializationException');
    expect(await post('GetItem', '{"TableName":"wire","Key":{"pk":{"S":"utf8"}}}')).toEqual({
      status: 200,
      body: {},
    });
  });

  it('ignores members the model does not declare, even ones named toString or __proto__', async () => {
    const body =
      '{"TableName":"wire","Item":{"pk":{"S":"extra"}},"toString":1,"__proto__":{"x":[1]},"Extra":[[{}]]}';
    expect(await post('PutItem', body)).toEqual({ status: 200, body: {} });
  });

  it('stores attribute names toString, valueOf, constructor and __proto__ as plain data', async () => {
    const body =
      '{"TableName":"wire","Item":{"pk":{"S":"names"},"toString":{"S":"1"},"valueOf":{"N":"2"},"constructor":{"BOOL":true},"__proto__":{"M":{"toString":{"NULL":true}}}}}';
    expect(await post('PutItem', body)).toEqual({ status: 200, body: {} });
    // Read raw: the SDK's own deserializer assigns members, which drops a `__proto__` attribute on the client.
    const read = await post('GetItem', JSON.stringify({ TableName: 'wire', Key: { pk: { S: 'names' } } }));
    expect(read.body).toEqual(
      JSON.parse(
        '{"Item":{"pk":{"S":"names"},"toString":{"S":"1"},"valueOf":{"N":"2"},"constructor":{"BOOL":true},"__proto__":{"M":{"toString":{"NULL":true}}}}}',
      ),
    );
    expect(Object.keys(read.body.Item as object)).toContain('__proto__');
  });

  it('answers an attribute value carrying a toString member with a 400, not a 500', async () => {
    const response = await post(
      'PutItem',
      '{"TableName":"wire","Item":{"pk":{"S":"a","toString":{"S":"b"}}}}',
    );
    expect(response).toEqual(
      validation(
        'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
      ),
    );
  });

  it('refuses a wrong type before any effect: nothing is stored and no stream record written', async () => {
    const before = (await streamRecords(h.streams, streamArn)).length;
    const body = { TableName: 'wire', Item: { pk: { S: 'never' } }, ReturnValues: 5 };
    expect(await post('PutItem', JSON.stringify(body))).toEqual(
      serialization('NUMBER_VALUE cannot be converted to String'),
    );
    const { Item } = await h.dynamodb.send(
      new GetItemCommand({ TableName: 'wire', Key: { pk: { S: 'never' } } }),
    );
    expect(Item).toBeUndefined();
    expect(await streamRecords(h.streams, streamArn)).toHaveLength(before);
  });
});
