import {
  type AttributeValue,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError } from '../../helpers/awsError.js';
import { createTable } from '../../helpers/createTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

type Item = Record<string, AttributeValue>;

let h: EmulatorHarness;

/**
 * `orders`: customer (S) + order (N), 12 orders of customer c1 (order 1..12), 2 of c2.
 * LSI byDate (customer, date) INCLUDE [total]; GSI byStatus (status, total) KEYS_ONLY; GSI byCity (city) ALL.
 */
const order = (customer: string, n: number): Item => ({
  customer: { S: customer },
  order: { N: String(n) },
  date: { S: `2024-01-${String(30 - n).padStart(2, '0')}` },
  total: { N: String(n * 10) },
  note: { S: `note ${n}` },
  ...(n % 3 === 0 ? {} : { status: { S: n % 2 === 0 ? 'PAID' : 'NEW' } }),
  ...(n <= 4 ? { city: { S: 'Oslo' } } : {}),
  details: { M: { lines: { L: [{ S: 'a' }, { S: 'b' }] }, gift: { BOOL: n === 2 } } },
});

beforeAll(async () => {
  h = await startHarness();
  await createTable(
    h.dynamodb,
    'orders',
    { customer: 'S', order: 'N' },
    {
      local: {
        byDate: {
          key: { customer: 'S', date: 'S' },
          projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
        },
      },
      global: {
        byStatus: { key: { status: 'S', total: 'N' }, projection: { ProjectionType: 'KEYS_ONLY' } },
        byCity: { key: { city: 'S' }, projection: { ProjectionType: 'ALL' } },
      },
    },
  );
  const items = [...Array.from({ length: 12 }, (_, i) => order('c1', i + 1)), order('c2', 1), order('c2', 2)];
  for (const Item of items) await h.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item }));
  await createTable(h.dynamodb, 'users', { id: 'S' });
  await h.dynamodb.send(
    new PutItemCommand({ TableName: 'users', Item: { id: { S: 'u1' }, name: { S: 'Ada' } } }),
  );
});
afterAll(() => h.close());

const query = (input: Record<string, unknown>): Promise<QueryCommandOutput> =>
  h.dynamodb.send(new QueryCommand({ TableName: 'orders', ...input } as QueryCommandInput));

const c1 = { KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } } };

const orders = (output: QueryCommandOutput) => output.Items?.map((item) => Number(item.order?.N));

/** Every page of a query, following LastEvaluatedKey. */
const allPages = async (input: Record<string, unknown>) => {
  const pages: QueryCommandOutput[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await query({ ...input, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) });
    pages.push(page);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined && pages.length < 50);
  return pages;
};

const validationMessage = async (request: Promise<unknown>): Promise<string> => {
  const error = await awsError(request);
  expect(error.name).toBe('ValidationException');
  return error.message;
};

describe('Query on a table', () => {
  it('returns a partition in sort key order, numbers ordered as numbers, or reversed', async () => {
    const forward = await query(c1);
    expect(orders(forward)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(forward).toMatchObject({ Count: 12, ScannedCount: 12 });
    expect(forward.LastEvaluatedKey).toBeUndefined();
    expect(forward.Items?.[0]).toEqual(order('c1', 1));
    expect(orders(await query({ ...c1, ScanIndexForward: false }))).toEqual([
      12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
  });

  it.each<[string, Item, number[]]>([
    ['#o = :a', { ':a': { N: '5' } }, [5]],
    ['#o < :a', { ':a': { N: '3' } }, [1, 2]],
    ['#o <= :a', { ':a': { N: '3' } }, [1, 2, 3]],
    ['#o > :a', { ':a': { N: '10' } }, [11, 12]],
    ['#o >= :a', { ':a': { N: '10' } }, [10, 11, 12]],
    [':a < #o', { ':a': { N: '10' } }, [11, 12]],
    ['#o BETWEEN :a AND :b', { ':a': { N: '2.0' }, ':b': { N: '4' } }, [2, 3, 4]],
  ])('selects sort keys with %s', async (condition, values, expected) => {
    const output = await query({
      KeyConditionExpression: `customer = :c AND ${condition}`,
      ExpressionAttributeNames: { '#o': 'order' },
      ExpressionAttributeValues: { ':c': { S: 'c1' }, ...values },
    });
    expect(orders(output)).toEqual(expected);
  });

  it('selects sort keys with begins_with on a string sort key (local index)', async () => {
    const output = await query({
      IndexName: 'byDate',
      KeyConditionExpression: 'customer = :c AND begins_with(#d, :p)',
      ExpressionAttributeNames: { '#d': 'date' },
      ExpressionAttributeValues: { ':c': { S: 'c1' }, ':p': { S: '2024-01-2' } },
    });
    expect(output.Items?.map((item) => item.date?.S)).toEqual([
      '2024-01-20',
      '2024-01-21',
      '2024-01-22',
      '2024-01-23',
      '2024-01-24',
      '2024-01-25',
      '2024-01-26',
      '2024-01-27',
      '2024-01-28',
      '2024-01-29',
    ]);
  });

  it('accepts the legacy KeyConditions, QueryFilter with ConditionalOperator and AttributesToGet', async () => {
    const output = await query({
      KeyConditions: {
        customer: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'c1' }] },
        order: { ComparisonOperator: 'LE', AttributeValueList: [{ N: '6' }] },
      },
      QueryFilter: {
        status: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'PAID' }] },
        city: { ComparisonOperator: 'NOT_NULL' },
      },
      ConditionalOperator: 'OR',
      AttributesToGet: ['order', 'status'],
    });
    expect(output.Items).toEqual([
      { order: { N: '1' }, status: { S: 'NEW' } },
      { order: { N: '2' }, status: { S: 'PAID' } },
      { order: { N: '3' } },
      { order: { N: '4' }, status: { S: 'PAID' } },
    ]);
    expect(output).toMatchObject({ Count: 4, ScannedCount: 6 });
  });

  it('leaves items without the attribute out of a QueryFilter NOT_CONTAINS', async () => {
    const output = await query({
      KeyConditions: { customer: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'c1' }] } },
      QueryFilter: { status: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'PA' }] } },
    });
    expect(orders(output)).toEqual([1, 5, 7, 11]);
  });

  it('filters after the Limit and reports Count, ScannedCount and LastEvaluatedKey', async () => {
    const output = await query({
      ...c1,
      FilterExpression: '#s = :paid',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':c': { S: 'c1' }, ':paid': { S: 'PAID' } },
      Limit: 5,
    });
    expect(orders(output)).toEqual([2, 4]);
    expect(output).toMatchObject({ Count: 2, ScannedCount: 5 });
    expect(output.LastEvaluatedKey).toEqual({ customer: { S: 'c1' }, order: { N: '5' } });
  });

  it('pages through a partition with Limit, each item once, in order, either way', async () => {
    for (const ScanIndexForward of [true, false]) {
      const pages = await allPages({ ...c1, Limit: 5, ScanIndexForward });
      expect(pages.map((page) => page.Count)).toEqual([5, 5, 2]);
      const expected = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
      expect(pages.flatMap((page) => orders(page))).toEqual(ScanIndexForward ? expected : expected.reverse());
    }
  });

  it('returns a LastEvaluatedKey when the Limit ends the partition exactly', async () => {
    const pages = await allPages({ ...c1, Limit: 6 });
    expect(pages.map((page) => page.Count)).toEqual([6, 6, 0]);
  });

  it('projects nested paths and counts with Select COUNT', async () => {
    const projected = await query({
      ...c1,
      ProjectionExpression: 'details.#l[1], #n',
      ExpressionAttributeNames: { '#n': 'note', '#l': 'lines' },
      Limit: 1,
    });
    expect(projected.Items).toEqual([
      { details: { M: { lines: { L: [{ S: 'b' }] } } }, note: { S: 'note 1' } },
    ]);
    const counted = await query({ ...c1, Select: 'COUNT' });
    expect(counted.Items).toBeUndefined();
    expect(counted).toMatchObject({ Count: 12, ScannedCount: 12 });
  });

  it('queries a hash-only table', async () => {
    const output = await h.dynamodb.send(
      new QueryCommand({
        TableName: 'users',
        KeyConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': { S: 'u1' } },
      }),
    );
    expect(output.Items).toEqual([{ id: { S: 'u1' }, name: { S: 'Ada' } }]);
  });

  it('cuts pages at 1 MB', async () => {
    await createTable(h.dynamodb, 'blobs', { pk: 'S', sk: 'N' });
    const blob = 'x'.repeat(300_000);
    for (let sk = 0; sk < 5; sk += 1) {
      await h.dynamodb.send(
        new PutItemCommand({
          TableName: 'blobs',
          Item: { pk: { S: 'p' }, sk: { N: String(sk) }, blob: { S: blob } },
        }),
      );
    }
    const first = await h.dynamodb.send(
      new QueryCommand({
        TableName: 'blobs',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        Select: 'COUNT',
      }),
    );
    expect(first).toMatchObject({ Count: 4, ScannedCount: 4 });
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: '3' } });
    const rest = await h.dynamodb.send(
      new QueryCommand({
        TableName: 'blobs',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        ExclusiveStartKey: first.LastEvaluatedKey,
        Select: 'COUNT',
      }),
    );
    expect(rest).toMatchObject({ Count: 1 });
    expect(rest.LastEvaluatedKey).toBeUndefined();
  });
});

describe('Query on indexes', () => {
  it('reads a KEYS_ONLY global index: sparse, ordered by its sort key, keys only', async () => {
    const output = await query({
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s AND #t > :t',
      ExpressionAttributeNames: { '#s': 'status', '#t': 'total' },
      ExpressionAttributeValues: { ':s': { S: 'PAID' }, ':t': { N: '15' } },
    });
    expect(output.Items).toEqual(
      [2, 4, 8, 10]
        .flatMap((n) => [
          {
            customer: { S: 'c1' },
            order: { N: String(n) },
            status: { S: 'PAID' },
            total: { N: String(n * 10) },
          },
          ...(n === 2
            ? [{ customer: { S: 'c2' }, order: { N: '2' }, status: { S: 'PAID' }, total: { N: '20' } }]
            : []),
        ])
        .sort((a, b) => Number(a.total.N) - Number(b.total.N)),
    );
  });

  it('pages an index with LastEvaluatedKey holding the table and index keys', async () => {
    const first = await query({
      IndexName: 'byCity',
      KeyConditionExpression: 'city = :c',
      ExpressionAttributeValues: { ':c': { S: 'Oslo' } },
      Limit: 3,
    });
    expect(first.Count).toBe(3);
    expect(Object.keys(first.LastEvaluatedKey ?? {}).sort()).toEqual(['city', 'customer', 'order']);
    expect(first.Items?.[0]).toHaveProperty('details');
    const pages = await allPages({
      IndexName: 'byCity',
      KeyConditionExpression: 'city = :c',
      ExpressionAttributeValues: { ':c': { S: 'Oslo' } },
      Limit: 3,
    });
    const keys = pages
      .flatMap((page) => page.Items ?? [])
      .map((item) => `${item.customer?.S}/${item.order?.N}`);
    expect(keys.sort()).toEqual(['c1/1', 'c1/2', 'c1/3', 'c1/4', 'c2/1', 'c2/2']);
  });

  it('reads a local index: projected attributes by default, the whole item when asked', async () => {
    const input = {
      IndexName: 'byDate',
      KeyConditionExpression: 'customer = :c AND #d = :d',
      ExpressionAttributeNames: { '#d': 'date' },
      ExpressionAttributeValues: { ':c': { S: 'c1' }, ':d': { S: '2024-01-29' } },
    };
    expect((await query(input)).Items).toEqual([
      { customer: { S: 'c1' }, order: { N: '1' }, date: { S: '2024-01-29' }, total: { N: '10' } },
    ]);
    expect((await query({ ...input, Select: 'ALL_ATTRIBUTES' })).Items).toEqual([order('c1', 1)]);
    const specific = await query({
      ...input,
      ProjectionExpression: 'note, #d',
    });
    expect(specific.Items).toEqual([{ note: { S: 'note 1' }, date: { S: '2024-01-29' } }]);
  });
});

describe('Query validation', () => {
  const v = (input: Record<string, unknown>) => validationMessage(query(input));

  it.each<[string, Record<string, unknown>, string]>([
    [
      'an unknown Select',
      { ...c1, Select: 'hi' },
      "1 validation error detected: Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
    ],
    [
      'a Limit below 1',
      { ...c1, Limit: 0 },
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'a bad index name and a bad conditional operator',
      { ...c1, IndexName: 'a;', ConditionalOperator: 'AN' },
      "3 validation errors detected: Value 'a;' at 'indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'indexName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value 'AN' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
    ],
    [
      'a QueryFilter without an operator',
      { ...c1, QueryFilter: { a: {} } },
      "1 validation error detected: Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null",
    ],
    [
      'SPECIFIC_ATTRIBUTES without a projection',
      { ...c1, Select: 'SPECIFIC_ATTRIBUTES' },
      '1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    ],
    [
      'a projection with Select COUNT',
      { ...c1, Select: 'COUNT', ProjectionExpression: 'note' },
      '1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count',
    ],
    [
      'AttributesToGet with ALL_ATTRIBUTES',
      {
        KeyConditions: { customer: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'c1' }] } },
        Select: 'ALL_ATTRIBUTES',
        AttributesToGet: ['note'],
      },
      '1 validation error detected: Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES',
    ],
    [
      'ALL_PROJECTED_ATTRIBUTES on a table',
      { ...c1, Select: 'ALL_PROJECTED_ATTRIBUTES' },
      '1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName',
    ],
    [
      'expression and legacy parameters together',
      { ...c1, AttributesToGet: ['note'], QueryFilter: {} },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, QueryFilter} Expression parameters: {KeyConditionExpression}',
    ],
    [
      'ExpressionAttributeNames without expressions',
      {
        KeyConditions: { customer: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'c1' }] } },
        ExpressionAttributeNames: { '#a': 'a' },
      },
      'ExpressionAttributeNames can only be specified when using expressions',
    ],
    [
      'ExpressionAttributeValues with only a projection',
      {
        KeyConditions: { customer: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'c1' }] } },
        ProjectionExpression: 'note',
        ExpressionAttributeValues: { ':a': { S: 'a' } },
      },
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    ],
    [
      'AttributesToGet naming an attribute twice',
      {
        KeyConditions: { customer: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'c1' }] } },
        AttributesToGet: ['a', 'a'],
      },
      'One or more parameter values were invalid: Duplicate value in attribute name: a',
    ],
    [
      'an invalid ExclusiveStartKey value',
      { ...c1, ExclusiveStartKey: { customer: { NULL: false } } },
      'The provided starting key is invalid: One or more parameter values were invalid: Null attribute value types must have the value of true',
    ],
    [
      'no key condition',
      { FilterExpression: 'note = :n', ExpressionAttributeValues: { ':n': { S: 'x' } } },
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    ],
    [
      'an invalid ExpressionAttributeValues value',
      { KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { N: 'abc' } } },
      'ExpressionAttributeValues contains invalid value: A value provided cannot be converted into a number for key :c',
    ],
    [
      'three key conditions',
      {
        KeyConditionExpression: 'customer = :c AND #o = :o AND note = :c',
        ExpressionAttributeNames: { '#o': 'order' },
        ExpressionAttributeValues: { ':c': { S: 'c1' }, ':o': { N: '1' } },
      },
      'Conditions can be of length 1 or 2 only',
    ],
    ['no KeyConditions', { KeyConditions: {} }, 'Conditions can be of length 1 or 2 only'],
    [
      'a key condition comparing two attributes',
      { KeyConditionExpression: 'customer = note' },
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    ],
    [
      'a key condition inside a key attribute',
      { KeyConditionExpression: 'customer.x = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } } },
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: customer",
    ],
    [
      'a key condition inside another attribute',
      {
        KeyConditionExpression: 'customer = :c AND note[0] = :c',
        ExpressionAttributeValues: { ':c': { S: 'c1' } },
      },
      'Query condition missed key schema element: order',
    ],
    [
      'a key condition without the partition key',
      {
        KeyConditionExpression: '#o BETWEEN :a AND :b',
        ExpressionAttributeNames: { '#o': 'order' },
        ExpressionAttributeValues: { ':a': { N: '1' }, ':b': { N: '2' } },
      },
      'Query condition missed key schema element: customer',
    ],
    [
      'a key condition on the partition key and another attribute',
      {
        KeyConditionExpression: 'customer = :c AND note = :c',
        ExpressionAttributeValues: { ':c': { S: 'c1' } },
      },
      'Query condition missed key schema element: order',
    ],
    [
      'a range condition on the partition key',
      { KeyConditionExpression: 'customer > :c', ExpressionAttributeValues: { ':c': { S: 'c1' } } },
      'Query key condition not supported',
    ],
    [
      'a key value of the wrong type',
      { KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { N: '1' } } },
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    ],
    [
      'a legacy key condition no index can serve',
      { KeyConditions: { customer: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'c1' }] } } },
      'Attempted conditional constraint is not an indexable operation',
    ],
    ['an unknown index', { ...c1, IndexName: 'nope' }, 'The table does not have the specified index: nope'],
    [
      'a consistent read of a global index',
      {
        IndexName: 'byCity',
        ConsistentRead: true,
        KeyConditionExpression: 'city = :c',
        ExpressionAttributeValues: { ':c': { S: 'Oslo' } },
      },
      'Consistent reads are not supported on global secondary indexes',
    ],
    [
      'ALL_ATTRIBUTES from a KEYS_ONLY global index',
      {
        IndexName: 'byStatus',
        Select: 'ALL_ATTRIBUTES',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'PAID' } },
      },
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL',
    ],
    [
      'projecting what a global index does not hold',
      {
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ProjectionExpression: 'note, #s, details.gift',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'PAID' } },
      },
      'One or more parameter values were invalid: Global secondary index byStatus does not project [note, details]',
    ],
    [
      'a filter on attributes a local index does not project',
      {
        IndexName: 'byDate',
        KeyConditionExpression: 'customer = :c',
        FilterExpression: 'note = :n AND details.gift = :t AND #o > :o',
        ExpressionAttributeNames: { '#o': 'order' },
        ExpressionAttributeValues: {
          ':c': { S: 'c1' },
          ':n': { S: 'note 7' },
          ':t': { BOOL: true },
          ':o': { N: '0' },
        },
      },
      'One or more parameter values were invalid: Secondary index byDate does not project one or more filter attributes: [details, note]',
    ],
    [
      'a legacy filter on attributes a global index does not project',
      {
        IndexName: 'byStatus',
        KeyConditions: { status: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'PAID' }] } },
        QueryFilter: { note: { ComparisonOperator: 'NOT_NULL' } },
      },
      'One or more parameter values were invalid: Secondary index byStatus does not project one or more filter attributes: [note]',
    ],
    [
      'a filter on a key attribute',
      {
        ...c1,
        FilterExpression: '#o > :o',
        ExpressionAttributeNames: { '#o': 'order' },
        ExpressionAttributeValues: { ':c': { S: 'c1' }, ':o': { N: '1' } },
      },
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: order',
    ],
    [
      'a legacy filter on a key attribute of the index',
      {
        IndexName: 'byDate',
        KeyConditions: { customer: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'c1' }] } },
        QueryFilter: { date: { ComparisonOperator: 'NOT_NULL' } },
      },
      'QueryFilter can only contain non-primary key attributes: Primary key attribute: date',
    ],
    [
      'a projection into a key attribute',
      { ...c1, ProjectionExpression: 'customer.x' },
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: customer",
    ],
    [
      'a filter into an index key attribute',
      { ...c1, FilterExpression: 'city[0] = :c' },
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: city",
    ],
    [
      'an ExclusiveStartKey with too few attributes',
      { ...c1, ExclusiveStartKey: { customer: { S: 'c1' } } },
      'The provided starting key is invalid',
    ],
    [
      'an ExclusiveStartKey of the wrong type',
      { ...c1, ExclusiveStartKey: { customer: { S: 'c1' }, order: { S: '1' } } },
      'The provided key element does not match the schema',
    ],
    [
      'an ExclusiveStartKey outside the partition',
      { ...c1, ExclusiveStartKey: { customer: { S: 'c2' }, order: { N: '1' } } },
      'The provided starting key is outside query boundaries based on provided conditions',
    ],
    [
      'an ExclusiveStartKey outside the sort key condition',
      {
        KeyConditionExpression: 'customer = :c AND #o > :o',
        ExpressionAttributeNames: { '#o': 'order' },
        ExpressionAttributeValues: { ':c': { S: 'c1' }, ':o': { N: '5' } },
        ExclusiveStartKey: { customer: { S: 'c1' }, order: { N: '2' } },
      },
      'The provided starting key does not match the range key predicate',
    ],
    // Key condition values have the key's size limit (the sort key's: DynamoDB Local gives these words too;
    // the partition key's: a DynamoDB answer to a Query quoted in github.com/facebook/ThreatExchange/issues/1324).
    [
      'a partition key value over 2048 bytes',
      {
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: { ':c': { S: 'c'.repeat(2049) } },
      },
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    ],
    [
      'a global index partition key value over 2048 bytes',
      {
        IndexName: 'byCity',
        KeyConditionExpression: 'city = :c',
        ExpressionAttributeValues: { ':c': { S: 'é'.repeat(1025) } },
      },
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    ],
    [
      'a local index sort key value over 1024 bytes',
      {
        IndexName: 'byDate',
        KeyConditionExpression: 'customer = :c AND begins_with(#d, :d)',
        ExpressionAttributeNames: { '#d': 'date' },
        ExpressionAttributeValues: { ':c': { S: 'c1' }, ':d': { S: 'd'.repeat(1025) } },
      },
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    ],
    [
      'a BETWEEN bound over 1024 bytes in the legacy KeyConditions',
      {
        IndexName: 'byDate',
        KeyConditions: {
          customer: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'c1' }] },
          date: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'a' }, { S: 'z'.repeat(1025) }] },
        },
      },
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    ],
    [
      'an empty set in ExpressionAttributeValues',
      {
        ...c1,
        FilterExpression: 'note = :n',
        ExpressionAttributeValues: { ':c': { S: 'c1' }, ':n': { SS: [] } },
      },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :n',
    ],
    [
      'an index ExclusiveStartKey without the table key',
      {
        IndexName: 'byCity',
        KeyConditionExpression: 'city = :c',
        ExpressionAttributeValues: { ':c': { S: 'Oslo' } },
        ExclusiveStartKey: { city: { S: 'Oslo' }, customer: { S: 'c1' }, note: { S: 'x' } },
      },
      'The provided starting key is invalid: The provided key element does not match the schema',
    ],
  ])('refuses %s', async (_, input, message) => {
    expect(await v(input)).toBe(message);
  });

  it('refuses members of the wrong JSON type with SerializationException, reading "false" as false', async () => {
    await expect(query({ ...c1, Limit: '5' })).rejects.toMatchObject({
      name: 'SerializationException',
      message: 'class java.lang.String can not be converted to an Integer',
    });
    await expect(query({ ...c1, ScanIndexForward: 7 })).rejects.toMatchObject({
      name: 'SerializationException',
      message:
        'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean',
    });
    expect(orders(await query({ ...c1, ScanIndexForward: 'false', Limit: 2 }))).toEqual([12, 11]);
  });

  it('answers an unknown table with ResourceNotFoundException', async () => {
    await expect(query({ ...c1, TableName: 'nope' })).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
