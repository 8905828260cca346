import type { Scenario, Step } from '../Scenario.js';
import { createTable, n, put, query, s, scan, secondaryIndex } from './steps.js';

/** Two partitions of five items each, with sort keys 1…5 and a few attributes to filter and index on. */
const orders = (table: string): Step[] =>
  ['alice', 'bob'].flatMap((customer) =>
    [1, 2, 3, 4, 5].map((i) =>
      put(table, {
        customer: s(customer),
        orderNo: n(i),
        status: s(i % 2 === 0 ? 'PAID' : 'NEW'),
        // Unique across customers, so an index on it has no ties (whose order DynamoDB leaves open).
        total: n(i * 10 + (customer === 'bob' ? 1 : 0)),
        tags: { SS: [`t${i}`] },
      }),
    ),
  );

const ALICE = { ':c': s('alice') };

/** Query and Scan: key conditions, order, pages, filters, projections, counts, and their refusals. */
const readScenarios: readonly Scenario[] = [
  {
    name: 'Query key conditions, order and projections',
    steps: [
      createTable('read-query', { hash: ['customer', 'S'], range: ['orderNo', 'N'] }),
      ...orders('read-query'),
      query('read-query', { KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: ALICE }),
      query('read-query', {
        KeyConditionExpression: 'customer = :c AND orderNo BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ...ALICE, ':lo': n(2), ':hi': n(4) },
        ScanIndexForward: false,
      }),
      query('read-query', {
        KeyConditionExpression: '#c = :c AND #o > :o',
        ExpressionAttributeNames: { '#c': 'customer', '#o': 'orderNo' },
        ExpressionAttributeValues: { ...ALICE, ':o': n(3) },
        ProjectionExpression: 'orderNo, tags',
      }),
      query('read-query', {
        KeyConditionExpression: 'customer = :c AND orderNo <= :o',
        FilterExpression: '#s = :paid',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ...ALICE, ':o': n(4), ':paid': s('PAID') },
      }),
      query('read-query', {
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: { ':c': s('nobody') },
      }),
      query('read-query', {
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: ALICE,
        Select: 'COUNT',
      }),
    ],
  },
  {
    name: 'Query pages with Limit and ExclusiveStartKey',
    steps: [
      createTable('read-query-pages', { hash: ['customer', 'S'], range: ['orderNo', 'N'] }),
      ...orders('read-query-pages'),
      query('read-query-pages', {
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: ALICE,
        Limit: 2,
      }),
      query('read-query-pages', {
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: ALICE,
        Limit: 2,
        ExclusiveStartKey: { customer: s('alice'), orderNo: n(2) },
      }),
      query('read-query-pages', {
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: ALICE,
        Limit: 5,
      }),
      query('read-query-pages', {
        KeyConditionExpression: 'customer = :c',
        FilterExpression: '#t > :t',
        ExpressionAttributeNames: { '#t': 'total' },
        ExpressionAttributeValues: { ...ALICE, ':t': n(35) },
        Limit: 3,
      }),
    ],
  },
  {
    name: 'Query refusals',
    steps: [
      createTable('read-query-bad', { hash: ['customer', 'S'], range: ['orderNo', 'N'] }),
      query('read-query-bad', {
        KeyConditionExpression: 'orderNo = :o',
        ExpressionAttributeValues: { ':o': n(1) },
      }),
      query('read-query-bad', {
        KeyConditionExpression: 'total = :t',
        ExpressionAttributeValues: { ':t': n(1) },
      }),
      query('read-query-bad', {
        KeyConditionExpression: 'customer = :c',
        FilterExpression: 'orderNo = :o',
        ExpressionAttributeValues: { ...ALICE, ':o': n(1) },
      }),
      query('read-query-bad', {
        KeyConditionExpression: 'customer = :c OR orderNo = :o',
        ExpressionAttributeValues: { ...ALICE, ':o': n(1) },
      }),
      query('read-query-bad', {
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: { ':c': n(1) },
      }),
      query('read-query-bad', { ExpressionAttributeValues: ALICE }),
      query('read-query-bad', {
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: ALICE,
        Limit: 0,
      }),
    ],
  },
  {
    name: 'Scan of one partition, with pages, filters and counts',
    steps: [
      // One partition key, so the order Scan returns items in is the sort key order on every implementation.
      createTable('read-scan', { hash: ['customer', 'S'], range: ['orderNo', 'N'] }),
      ...orders('read-scan').slice(0, 5),
      scan('read-scan'),
      scan('read-scan', { Limit: 2 }),
      scan('read-scan', { Limit: 2, ExclusiveStartKey: { customer: s('alice'), orderNo: n(2) } }),
      scan('read-scan', {
        FilterExpression: '#s = :paid AND #t >= :t',
        ExpressionAttributeNames: { '#s': 'status', '#t': 'total' },
        ExpressionAttributeValues: { ':paid': s('PAID'), ':t': n(20) },
      }),
      scan('read-scan', { Select: 'COUNT', FilterExpression: 'attribute_exists(tags)' }),
      scan('read-scan', { ProjectionExpression: 'orderNo' }),
      scan('read-scan', { Limit: 0 }),
      scan('read-scan', { Segment: 1 }),
    ],
  },
  {
    name: 'Query and Scan on secondary indexes',
    steps: [
      createTable(
        'read-index',
        {
          hash: ['customer', 'S'],
          range: ['orderNo', 'N'],
          moreAttributes: [
            ['status', 'S'],
            ['total', 'N'],
          ],
        },
        {
          GlobalSecondaryIndexes: [
            secondaryIndex('by-status', ['status', 'total'], { ProjectionType: 'KEYS_ONLY' }),
          ],
          LocalSecondaryIndexes: [
            secondaryIndex('by-total', ['customer', 'total'], {
              ProjectionType: 'INCLUDE',
              NonKeyAttributes: ['tags'],
            }),
          ],
        },
      ),
      ...orders('read-index'),
      put('read-index', { customer: s('carol'), orderNo: n(1) }),
      query('read-index', {
        IndexName: 'by-status',
        KeyConditionExpression: '#s = :paid',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':paid': s('PAID') },
      }),
      query('read-index', {
        IndexName: 'by-total',
        KeyConditionExpression: 'customer = :c AND #t >= :t',
        ExpressionAttributeNames: { '#t': 'total' },
        ExpressionAttributeValues: { ...ALICE, ':t': n(30) },
        ScanIndexForward: false,
        Limit: 2,
      }),
      query('read-index', {
        IndexName: 'by-status',
        KeyConditionExpression: '#s = :paid',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':paid': s('PAID') },
        Select: 'ALL_ATTRIBUTES',
      }),
      query('read-index', {
        IndexName: 'nope',
        KeyConditionExpression: 'customer = :c',
        ExpressionAttributeValues: ALICE,
      }),
      scan('read-index', { IndexName: 'by-total', Limit: 3 }),
    ],
  },
  {
    name: 'legacy NOT_CONTAINS on a missing attribute',
    // A bug found at c4366a7 and fixed since: Eddy kept items without the attribute in a ScanFilter or
    // QueryFilter NOT_CONTAINS, as NOT contains() keeps them.
    steps: [
      createTable('read-not-contains', { range: ['sk', 'N'] }),
      put('read-not-contains', { pk: s('a'), sk: n(1), v: s('abc') }),
      put('read-not-contains', { pk: s('a'), sk: n(2), v: s('xyz') }),
      put('read-not-contains', { pk: s('a'), sk: n(3) }),
      put('read-not-contains', { pk: s('a'), sk: n(4), v: { SS: ['b', 'c'] } }),
      scan('read-not-contains', {
        ScanFilter: { v: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [s('b')] } },
      }),
      query('read-not-contains', {
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [s('a')] } },
        QueryFilter: { v: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [s('b')] } },
      }),
      scan('read-not-contains', {
        FilterExpression: 'NOT contains(v, :b)',
        ExpressionAttributeValues: { ':b': s('b') },
      }),
    ],
  },
];

export { readScenarios };
