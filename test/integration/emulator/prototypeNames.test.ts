import {
  CreateTableCommand,
  DeleteItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { streamRecords } from '../../helpers/streamRecords.js';

/**
 * Attribute names are any UTF-8 text (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html):
 * `__proto__`, `constructor` and `toString` are names like any other, as table keys, index keys and in every
 * answer. Objects are built with computed keys (`{ [name]: … }`), which define an own property even for
 * `__proto__`. The SDK sends such names as they are; its deserializer drops the value of a `__proto__` member
 * it receives, so answers that must show one are read raw.
 */
let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const raw = async (target: string, body: unknown): Promise<Record<string, unknown>> => {
  const response = await fetch(h.running.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${target}` },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`${target}: ${JSON.stringify(parsed)}`);
  return parsed;
};

/** An object with one own property `name`, even when `name` is `__proto__`. */
const own = <T>(name: string, value: T): Record<string, T> => ({ [name]: value });

describe.each(['__proto__', 'constructor', 'toString'])('the attribute name %s', (name) => {
  const table = `keyed-${name}`;
  const indexed = `indexed-${name}`;

  it('can key a table: written, read, updated, queried and deleted through the SDK, with stream keys', async () => {
    const { TableDescription } = await h.dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: name, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: name, KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    const key = own(name, { S: 'k1' });
    await h.dynamodb.send(new PutItemCommand({ TableName: table, Item: { ...key, v: { N: '1' } } }));
    await h.dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { N: '2' } },
      }),
    );
    const { Count } = await h.dynamodb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': name },
        ExpressionAttributeValues: { ':k': { S: 'k1' } },
      }),
    );
    expect(Count).toBe(1);
    expect(await raw('GetItem', { TableName: table, Key: key })).toEqual({
      Item: { ...key, v: { N: '2' } },
    });
    await h.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: key }));
    expect(await raw('GetItem', { TableName: table, Key: key })).toEqual({});
    const records = await streamRecords(h.streams, TableDescription?.LatestStreamArn as string);
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    for (const record of records) expect(Object.keys(record.dynamodb?.Keys ?? {})).toEqual([name]);
  });

  it('can key a global secondary index', async () => {
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: indexed,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: name, AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byName',
            KeySchema: [{ AttributeName: name, KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    await h.dynamodb.send(
      new PutItemCommand({ TableName: indexed, Item: { pk: { S: '1' }, ...own(name, { S: 'g' }) } }),
    );
    const { Count } = await h.dynamodb.send(
      new QueryCommand({
        TableName: indexed,
        IndexName: 'byName',
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': name },
        ExpressionAttributeValues: { ':k': { S: 'g' } },
      }),
    );
    expect(Count).toBe(1);
  });

  it('is returned by ReturnValues UPDATED_OLD and UPDATED_NEW', async () => {
    await h.dynamodb.send(
      new PutItemCommand({ TableName: indexed, Item: { pk: { S: '2' }, ...own(name, { S: 'old' }) } }),
    );
    const update = (value: string, returnValues: string) =>
      raw('UpdateItem', {
        TableName: indexed,
        Key: { pk: { S: '2' } },
        UpdateExpression: 'SET #n = :v',
        ExpressionAttributeNames: { '#n': name },
        ExpressionAttributeValues: { ':v': { S: value } },
        ReturnValues: returnValues,
      });
    expect(await update('new', 'UPDATED_OLD')).toEqual({ Attributes: own(name, { S: 'old' }) });
    expect(await update('newer', 'UPDATED_NEW')).toEqual({ Attributes: own(name, { S: 'newer' }) });
  });

  it('is returned by PartiQL RETURNING MODIFIED OLD and MODIFIED NEW', async () => {
    const statement = (value: string, returning: string) =>
      raw('ExecuteStatement', {
        Statement: `UPDATE "${indexed}" SET "${name}" = '${value}' WHERE pk = '2' RETURNING ${returning} *`,
      });
    expect(await statement('m1', 'MODIFIED OLD')).toEqual({ Items: [own(name, { S: 'newer' })] });
    expect(await statement('m2', 'MODIFIED NEW')).toEqual({ Items: [own(name, { S: 'm2' })] });
  });
});
