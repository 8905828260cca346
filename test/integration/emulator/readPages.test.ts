import {
  type AttributeValue,
  BatchWriteItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributeMap } from '../../../src/records/attributeValue.js';
import { itemSize } from '../../../src/records/itemSize.js';
import { expectAwsError } from '../../helpers/awsError.js';
import { createTable } from '../../helpers/createTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

/*
 * Query and Scan pages: resuming a Query of a table without a sort key, pages of many small rows, and the
 * ConsumedCapacity of a page ("DynamoDB computes the total size of all items and then rounds up to the next
 * 4 KB boundary", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html).
 */

type Item = Record<string, AttributeValue>;

let h: EmulatorHarness;
const TINY_ROWS = 25_000;

beforeAll(async () => {
  h = await startHarness();
  // `people`: keyed by id alone, with a global index on team (no sort key either).
  await createTable(
    h.dynamodb,
    'people',
    { id: 'S' },
    { global: { byTeam: { key: { team: 'S' }, projection: { ProjectionType: 'ALL' } } } },
  );
  for (const [id, team] of [
    ['p1', 'red'],
    ['p2', 'red'],
    ['p3', 'blue'],
  ] as const) {
    await h.dynamodb.send(
      new PutItemCommand({ TableName: 'people', Item: { id: { S: id }, team: { S: team } } }),
    );
  }
  // `tiny`: one partition of 25 000 rows of about 50 bytes each.
  await createTable(h.dynamodb, 'tiny', { pk: 'S', sk: 'N' });
  const puts: Promise<unknown>[] = [];
  for (let first = 0; first < TINY_ROWS; first += 25) {
    const batch = Array.from({ length: 25 }, (_, i) => ({
      PutRequest: { Item: tinyRow(first + i) },
    }));
    puts.push(h.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { tiny: batch } })));
    if (puts.length === 16) await Promise.all(puts.splice(0));
  }
  await Promise.all(puts);
}, 120_000);
afterAll(() => h.close());

const tinyRow = (n: number) => ({ pk: { S: 'p' }, sk: { N: String(n) }, v: { S: 'x'.repeat(40) } });

/** Read units of an eventually consistent page of rows first..first+count-1: their total size, rounded once. */
const unitsFor = (first: number, count: number) => {
  let bytes = 0;
  for (let n = first; n < first + count; n += 1) bytes += itemSize(tinyRow(n) satisfies AttributeMap);
  return Math.ceil(bytes / 4096) / 2;
};

const query = (input: Partial<QueryCommandInput>): Promise<QueryCommandOutput> =>
  h.dynamodb.send(new QueryCommand({ TableName: 'people', ...input } as QueryCommandInput));

const byId = (id: string) => ({
  KeyConditionExpression: 'id = :id',
  ExpressionAttributeValues: { ':id': { S: id } },
});

describe('Query of a table without a sort key', () => {
  it('is complete at Limit 1: the one item, no LastEvaluatedKey (undocumented by AWS; DynamoDB Local answers)', async () => {
    const page = await query({ ...byId('p1'), Limit: 1 });
    expect(page.Items).toEqual([{ id: { S: 'p1' }, team: { S: 'red' } }]);
    expect(page.LastEvaluatedKey).toBeUndefined();
    const counted = await query({ ...byId('p1'), Limit: 1, Select: 'COUNT' });
    expect(counted).toMatchObject({ Count: 1, ScannedCount: 1 });
    expect(counted.LastEvaluatedKey).toBeUndefined();
  });

  it('resumes after its own key with an empty page (the ExclusiveStartKey names the partition)', async () => {
    const page = await query({ ...byId('p1'), ExclusiveStartKey: { id: { S: 'p1' } } });
    expect(page).toMatchObject({ Items: [], Count: 0, ScannedCount: 0 });
    expect(page.LastEvaluatedKey).toBeUndefined();
  });

  it('pages a global index without a sort key: many items per key, so LastEvaluatedKey holds both keys', async () => {
    const index = {
      IndexName: 'byTeam',
      KeyConditionExpression: 'team = :t',
      ExpressionAttributeValues: { ':t': { S: 'red' } },
    };
    const first = await query({ ...index, Limit: 1 });
    expect(first.Items).toHaveLength(1);
    const firstItem = first.Items?.[0] as Item;
    expect(first.LastEvaluatedKey).toEqual({ id: firstItem.id, team: { S: 'red' } });
    const second = await query({ ...index, ExclusiveStartKey: first.LastEvaluatedKey });
    expect([...(first.Items ?? []), ...(second.Items ?? [])].map((i) => i.id?.S).sort()).toEqual([
      'p1',
      'p2',
    ]);
    expect(second.LastEvaluatedKey).toBeUndefined();
  });

  // DynamoDB's messages for ExclusiveStartKey, as dynalite's test suite recorded them from DynamoDB.
  it.each<[string, Partial<QueryCommandInput>, string]>([
    [
      'an ExclusiveStartKey of another partition',
      { ...byId('p1'), ExclusiveStartKey: { id: { S: 'p2' } } },
      'The provided starting key is outside query boundaries based on provided conditions',
    ],
    [
      'an ExclusiveStartKey with an attribute beyond the key',
      { ...byId('p1'), ExclusiveStartKey: { id: { S: 'p1' }, team: { S: 'red' } } },
      'The provided starting key is invalid',
    ],
    [
      'an ExclusiveStartKey naming another attribute',
      { ...byId('p1'), ExclusiveStartKey: { team: { S: 'red' } } },
      'The provided starting key is invalid',
    ],
    [
      'an ExclusiveStartKey of the wrong type',
      { ...byId('p1'), ExclusiveStartKey: { id: { N: '1' } } },
      'The provided key element does not match the schema',
    ],
    [
      'an index ExclusiveStartKey without the index key',
      {
        IndexName: 'byTeam',
        KeyConditionExpression: 'team = :t',
        ExpressionAttributeValues: { ':t': { S: 'red' } },
        ExclusiveStartKey: { id: { S: 'p1' } },
      },
      'The provided starting key is invalid',
    ],
    [
      'an index ExclusiveStartKey outside the index partition',
      {
        IndexName: 'byTeam',
        KeyConditionExpression: 'team = :t',
        ExpressionAttributeValues: { ':t': { S: 'red' } },
        ExclusiveStartKey: { id: { S: 'p3' }, team: { S: 'blue' } },
      },
      'The provided starting key is outside query boundaries based on provided conditions',
    ],
  ])('refuses %s', async (_, input, message) => {
    await expectAwsError(query(input), 'ValidationException', message);
  });
});

describe('pages of many small rows', () => {
  /** Every page of a Query of the `tiny` partition (or a Scan of the table), following LastEvaluatedKey. */
  const pages = async (kind: 'Query' | 'Scan', extra: Record<string, unknown> = {}) => {
    const out: { count: number; scanned: number; last?: Item; units?: number; firstKey?: string }[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const input = {
        TableName: 'tiny',
        ReturnConsumedCapacity: 'TOTAL',
        ...extra,
        ...(ExclusiveStartKey === undefined ? {} : { ExclusiveStartKey }),
      };
      const page =
        kind === 'Query'
          ? await h.dynamodb.send(
              new QueryCommand({
                ...input,
                KeyConditionExpression: 'pk = :p',
                ExpressionAttributeValues: {
                  ':p': { S: 'p' },
                  ...((extra.ExpressionAttributeValues as Item | undefined) ?? {}),
                },
              } as QueryCommandInput),
            )
          : await h.dynamodb.send(new ScanCommand(input as ScanCommandInput));
      out.push({
        count: page.Count ?? 0,
        scanned: page.ScannedCount ?? 0,
        ...(page.LastEvaluatedKey === undefined ? {} : { last: page.LastEvaluatedKey }),
        ...(page.ConsumedCapacity?.CapacityUnits === undefined
          ? {}
          : { units: page.ConsumedCapacity.CapacityUnits }),
        ...(page.Items?.[0] === undefined ? {} : { firstKey: page.Items[0].sk?.N as string }),
      });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined && out.length < 100);
    return out;
  };

  it.each(['Query', 'Scan'] as const)(
    '%s: cuts at 1 MB, each page ending at its LastEvaluatedKey, the next starting right after, every row once',
    async (kind) => {
      const read = await pages(kind);
      expect(read.length).toBeGreaterThan(1);
      let next = 0;
      for (const page of read) {
        expect(page.firstKey).toBe(String(next));
        expect(page.count).toBe(page.scanned);
        if (page.last !== undefined)
          expect(page.last).toEqual({ pk: { S: 'p' }, sk: { N: String(next + page.scanned - 1) } });
        expect(page.units).toBe(unitsFor(next, page.scanned));
        next += page.scanned;
      }
      expect(next).toBe(TINY_ROWS);
      expect(read.at(-1)?.last).toBeUndefined();
    },
  );

  it('charges a page the same with a filter that matches nothing and with Select COUNT, double when consistent', async () => {
    const plain = await pages('Query');
    const filtered = await pages('Query', {
      FilterExpression: 'v = :none',
      ExpressionAttributeValues: { ':none': { S: 'none' } },
    });
    const counted = await pages('Query', { Select: 'COUNT' });
    const consistent = await pages('Query', { ConsistentRead: true });
    const shape = (read: typeof plain) => read.map((p) => [p.scanned, p.units, p.last]);
    expect(shape(filtered)).toEqual(shape(plain));
    expect(filtered.every((p) => p.count === 0)).toBe(true);
    expect(shape(counted)).toEqual(shape(plain));
    expect(consistent.map((p) => p.units)).toEqual(plain.map((p) => (p.units as number) * 2));
  });

  it('charges a small page the rounded total of its rows, not a unit per row', async () => {
    const { ConsumedCapacity, Count } = await h.dynamodb.send(
      new QueryCommand({
        TableName: 'tiny',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        Limit: 300,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(Count).toBe(300);
    // 300 rows of about 50 bytes: about 15 KB in all, so 4 units halved, where a unit per row would be 150.
    expect(ConsumedCapacity?.CapacityUnits).toBe(2);
    expect(unitsFor(0, 300)).toBe(2);
  });
});
