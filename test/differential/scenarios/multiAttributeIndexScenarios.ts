import type { Scenario, Step } from '../Scenario.js';
import { createTable, describe, n, put, query, s, scan } from './steps.js';

/**
 * Global secondary indexes whose keys have several partition key and sort key attributes
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html),
 * which DynamoDB Local 3.3 serves: the same requests against it and the emulator.
 */

/** A multi-attribute KeySchema: the partition key attributes in order, then the sort key attributes. */
const multiKey = (hash: readonly string[], range: readonly string[] = []) => [
  ...hash.map((AttributeName) => ({ AttributeName, KeyType: 'HASH' })),
  ...range.map((AttributeName) => ({ AttributeName, KeyType: 'RANGE' })),
];

const TABLE = 'multi-gsi-matches';

/**
 * Twelve matches with distinct index keys (DynamoDB leaves the order of equal index keys open): every
 * (round, bracket, seq) of {1, 2} × {lower, upper} × {3, 1, 2} in tournament w24, written out of sort order.
 */
const matches = (): Step[] => {
  const steps: Step[] = [];
  for (const round of [1, 2])
    for (const bracket of ['lower', 'upper'])
      for (const seq of [3, 1, 2]) {
        steps.push(
          put(TABLE, {
            pk: s(`m${steps.length + 1}`),
            tournament: s('w24'),
            round: n(round),
            bracket: s(bracket),
            seq: n(seq),
            score: n(steps.length * 7),
          }),
        );
      }
  return steps;
};

const W24_ROUND_1 = { ':t': s('w24'), ':r': n(1) };

const matchQuery = (KeyConditionExpression: string, values: Record<string, unknown>, extra = {}): Step =>
  query(TABLE, {
    IndexName: 'byMatch',
    KeyConditionExpression,
    ExpressionAttributeValues: values,
    ...extra,
  });

const multiAttributeIndexScenarios: readonly Scenario[] = [
  {
    name: 'Multi-attribute GSI: create, describe, sparse writes, every Query shape, paging',
    steps: [
      createTable(
        TABLE,
        {
          moreAttributes: [
            ['tournament', 'S'],
            ['round', 'N'],
            ['bracket', 'S'],
            ['seq', 'N'],
          ],
        },
        {
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byMatch',
              KeySchema: multiKey(['tournament', 'round'], ['bracket', 'seq']),
              Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['score'] },
            },
          ],
        },
      ),
      describe(TABLE),
      ...matches(),
      // Before the sparse items: DynamoDB Local counts them in IndexSizeBytes (not in ItemCount).
      describe(TABLE),
      // Sparse: without one key attribute an item is not in the index.
      put(TABLE, { pk: s('no-round'), tournament: s('w24'), bracket: s('upper'), seq: n(9) }),
      put(TABLE, { pk: s('no-seq'), tournament: s('w24'), round: n(1), bracket: s('upper') }),
      // Refused: an empty string in any index key attribute.
      put(TABLE, { pk: s('empty'), tournament: s('w24'), bracket: s('') }),
      matchQuery('tournament = :t AND round = :r', W24_ROUND_1),
      matchQuery('tournament = :t AND round = :r', W24_ROUND_1, { ScanIndexForward: false }),
      matchQuery('tournament = :t AND round = :r AND bracket = :b', { ...W24_ROUND_1, ':b': s('upper') }),
      matchQuery('tournament = :t AND round = :r AND bracket < :b', { ...W24_ROUND_1, ':b': s('upper') }),
      matchQuery('tournament = :t AND round = :r AND begins_with(bracket, :b)', {
        ...W24_ROUND_1,
        ':b': s('up'),
      }),
      matchQuery('round = :r AND bracket = :b AND tournament = :t AND seq BETWEEN :lo AND :hi', {
        ...W24_ROUND_1,
        ':b': s('lower'),
        ':lo': n(2),
        ':hi': n(3),
      }),
      matchQuery('tournament = :t AND round = :r AND bracket = :b AND seq = :q', {
        ...W24_ROUND_1,
        ':b': s('lower'),
        ':q': n(1),
      }),
      query(TABLE, {
        IndexName: 'byMatch',
        KeyConditions: {
          tournament: { ComparisonOperator: 'EQ', AttributeValueList: [s('w24')] },
          round: { ComparisonOperator: 'EQ', AttributeValueList: [n(2)] },
          bracket: { ComparisonOperator: 'EQ', AttributeValueList: [s('upper')] },
          seq: { ComparisonOperator: 'GE', AttributeValueList: [n(2)] },
        },
      }),
      // Pages: the second starts after the first's LastEvaluatedKey (m4: upper, 1).
      matchQuery('tournament = :t AND round = :r', W24_ROUND_1, { Limit: 4 }),
      matchQuery('tournament = :t AND round = :r', W24_ROUND_1, {
        Limit: 4,
        ExclusiveStartKey: { pk: s('m5'), tournament: s('w24'), round: n(1), bracket: s('upper'), seq: n(1) },
      }),
      matchQuery('tournament = :t AND round = :r', W24_ROUND_1, { Select: 'COUNT' }),
      scan(TABLE, { IndexName: 'byMatch', Select: 'COUNT' }),
    ],
  },
  {
    name: 'Multi-attribute GSI: refused key conditions and starting keys',
    steps: [
      createTable(
        'multi-gsi-refusals',
        {
          moreAttributes: [
            ['h1', 'S'],
            ['h2', 'S'],
            ['h3', 'S'],
            ['s1', 'S'],
            ['s2', 'S'],
            ['s3', 'N'],
          ],
        },
        {
          GlobalSecondaryIndexes: [
            {
              IndexName: 'wide',
              KeySchema: multiKey(['h1', 'h2', 'h3'], ['s1', 's2', 's3']),
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        },
      ),
      ...[
        ['h1 = :a', { ':a': s('x') }],
        ['h2 = :a AND s1 = :b', { ':a': s('x'), ':b': s('y') }],
        ['h1 = :a AND h2 = :a AND h3 > :a', { ':a': s('x') }],
        ['h1 = :a AND h2 = :a AND h3 = :a AND s3 = :n', { ':a': s('x'), ':n': n(1) }],
        ['h1 = :a AND h2 = :a AND h3 = :a AND s1 = :a AND s3 = :n', { ':a': s('x'), ':n': n(1) }],
        ['h1 = :a AND h2 = :a AND h3 = :a AND s1 < :a AND s2 = :a', { ':a': s('x') }],
        ['h1 = :a AND h2 = :a AND h3 = :a AND pk = :a', { ':a': s('x') }],
        [
          'h1 = :a AND h2 = :a AND h3 = :a AND s1 = :a AND s2 = :a AND s3 = :n AND pk = :a',
          { ':a': s('x'), ':n': n(1) },
        ],
        ['h1 = :a AND h2 = :a AND h3 = :a AND s3 = :a', { ':a': s('x') }],
        ['h1 = :a AND h2 = :a AND h3 = :a AND s1 = :n', { ':a': s('x'), ':n': n(1) }],
        ['h1 = :a AND h2 = :e AND h3 = :a', { ':a': s('x'), ':e': s('') }],
        ['h1 = :a AND h2 = :a AND h3 = :a AND s1.x = :a', { ':a': s('x') }],
      ].map(([KeyConditionExpression, ExpressionAttributeValues]) =>
        query('multi-gsi-refusals', { IndexName: 'wide', KeyConditionExpression, ExpressionAttributeValues }),
      ),
      query('multi-gsi-refusals', {
        IndexName: 'wide',
        KeyConditionExpression: 'h1 = :a AND h2 = :a AND h3 = :a',
        ExpressionAttributeValues: { ':a': s('x') },
        ExclusiveStartKey: { pk: s('p'), h1: s('x'), h2: s('x'), h3: s('x'), s1: s('x'), s2: s('x') },
      }),
      query('multi-gsi-refusals', {
        IndexName: 'wide',
        KeyConditionExpression: 'h1 = :a AND h2 = :a AND h3 = :a',
        ExpressionAttributeValues: { ':a': s('x') },
        FilterExpression: 's2 = :a',
      }),
      query('multi-gsi-refusals', {
        IndexName: 'wide',
        KeyConditionExpression: 'h1 = :a AND h2 = :a AND h3 = :a',
        ExpressionAttributeValues: { ':a': s('x') },
        ConsistentRead: true,
      }),
    ],
  },
  {
    name: 'Multi-attribute GSI: refused key schemas',
    steps: [
      ['a H, b H, c H, d H, e H, f R', 'Too many partition keys'],
      ['a H, b R, c R, d R, e R, f R', 'Too many sort keys'],
      ['a H, b H, c H, d H, e R, f R, g R, h R, i R', 'too big'],
      ['a H, b H, a R', 'duplicate'],
      ['a H, b R, c H', 'order'],
      ['a R, b R, c R', 'no hash'],
    ].map(([spec], i) => {
      const elements = (spec as string).split(', ').map((element) => {
        const [AttributeName, type] = element.split(' ') as [string, string];
        return { AttributeName, KeyType: type === 'H' ? 'HASH' : 'RANGE' };
      });
      const names = [...new Set(elements.map((e) => e.AttributeName))];
      return createTable(
        `multi-gsi-bad-schema-${i}`,
        { moreAttributes: names.map((name) => [name, 'S'] as const) },
        {
          GlobalSecondaryIndexes: [
            { IndexName: 'bad', KeySchema: elements, Projection: { ProjectionType: 'ALL' } },
          ],
        },
      );
    }),
  },
];

export { multiAttributeIndexScenarios };
