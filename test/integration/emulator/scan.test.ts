import {
  type AttributeValue,
  DeleteItemCommand,
  PutItemCommand,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError } from '../../helpers/awsError.js';
import { createTable } from '../../helpers/createTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

type Item = Record<string, AttributeValue>;

let h: EmulatorHarness;

const ITEMS = 60;

/** `events`: pk (S) + sk (N); every third item has a `kind` (GSI byKind, KEYS_ONLY); LSI byAt (pk, at). */
const event = (i: number): Item => ({
  pk: { S: `p${i % 20}` },
  sk: { N: String(i) },
  at: { S: `t${String(i).padStart(3, '0')}` },
  size: { N: String(i % 7) },
  ...(i % 3 === 0 ? { kind: { S: i % 2 === 0 ? 'even' : 'odd' } } : {}),
});

beforeAll(async () => {
  h = await startHarness();
  await createTable(
    h.dynamodb,
    'events',
    { pk: 'S', sk: 'N' },
    {
      local: { byAt: { key: { pk: 'S', at: 'S' }, projection: { ProjectionType: 'KEYS_ONLY' } } },
      global: { byKind: { key: { kind: 'S' }, projection: { ProjectionType: 'KEYS_ONLY' } } },
    },
  );
  for (let i = 0; i < ITEMS; i += 1) {
    await h.dynamodb.send(new PutItemCommand({ TableName: 'events', Item: event(i) }));
  }
});
afterAll(() => h.close());

const scan = (input: Record<string, unknown> = {}): Promise<ScanCommandOutput> =>
  h.dynamodb.send(new ScanCommand({ TableName: 'events', ...input } as ScanCommandInput));

const ids = (items: readonly Item[] | undefined) =>
  (items ?? []).map((item) => Number(item.sk?.N)).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Every page of a scan, following LastEvaluatedKey. */
const allPages = async (input: Record<string, unknown> = {}) => {
  const pages: ScanCommandOutput[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await scan({ ...input, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) });
    pages.push(page);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined && pages.length < 200);
  return pages;
};

const validationMessage = async (request: Promise<unknown>): Promise<string> => {
  const error = await awsError(request);
  expect(error.name).toBe('ValidationException');
  return error.message;
};

describe('Scan', () => {
  it('returns every item once, with Count and ScannedCount', async () => {
    const output = await scan();
    expect(ids(output.Items)).toEqual(range(ITEMS));
    expect(output).toMatchObject({ Count: ITEMS, ScannedCount: ITEMS });
    expect(output.LastEvaluatedKey).toBeUndefined();
  });

  it('returns the same order on every call', async () => {
    const first = (await scan()).Items?.map((item) => item.sk?.N);
    const second = (await scan()).Items?.map((item) => item.sk?.N);
    expect(second).toEqual(first);
  });

  it('filters after the Limit, with expressions or ScanFilter', async () => {
    const expression = await scan({
      FilterExpression: '#s = :z',
      ExpressionAttributeNames: { '#s': 'size' },
      ExpressionAttributeValues: { ':z': { N: '0' } },
    });
    expect(ids(expression.Items)).toEqual([0, 7, 14, 21, 28, 35, 42, 49, 56]);
    expect(expression).toMatchObject({ Count: 9, ScannedCount: ITEMS });
    const legacy = await scan({
      ScanFilter: {
        size: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '0' }] },
        sk: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '10' }] },
      },
      ConditionalOperator: 'AND',
      AttributesToGet: ['sk'],
    });
    expect(ids(legacy.Items)).toEqual([0, 7]);
    expect(legacy.Items?.map((item) => Object.keys(item))).toEqual([['sk'], ['sk']]);
    const limited = await scan({
      Limit: 10,
      FilterExpression: '#s = :z',
      ExpressionAttributeNames: { '#s': 'size' },
      ExpressionAttributeValues: { ':z': { N: '0' } },
    });
    expect(limited.ScannedCount).toBe(10);
    expect(limited.LastEvaluatedKey).toBeDefined();
  });

  it('leaves items without the attribute out of a ScanFilter NOT_CONTAINS, unlike NOT contains()', async () => {
    // DynamoDB Local answers so: the legacy NOT_CONTAINS needs the attribute, the expression does not.
    const legacy = await scan({
      ScanFilter: { kind: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'ev' }] } },
    });
    expect(ids(legacy.Items)).toEqual([3, 9, 15, 21, 27, 33, 39, 45, 51, 57]);
    const expression = await scan({
      FilterExpression: 'NOT contains(kind, :v)',
      ExpressionAttributeValues: { ':v': { S: 'ev' } },
    });
    expect(expression.Count).toBe(ITEMS - 10);
  });

  it('pages with Limit, each item exactly once', async () => {
    const pages = await allPages({ Limit: 7 });
    expect(pages).toHaveLength(Math.ceil(ITEMS / 7) + (ITEMS % 7 === 0 ? 1 : 0));
    expect(ids(pages.flatMap((page) => page.Items ?? []))).toEqual(range(ITEMS));
    for (const page of pages.slice(0, -1))
      expect(Object.keys(page.LastEvaluatedKey ?? {}).sort()).toEqual(['pk', 'sk']);
  });

  it('projects and counts', async () => {
    const projected = await scan({ ProjectionExpression: 'sk', Limit: 1 });
    expect(Object.keys(projected.Items?.[0] ?? {})).toEqual(['sk']);
    const counted = await scan({ Select: 'COUNT' });
    expect(counted.Items).toBeUndefined();
    expect(counted.Count).toBe(ITEMS);
  });

  it('splits the table into segments: every item in exactly one, the same on every call', async () => {
    for (const total of [1, 2, 3, 7]) {
      const segments = await Promise.all(
        range(total).map(async (segment) =>
          ids(
            (await allPages({ Segment: segment, TotalSegments: total, Limit: 4 })).flatMap(
              (page) => page.Items ?? [],
            ),
          ),
        ),
      );
      expect(segments.flat().sort((a, b) => a - b)).toEqual(range(ITEMS));
      // All of a partition's items land in one segment.
      for (const items of segments) {
        for (const i of items) {
          const partners = range(ITEMS).filter((j) => j % 20 === i % 20);
          expect(items).toEqual(expect.arrayContaining(partners));
        }
      }
      const again = ids((await scan({ Segment: 0, TotalSegments: total })).Items);
      expect(again).toEqual(segments[0]);
    }
  });

  it('scans a sparse KEYS_ONLY global index', async () => {
    const output = await scan({ IndexName: 'byKind' });
    expect(ids(output.Items)).toEqual(range(ITEMS).filter((i) => i % 3 === 0));
    expect(Object.keys(output.Items?.[0] ?? {}).sort()).toEqual(['kind', 'pk', 'sk']);
    const pages = await allPages({ IndexName: 'byKind', Limit: 3, Segment: 1, TotalSegments: 2 });
    for (const page of pages.slice(0, -1))
      expect(Object.keys(page.LastEvaluatedKey ?? {}).sort()).toEqual(['kind', 'pk', 'sk']);
  });

  it('scans a local index, fetching whole items for ALL_ATTRIBUTES', async () => {
    const projected = await scan({ IndexName: 'byAt', Limit: 1 });
    expect(Object.keys(projected.Items?.[0] ?? {}).sort()).toEqual(['at', 'pk', 'sk']);
    const all = await scan({ IndexName: 'byAt', Select: 'ALL_ATTRIBUTES' });
    expect(all.Items).toEqual(expect.arrayContaining([event(5)]));
    expect(all.Count).toBe(ITEMS);
  });

  it('sees deletes', async () => {
    await h.dynamodb.send(
      new PutItemCommand({
        TableName: 'events',
        Item: { pk: { S: 'gone' }, sk: { N: '1000' }, kind: { S: 'odd' } },
      }),
    );
    expect(ids((await scan({ IndexName: 'byKind' })).Items)).toContain(1000);
    await h.dynamodb.send(
      new DeleteItemCommand({ TableName: 'events', Key: { pk: { S: 'gone' }, sk: { N: '1000' } } }),
    );
    expect(ids((await scan({ IndexName: 'byKind' })).Items)).not.toContain(1000);
  });
});

describe('Scan validation', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'several bad members at once',
      { Select: 'hi', TotalSegments: 0, Segment: -1, Limit: 0 },
      "4 validation errors detected: Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0; Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'too many segments',
      { Segment: 0, TotalSegments: 1_000_001 },
      "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000",
    ],
    [
      'Segment without TotalSegments',
      { Segment: 0 },
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    ],
    [
      'TotalSegments without Segment',
      { TotalSegments: 2 },
      'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
    ],
    [
      'a Segment beyond TotalSegments',
      { Segment: 2, TotalSegments: 2 },
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2',
    ],
    [
      'SPECIFIC_ATTRIBUTES without a projection',
      { Select: 'SPECIFIC_ATTRIBUTES' },
      'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    ],
    [
      'ALL_PROJECTED_ATTRIBUTES on a table',
      { Select: 'ALL_PROJECTED_ATTRIBUTES' },
      'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName',
    ],
    [
      'a projection with ALL_PROJECTED_ATTRIBUTES',
      { IndexName: 'byKind', Select: 'ALL_PROJECTED_ATTRIBUTES', ProjectionExpression: 'pk' },
      'Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES',
    ],
    [
      'expression and legacy parameters together',
      { FilterExpression: 'attribute_exists(kind)', ScanFilter: {}, ConditionalOperator: 'OR' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ScanFilter, ConditionalOperator} Expression parameters: {FilterExpression}',
    ],
    [
      'ExpressionAttributeValues without a filter',
      { ExpressionAttributeValues: { ':a': { S: 'a' } } },
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null',
    ],
    [
      'a ScanFilter with a wrong number of values',
      { ScanFilter: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } } },
      'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator',
    ],
    [
      'an invalid ExclusiveStartKey value',
      { ExclusiveStartKey: { pk: {} } },
      'The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    ],
    [
      'an ExclusiveStartKey not matching the key',
      { ExclusiveStartKey: { pk: { S: 'p1' } } },
      'The provided starting key is invalid: The provided key element does not match the schema',
    ],
    [
      'an ExclusiveStartKey of the wrong type',
      { ExclusiveStartKey: { pk: { S: 'p1' }, sk: { S: '1' } } },
      'The provided starting key is invalid: The provided key element does not match the schema',
    ],
    [
      'an index ExclusiveStartKey without the index key',
      { IndexName: 'byKind', ExclusiveStartKey: { pk: { S: 'p1' }, sk: { N: '1' } } },
      'The provided starting key is invalid',
    ],
    [
      'an index ExclusiveStartKey with an index key of the wrong type',
      { IndexName: 'byKind', ExclusiveStartKey: { pk: { S: 'p1' }, sk: { N: '1' }, kind: { N: '1' } } },
      'The provided key element does not match the schema',
    ],
    [
      'a filter into a key attribute',
      { FilterExpression: 'attribute_exists(pk.x)' },
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
    ],
    [
      'an unknown index',
      { IndexName: 'nope', ExclusiveStartKey: { pk: { S: 'p1' } } },
      'The table does not have the specified index: nope',
    ],
    [
      'a consistent read of a global index',
      { IndexName: 'byKind', ConsistentRead: true },
      'Consistent reads are not supported on global secondary indexes',
    ],
    [
      'a filter on attributes an index does not project',
      { IndexName: 'byAt', FilterExpression: 'size > :z', ExpressionAttributeValues: { ':z': { N: '0' } } },
      'One or more parameter values were invalid: Secondary index byAt does not project one or more filter attributes: [size]',
    ],
    [
      'ALL_ATTRIBUTES from a KEYS_ONLY global index',
      { IndexName: 'byKind', Select: 'ALL_ATTRIBUTES' },
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byKind because its projection type is not ALL',
    ],
  ])('refuses %s', async (_, input, message) => {
    expect(await validationMessage(scan(input))).toBe(message);
  });

  it('refuses an ExclusiveStartKey from another segment', async () => {
    const segment1 = await scan({ Segment: 1, TotalSegments: 2, Limit: 1 });
    expect(segment1.LastEvaluatedKey).toBeDefined();
    expect(
      await validationMessage(
        scan({ Segment: 0, TotalSegments: 2, ExclusiveStartKey: segment1.LastEvaluatedKey }),
      ),
    ).toBe(
      'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0',
    );
  });
});
