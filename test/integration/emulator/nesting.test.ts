import {
  type AttributeValue,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAwsError } from '../../helpers/awsError.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { createStreamTable, streamRecords } from '../../helpers/streamRecords.js';

/**
 * DynamoDB nests attribute values at most 32 levels deep
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html, "Nested attribute
 * depth"); the messages are DynamoDB Local 3.x's. Every recursive walk of a request (validation, item size,
 * comparison, cloning, change capture, serialization) meets at most that depth, and parsers refuse nesting
 * that could exhaust the stack with a ValidationException, never a 500.
 */
let h: EmulatorHarness;
let streamArn: string;
beforeAll(async () => {
  h = await startHarness();
  streamArn = await createStreamTable(h.dynamodb, 'deep');
});
afterAll(() => h.close());

const ITEM_TOO_DEEP =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
const TOO_DEEP = 'Nesting Levels have exceeded supported limits';

/** An attribute value `levels` deep: 1 is a plain string, each further level an `M` (or `L`) around it. */
const nested = (levels: number, container: 'M' | 'L' = 'M'): AttributeValue => {
  let value: AttributeValue = { S: 'leaf' };
  for (let i = 1; i < levels; i += 1) value = container === 'M' ? { M: { a: value } } : { L: [value] };
  return value;
};

const post = async (target: string, body: string) => {
  const response = await fetch(h.running.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${target}` },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('attribute nesting', () => {
  it('stores, reads, compares, updates and streams an item nested the full 32 levels', async () => {
    const deep = nested(32);
    const list = nested(32, 'L');
    await h.dynamodb.send(
      new PutItemCommand({ TableName: 'deep', Item: { pk: { S: 'max' }, d: deep, l: list } }),
    );
    const { Item } = await h.dynamodb.send(
      new GetItemCommand({ TableName: 'deep', Key: { pk: { S: 'max' } }, ConsistentRead: true }),
    );
    expect(Item).toEqual({ pk: { S: 'max' }, d: deep, l: list });
    // compareValues: a condition on the whole deep value; cloneValue and captureChange: ALL_OLD and the stream.
    const updated = await h.dynamodb.send(
      new UpdateItemCommand({
        TableName: 'deep',
        Key: { pk: { S: 'max' } },
        UpdateExpression: 'SET c = :d',
        ConditionExpression: 'd = :d AND l = :l',
        ExpressionAttributeValues: { ':d': deep, ':l': list },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(updated.Attributes?.c).toEqual(deep);
    const { Items } = await h.dynamodb.send(
      new QueryCommand({
        TableName: 'deep',
        KeyConditionExpression: 'pk = :k',
        FilterExpression: 'c = :d',
        ExpressionAttributeValues: { ':k': { S: 'max' }, ':d': deep },
      }),
    );
    expect(Items).toHaveLength(1);
    const records = await streamRecords(h.streams, streamArn);
    expect(records.at(-1)?.dynamodb?.NewImage?.c).toEqual(deep);
  });

  it.each([
    ['M', 33],
    ['L', 33],
    ['M', 2000],
  ] as const)('refuses a PutItem item nested in %s %i levels deep', async (container, levels) => {
    // Sent raw: the SDK's own serializer recurses and overflows on thousands of levels.
    const body = { TableName: 'deep', Item: { pk: { S: 'x' }, d: nested(levels, container) } };
    expect(await post('PutItem', JSON.stringify(body))).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.validate#ValidationException', message: ITEM_TOO_DEEP },
    });
  });

  it('refuses over-deep items in batches and transactions, and over-deep values anywhere else', async () => {
    const over = nested(33);
    await expectAwsError(
      h.dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: 'deep', Item: { pk: { S: 'x' }, d: over } } }],
        }),
      ),
      'ValidationException',
      ITEM_TOO_DEEP,
    );
    await expectAwsError(
      h.dynamodb.send(
        new UpdateItemCommand({
          TableName: 'deep',
          Key: { pk: { S: 'x' } },
          UpdateExpression: 'SET d = :v',
          ExpressionAttributeValues: { ':v': over },
        }),
      ),
      'ValidationException',
      TOO_DEEP,
    );
    const scan = {
      TableName: 'deep',
      FilterExpression: 'd = :v',
      ExpressionAttributeValues: { ':v': nested(1000, 'L') },
    };
    expect(await post('Scan', JSON.stringify(scan))).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.validate#ValidationException', message: TOO_DEEP },
    });
    await expectAwsError(
      h.dynamodb.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM deep', Parameters: [over] })),
      'ValidationException',
      TOO_DEEP,
    );
  });

  it('refuses an update that would nest the stored item beyond 32 levels', async () => {
    await h.dynamodb.send(
      new PutItemCommand({ TableName: 'deep', Item: { pk: { S: 'grow' }, d: nested(31) } }),
    );
    const path = `d${'.a'.repeat(20)}`;
    const update = (levels: number) =>
      h.dynamodb.send(
        new UpdateItemCommand({
          TableName: 'deep',
          Key: { pk: { S: 'grow' } },
          UpdateExpression: `SET ${path} = :v`,
          ExpressionAttributeValues: { ':v': nested(levels) },
        }),
      );
    await update(12); // level 21 holds 12 levels: 32 in all
    await expectAwsError(update(13), 'ValidationException', TOO_DEEP);
  });

  it('refuses a PartiQL INSERT or UPDATE whose literals nest beyond 32 levels', async () => {
    const literal = (levels: number) => `${"{'a':".repeat(levels - 1)}'leaf'${'}'.repeat(levels - 1)}`;
    await h.dynamodb.send(
      new ExecuteStatementCommand({ Statement: `INSERT INTO deep VALUE {'pk':'ok','d':${literal(32)}}` }),
    );
    await expectAwsError(
      h.dynamodb.send(
        new ExecuteStatementCommand({ Statement: `INSERT INTO deep VALUE {'pk':'no','d':${literal(33)}}` }),
      ),
      'ValidationException',
      ITEM_TOO_DEEP,
    );
    await expectAwsError(
      h.dynamodb.send(
        new ExecuteStatementCommand({
          Statement: `UPDATE deep SET d.a.a = ${literal(31)} WHERE pk = 'ok'`,
        }),
      ),
      'ValidationException',
      TOO_DEEP,
    );
  });
});

describe('request bodies nested beyond any valid request', () => {
  it('refuses a 16 MiB body of brackets as malformed JSON, before parsing it', async () => {
    const body = `{"TableName":"deep","Item":${'['.repeat(16 * 1024 * 1024 - 40)}`;
    expect(await post('PutItem', body)).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.service#SerializationException' },
    });
  });

  it('ignores a deep value in a member the model does not declare, as DynamoDB does', async () => {
    const deep = `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`;
    expect(
      await post('PutItem', `{"TableName":"deep","Item":{"pk":{"S":"ignored"}},"Extra":${deep}}`),
    ).toEqual({
      status: 200,
      body: {},
    });
  });
});

describe('expression nesting (DynamoDB documents no limit but the 4 KB expression size)', () => {
  const parens = (levels: number, inner: string) => `${'('.repeat(levels)}${inner}${')'.repeat(levels)}`;
  /** Non-redundant nesting: `(a = :v AND (a = :v AND (…)))`. */
  const chained = (levels: number) => `${'(a = :v AND '.repeat(levels)}a = :v${')'.repeat(levels)}`;

  it('evaluates a condition nested 100 levels deep', async () => {
    const { Items } = await h.dynamodb.send(
      new ScanCommand({
        TableName: 'deep',
        FilterExpression: chained(100),
        ExpressionAttributeValues: { ':v': { S: 'nothing' } },
      }),
    );
    expect(Items).toEqual([]);
  });

  it.each([
    ['ConditionExpression', 'DeleteItem'],
    ['FilterExpression', 'Scan'],
  ])('refuses a %s nested beyond 256 levels with a ValidationException', async (member, target) => {
    for (const expression of [chained(300), parens(2000, 'a = :v'), `${'NOT '.repeat(1000)}a = :v`]) {
      const response = await post(
        target,
        JSON.stringify({
          TableName: 'deep',
          Key: { pk: { S: 'x' } },
          [member]: expression,
          ExpressionAttributeValues: { ':v': { S: '1' } },
        }),
      );
      expect(response.status).toBe(400);
      expect(response.body.__type).toBe('com.amazon.coral.validate#ValidationException');
      expect(String(response.body.message)).toMatch(new RegExp(`^Invalid ${member}: `));
    }
  });

  it('refuses an UpdateExpression or KeyConditionExpression nested beyond 256 levels', async () => {
    const update = await post(
      'UpdateItem',
      JSON.stringify({
        TableName: 'deep',
        Key: { pk: { S: 'x' } },
        UpdateExpression: `SET a = ${'size('.repeat(300)}:v${')'.repeat(300)}`,
        ExpressionAttributeValues: { ':v': { L: [] } },
      }),
    );
    expect(update).toEqual({
      status: 400,
      body: {
        __type: 'com.amazon.coral.validate#ValidationException',
        message: 'Invalid UpdateExpression: The expression has too many nesting levels; nesting levels: 257',
      },
    });
    const query = await post(
      'Query',
      JSON.stringify({
        TableName: 'deep',
        KeyConditionExpression: parens(1500, 'pk = :v'),
        ExpressionAttributeValues: { ':v': { S: '1' } },
      }),
    );
    expect(query.status).toBe(400);
    expect(query.body.__type).toBe('com.amazon.coral.validate#ValidationException');
  });
});

describe('PartiQL nesting (DynamoDB documents no limit; DynamoDB Local overflows at 1,000 parentheses)', () => {
  const malformed = (statement: string) => ({
    status: 400,
    body: {
      __type: 'com.amazon.coral.validate#ValidationException',
      message: `Statement wasn't well formed, can't be processed: ${statement}`,
    },
  });

  it.each([
    ['parentheses', `SELECT * FROM deep WHERE ${'('.repeat(1000)}pk = 'k'${')'.repeat(1000)}`],
    ['lists', `SELECT * FROM deep WHERE pk = ${'['.repeat(1000)}1${']'.repeat(1000)}`],
    ['tuples', `INSERT INTO deep VALUE {'pk':'z','d':${"{'a':".repeat(1000)}1${'}'.repeat(1000)}}`],
    ['NOTs', `SELECT * FROM deep WHERE pk = 'k' AND ${'NOT '.repeat(1000)}a = 1`],
  ])('refuses %s nested 1,000 deep as a malformed statement', async (_, statement) => {
    expect(await post('ExecuteStatement', JSON.stringify({ Statement: statement }))).toEqual(
      malformed(statement),
    );
  });
});
