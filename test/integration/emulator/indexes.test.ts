import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError } from '../../helpers/awsError.js';
import { createTableInput } from '../../helpers/createTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

let tableCount = 0;
const uniqueName = () => {
  tableCount += 1;
  return `indexed-${tableCount}`;
};

/** A table keyed (pk S, sk S) with an LSI on lsk and GSIs on gpk(+gsk), PAY_PER_REQUEST unless overridden. */
const definition = (overrides: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  ...createTableInput(
    uniqueName(),
    { pk: 'S', sk: 'S' },
    {
      local: {
        byLsk: {
          key: { pk: 'S', lsk: 'S' },
          projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['zeta', 'alpha'] },
        },
      },
      global: {
        byGpk: { key: { gpk: 'S', gsk: 'N' }, projection: { ProjectionType: 'KEYS_ONLY' } },
        byGpkAll: { key: { gpk: 'S' }, projection: { ProjectionType: 'ALL' } },
      },
    },
  ),
  ...overrides,
});

/** The ValidationException message a request gets (the test fails if it succeeds or fails otherwise). */
const validationMessage = async (request: Promise<unknown>): Promise<string> => {
  const error = await awsError(request);
  expect(error.name).toBe('ValidationException');
  return error.message;
};

const create = (input: CreateTableCommandInput) => h.dynamodb.send(new CreateTableCommand(input));

describe('CreateTable and DescribeTable with secondary indexes', () => {
  it('describes local and global indexes as DynamoDB does', async () => {
    const input = definition();
    const { TableDescription } = await create(input);
    expect(TableDescription?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'byGpk',
      IndexStatus: 'CREATING',
    });
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: input.TableName }));
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${input.TableName}`;
    expect(Table?.LocalSecondaryIndexes).toEqual([
      {
        IndexName: 'byLsk',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'lsk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['alpha', 'zeta'] },
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: `${arn}/index/byLsk`,
      },
    ]);
    expect(Table?.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byGpk',
        KeySchema: [
          { AttributeName: 'gpk', KeyType: 'HASH' },
          { AttributeName: 'gsk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        IndexStatus: 'ACTIVE',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: `${arn}/index/byGpk`,
      },
      expect.objectContaining({ IndexName: 'byGpkAll', Projection: { ProjectionType: 'ALL' } }),
    ]);
  });

  it('describes a PROVISIONED global index with its own throughput', async () => {
    const input = definition({
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      LocalSecondaryIndexes: undefined,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gpk', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byGpk',
          KeySchema: [{ AttributeName: 'gpk', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
        },
      ],
    });
    await create(input);
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: input.TableName }));
    expect(Table?.LocalSecondaryIndexes).toBeUndefined();
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      WarmThroughput: { ReadUnitsPerSecond: 2, WriteUnitsPerSecond: 3, Status: 'ACTIVE' },
    });
  });

  it('counts index items and bytes as items are written (sparse indexes)', async () => {
    const input = definition();
    await create(input);
    const TableName = input.TableName;
    await h.dynamodb.send(
      new PutItemCommand({
        TableName,
        Item: {
          pk: { S: 'a' },
          sk: { S: '1' },
          gpk: { S: 'g' },
          gsk: { N: '1' },
          other: { S: 'x'.repeat(20) },
        },
      }),
    );
    await h.dynamodb.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, sk: { S: '2' }, gpk: { S: 'g' } } }),
    );
    await h.dynamodb.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'a' }, sk: { S: '3' }, lsk: { S: 'l' } } }),
    );
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName }));
    const [keysOnly, all] = Table?.GlobalSecondaryIndexes ?? [];
    expect(keysOnly).toMatchObject({ ItemCount: 1 });
    expect(all).toMatchObject({ ItemCount: 2 });
    expect(Table?.LocalSecondaryIndexes?.[0]).toMatchObject({ ItemCount: 1 });
    // Names and values of the projected keys only: pk 2+1, sk 2+1, gpk 3+1, gsk 3+2 (a number of one digit).
    expect(keysOnly?.IndexSizeBytes).toBe(15);
    expect(all?.IndexSizeBytes).toBeGreaterThan(keysOnly?.IndexSizeBytes ?? 0);

    await h.dynamodb.send(new DeleteItemCommand({ TableName, Key: { pk: { S: 'a' }, sk: { S: '1' } } }));
    const after = await h.dynamodb.send(new DescribeTableCommand({ TableName }));
    expect(after.Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({ ItemCount: 0, IndexSizeBytes: 0 });
  });
});

describe('index maintenance on every write', () => {
  let TableName: string;
  beforeAll(async () => {
    const input = definition();
    TableName = input.TableName as string;
    await create(input);
  });

  const byGpk = async (gpk: string) =>
    (
      await h.dynamodb.send(
        new QueryCommand({
          TableName,
          IndexName: 'byGpkAll',
          KeyConditionExpression: 'gpk = :g',
          ExpressionAttributeValues: { ':g': { S: gpk } },
        }),
      )
    ).Items?.map((item) => item.sk?.S);

  it('follows puts, updates that move the index key, and deletes', async () => {
    await h.dynamodb.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'm' }, sk: { S: '1' }, gpk: { S: 'old' } } }),
    );
    expect(await byGpk('old')).toEqual(['1']);
    await h.dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key: { pk: { S: 'm' }, sk: { S: '1' } },
        UpdateExpression: 'SET gpk = :g',
        ExpressionAttributeValues: { ':g': { S: 'new' } },
      }),
    );
    expect(await byGpk('old')).toEqual([]);
    expect(await byGpk('new')).toEqual(['1']);
    await h.dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key: { pk: { S: 'm' }, sk: { S: '1' } },
        UpdateExpression: 'REMOVE gpk',
      }),
    );
    expect(await byGpk('new')).toEqual([]);
    await h.dynamodb.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'm' }, sk: { S: '1' }, gpk: { S: 'new' } } }),
    );
    await h.dynamodb.send(new DeleteItemCommand({ TableName, Key: { pk: { S: 'm' }, sk: { S: '1' } } }));
    expect(await byGpk('new')).toEqual([]);
  });

  it('refuses index key values of the wrong type or empty, writing nothing', async () => {
    expect(
      await validationMessage(
        h.dynamodb.send(
          new PutItemCommand({ TableName, Item: { pk: { S: 't' }, sk: { S: '1' }, gsk: { S: 'x' } } }),
        ),
      ),
    ).toBe(
      'One or more parameter values were invalid: Type mismatch for Index Key gsk Expected: N Actual: S IndexName: byGpk',
    );
    expect(
      await validationMessage(
        h.dynamodb.send(
          new PutItemCommand({ TableName, Item: { pk: { S: 't' }, sk: { S: '1' }, lsk: { S: '' } } }),
        ),
      ),
    ).toBe(
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byLsk, IndexKey: lsk',
    );
    expect(
      await validationMessage(
        h.dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: { pk: { S: 't' }, sk: { S: '2' } },
            UpdateExpression: 'SET gpk = :n',
            ExpressionAttributeValues: { ':n': { N: '1' } },
          }),
        ),
      ),
    ).toMatch(
      /^One or more parameter values were invalid: Type mismatch for Index Key gpk Expected: S Actual: N IndexName: byGpk/,
    );
    expect(await byGpk('x')).toEqual([]);
  });

  // DynamoDB's words, as quoted from AWS answers in github.com/architect/dynalite/issues/35 and
  // github.com/wellcomecollection/platform/issues/2285: "…Size limit exceeded for Index Key componentId Actual
  // Size: 2175 bytes Max Size: 2048 bytes IndexName: work-sets-index". An index sort key has the 1024-byte limit.
  it('refuses index key values over their size limits, writing nothing, and takes them at the limits', async () => {
    const item = (sk: string, extra: Record<string, { S: string }>) => ({
      pk: { S: 'size' },
      sk: { S: sk },
      ...extra,
    });
    expect(
      await validationMessage(
        h.dynamodb.send(new PutItemCommand({ TableName, Item: item('1', { gpk: { S: 'g'.repeat(2049) } }) })),
      ),
    ).toBe(
      'One or more parameter values were invalid: Size limit exceeded for Index Key gpk Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: byGpkAll',
    );
    expect(
      await validationMessage(
        h.dynamodb.send(new PutItemCommand({ TableName, Item: item('2', { lsk: { S: 'é'.repeat(513) } }) })),
      ),
    ).toBe(
      'One or more parameter values were invalid: Size limit exceeded for Index Key lsk Actual Size: 1026 bytes Max Size: 1024 bytes IndexName: byLsk',
    );
    await h.dynamodb.send(
      new PutItemCommand({
        TableName,
        Item: item('3', { gpk: { S: 'g'.repeat(2048) }, lsk: { S: 'l'.repeat(1024) } }),
      }),
    );
    expect(
      await validationMessage(
        h.dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: { pk: { S: 'size' }, sk: { S: '3' } },
            UpdateExpression: 'SET lsk = :l',
            ExpressionAttributeValues: { ':l': { S: 'l'.repeat(1025) } },
          }),
        ),
      ),
    ).toBe(
      'One or more parameter values were invalid: Size limit exceeded for Index Key lsk Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: byLsk',
    );
    expect(await byGpk('g'.repeat(2048))).toEqual(['3']);
    const stored = await h.dynamodb.send(
      new GetItemCommand({ TableName, Key: { pk: { S: 'size' }, sk: { S: '1' } } }),
    );
    expect(stored.Item).toBeUndefined();
  });

  it('refuses a Key holding an index key attribute in place of a table key attribute', async () => {
    expect(
      await validationMessage(
        h.dynamodb.send(new GetItemCommand({ TableName, Key: { pk: { S: 'size' }, gpk: { S: '3' } } })),
      ),
    ).toBe('The provided key element does not match the schema');
  });
});

describe('an index whose sort key is the table partition key', () => {
  it('refuses a partition key value the table takes but the index sort key does not', async () => {
    const input = createTableInput(
      uniqueName(),
      { pk: 'S', sk: 'S' },
      { global: { bySkPk: { key: { sk: 'S', pk: 'S' }, projection: { ProjectionType: 'KEYS_ONLY' } } } },
    );
    await create(input);
    expect(
      await validationMessage(
        h.dynamodb.send(
          new PutItemCommand({
            TableName: input.TableName,
            Item: { pk: { S: 'p'.repeat(1025) }, sk: { S: 's' } },
          }),
        ),
      ),
    ).toBe(
      'One or more parameter values were invalid: Size limit exceeded for Index Key pk Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: bySkPk',
    );
  });
});

describe('CreateTable index validation', () => {
  type Wire = Record<string, unknown>;
  const key = (hash: string, range?: string) => [
    { AttributeName: hash, KeyType: 'HASH' },
    ...(range === undefined ? [] : [{ AttributeName: range, KeyType: 'RANGE' }]),
  ];
  const gsi = (name: string, extra: Wire = {}): Wire => ({
    IndexName: name,
    KeySchema: key('gpk', 'gsk'),
    Projection: { ProjectionType: 'ALL' },
    ...extra,
  });
  const lsi = (name: string, extra: Wire = {}): Wire => ({
    IndexName: name,
    KeySchema: key('pk', 'lsk'),
    Projection: { ProjectionType: 'ALL' },
    ...extra,
  });

  /**
   * CreateTable with the table key (pk, sk) and the given indexes; AttributeDefinitions name exactly the key
   * attributes used (gsk a number), unless the overrides give them.
   */
  const attempt = (overrides: Wire) => {
    const input: Wire = {
      TableName: uniqueName(),
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: key('pk', 'sk'),
      ...overrides,
    };
    const used = new Set<string>();
    for (const index of [
      { KeySchema: input.KeySchema },
      ...((input.LocalSecondaryIndexes as Wire[] | undefined) ?? []),
      ...((input.GlobalSecondaryIndexes as Wire[] | undefined) ?? []),
    ]) {
      for (const element of (index.KeySchema as { AttributeName: string }[] | undefined) ?? []) {
        used.add(element.AttributeName);
      }
    }
    input.AttributeDefinitions ??= [...used].map((AttributeName) => ({
      AttributeName,
      AttributeType: AttributeName === 'gsk' ? 'N' : 'S',
    }));
    return validationMessage(create(input as unknown as CreateTableCommandInput));
  };

  it.each<[string, Wire, string]>([
    [
      'an index name too short and badly spelled',
      { GlobalSecondaryIndexes: [gsi('a;')] },
      "2 validation errors detected: Value 'a;' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    ],
    [
      'a missing projection',
      { GlobalSecondaryIndexes: [gsi('byGpk', { Projection: undefined })] },
      "1 validation error detected: Value null at 'globalSecondaryIndexes.1.member.projection' failed to satisfy constraint: Member must not be null",
    ],
    [
      'an unknown projection type',
      { LocalSecondaryIndexes: [lsi('byLsk', { Projection: { ProjectionType: 'SOME' } })] },
      "1 validation error detected: Value 'SOME' at 'localSecondaryIndexes.1.member.projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]",
    ],
    [
      'no NonKeyAttributes',
      {
        GlobalSecondaryIndexes: [
          gsi('byGpk', { Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [] } }),
        ],
      },
      "1 validation error detected: Value '[]' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'zero index capacity',
      {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        GlobalSecondaryIndexes: [
          gsi('byGpk', { ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 } }),
        ],
      },
      "1 validation error detected: Value '0' at 'globalSecondaryIndexes.1.member.provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'an index key attribute without a definition',
      {
        GlobalSecondaryIndexes: [gsi('byGpk', { KeySchema: key('nope') })],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
      },
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [nope], AttributeDefinitions: [pk, sk]',
    ],
    [
      'an attribute definition no key uses',
      {
        GlobalSecondaryIndexes: [gsi('byGpk', { KeySchema: key('gpk') })],
        AttributeDefinitions: [
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'extra', AttributeType: 'S' },
          { AttributeName: 'gpk', AttributeType: 'S' },
          { AttributeName: 'pk', AttributeType: 'S' },
        ],
      },
      // "keys used" in Java HashSet order, as DynamoDB prints it.
      'One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [sk, extra, gpk, pk], keys used: [gpk, sk, pk]',
    ],
    [
      'an empty list of global indexes',
      { GlobalSecondaryIndexes: [] },
      'One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty',
    ],
    [
      'an empty list of local indexes',
      { LocalSecondaryIndexes: [] },
      'One or more parameter values were invalid: List of LocalSecondaryIndexes is empty',
    ],
    [
      'a local index on a table without a sort key',
      { KeySchema: key('pk'), LocalSecondaryIndexes: [lsi('byLsk')] },
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
    ],
    [
      'a local index without a sort key',
      { LocalSecondaryIndexes: [lsi('byLsk', { KeySchema: key('pk') })] },
      'One or more parameter values were invalid: Index KeySchema does not have a range key for index: byLsk',
    ],
    [
      'a local index with another partition key',
      { LocalSecondaryIndexes: [lsi('byLsk', { KeySchema: key('gpk', 'lsk') })] },
      'One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: byLsk. index hash key: gpk, table hash key: pk',
    ],
    [
      'the same attribute twice in an index key',
      { GlobalSecondaryIndexes: [gsi('byGpk', { KeySchema: key('gpk', 'gpk') })] },
      'Both the Hash Key and the Range Key element in the KeySchema have the same name',
    ],
    [
      'a sort key first',
      {
        GlobalSecondaryIndexes: [
          gsi('byGpk', {
            KeySchema: [
              { AttributeName: 'gsk', KeyType: 'RANGE' },
              { AttributeName: 'gpk', KeyType: 'HASH' },
            ],
          }),
        ],
      },
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    ],
    [
      'NonKeyAttributes with ALL',
      {
        GlobalSecondaryIndexes: [
          gsi('byGpk', { Projection: { ProjectionType: 'ALL', NonKeyAttributes: ['a'] } }),
        ],
      },
      'One or more parameter values were invalid: ProjectionType is ALL, but NonKeyAttributes is specified',
    ],
    [
      'INCLUDE without NonKeyAttributes',
      { LocalSecondaryIndexes: [lsi('byLsk', { Projection: { ProjectionType: 'INCLUDE' } })] },
      'One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified',
    ],
    [
      'a NonKeyAttribute twice',
      {
        LocalSecondaryIndexes: [
          lsi('byLsk', { Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b', 'a'] } }),
        ],
      },
      'One or more parameter values were invalid: Duplicate element in NonKeyAttributes: a',
    ],
    [
      'no projection type',
      { LocalSecondaryIndexes: [lsi('byLsk', { Projection: {} })] },
      'One or more parameter values were invalid: Unknown ProjectionType: null',
    ],
    [
      'two indexes with one name',
      { LocalSecondaryIndexes: [lsi('same')], GlobalSecondaryIndexes: [gsi('same')] },
      'One or more parameter values were invalid: Duplicate index name: same',
    ],
    [
      'index throughput on a PAY_PER_REQUEST table',
      {
        GlobalSecondaryIndexes: [
          gsi('byGpk', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
        ],
      },
      'One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: byGpk when BillingMode is PAY_PER_REQUEST',
    ],
    [
      'no index throughput on a PROVISIONED table',
      {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        GlobalSecondaryIndexes: [gsi('byGpk')],
      },
      'One or more parameter values were invalid: ProvisionedThroughput is not specified for index: byGpk',
    ],
    [
      'more than 5 local indexes',
      { LocalSecondaryIndexes: Array.from({ length: 6 }, (_, i) => lsi(`local${i}`)) },
      'One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5',
    ],
    [
      'more than 20 global indexes',
      { GlobalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => gsi(`global${i}`)) },
      'One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20',
    ],
    [
      'more than 100 NonKeyAttributes over all indexes',
      {
        LocalSecondaryIndexes: Array.from({ length: 5 }, (_, i) =>
          lsi(`local${i}`, {
            Projection: {
              ProjectionType: 'INCLUDE',
              NonKeyAttributes: Array.from({ length: 20 }, (_, k) => `a${i * 20 + k}`),
            },
          }),
        ),
        GlobalSecondaryIndexes: [
          gsi('global', { Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['more'] } }),
        ],
      },
      'One or more parameter values were invalid: Number of projected attributes in all indexes exceeds limit of 100',
    ],
  ])('refuses %s', async (_, overrides, message) => {
    expect(await attempt(overrides)).toBe(message);
  });

  it('accepts what DynamoDB accepts: an index named like the table, a GSI on the table key', async () => {
    const TableName = uniqueName();
    await create({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: key('pk', 'sk') as CreateTableCommandInput['KeySchema'],
      LocalSecondaryIndexes: [lsi('sameSort', { KeySchema: key('pk', 'sk') }) as never],
      GlobalSecondaryIndexes: [gsi(TableName, { KeySchema: key('pk', 'sk') }) as never],
    });
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName }));
    expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe(TableName);
  });
});
