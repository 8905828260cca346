import type { Random } from '../helpers/Random.js';
import { objectOf } from './jsonText.js';

/** A key attribute of a fixture table. */
interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

/** A table the harness created, with what a valid request against it needs. */
interface FixtureTable {
  readonly name: string;
  readonly arn: string;
  readonly hash: KeyAttribute;
  readonly range?: KeyAttribute;
  readonly indexName?: string;
  readonly streamArn?: string;
}

/** What the harness made and keeps current; the generator only reads it. */
interface Fixtures {
  readonly tables: readonly FixtureTable[];
  /** A table that the first valid DeleteTable removes. */
  readonly scratchTable: string;
  /** A name that the first valid CreateTable takes. */
  readonly createdTable: string;
  /** Open and closed shards per stream ARN. */
  readonly shards: ReadonlyMap<string, readonly string[]>;
  /** Fresh shard iterators (refreshed by the harness), and sequence numbers seen in the streams. */
  readonly iterators: readonly string[];
  readonly sequenceNumbers: readonly string[];
}

/** An operation's valid request before mutation. `target` is an X-Amz-Target or `control.<action>`. */
interface BaseRequest {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/** Keys the fixture tables are seeded with: `k0`…`k19` (as S, N or B). */
const SEEDED_KEYS = 20;

const keyValue = (type: KeyAttribute['type'], index: number): Record<string, string> => {
  if (type === 'N') return { N: String(index) };
  if (type === 'B') return { B: Buffer.from(`k${index}`).toString('base64') };
  return { S: `k${index}` };
};

/** A key of the table: one of the seeded ones mostly, sometimes a new one. */
const keyOf = (random: Random, table: FixtureTable): Record<string, unknown> => {
  const index = random.chance(0.7) ? random.int(SEEDED_KEYS) : SEEDED_KEYS + random.int(200);
  return objectOf([
    [table.hash.name, keyValue(table.hash.type, index)],
    ...(table.range === undefined
      ? []
      : [[table.range.name, keyValue(table.range.type, index % 3)] as const]),
  ]);
};

/** A small item of every attribute type. */
const itemOf = (random: Random, table: FixtureTable): Record<string, unknown> => {
  const item = keyOf(random, table);
  item.s = { S: random.word() };
  item.n = { N: String(random.int(1000) - 500) };
  if (random.chance(0.5)) item.b = { B: Buffer.from(random.word()).toString('base64') };
  if (random.chance(0.5)) item.ss = { SS: ['a', `x${random.word()}`] };
  if (random.chance(0.3)) item.ns = { NS: ['1', '2.5'] };
  if (random.chance(0.5))
    item.m = { M: { x: { N: '1' }, y: { L: [{ S: 'z' }, { BOOL: true }, { NULL: true }] } } };
  if (table.indexName !== undefined && random.chance(0.7)) item.g = { S: `g${random.int(3)}` };
  return item;
};

const withStreams = (fixtures: Fixtures) => fixtures.tables.filter((t) => t.streamArn !== undefined);

/** The PartiQL statements a valid ExecuteStatement may send, with their parameters. */
const statementFor = (random: Random, table: FixtureTable): Record<string, unknown> => {
  const key = keyOf(random, table);
  const hash = key[table.hash.name];
  if (table.range !== undefined) {
    return { Statement: `SELECT * FROM "${table.name}" WHERE "${table.hash.name}" = ?`, Parameters: [hash] };
  }
  switch (random.int(4)) {
    case 0:
      return {
        Statement: `SELECT * FROM "${table.name}" WHERE "${table.hash.name}" = ?`,
        Parameters: [hash],
      };
    case 1:
      return {
        Statement: `INSERT INTO "${table.name}" VALUE {'${table.hash.name}': ?, 's': ?}`,
        Parameters: [keyValue(table.hash.type, SEEDED_KEYS + random.int(1000)), { S: random.word() }],
      };
    case 2:
      return {
        Statement: `UPDATE "${table.name}" SET s = ? WHERE "${table.hash.name}" = ?`,
        Parameters: [{ S: random.word() }, hash],
      };
    default:
      return { Statement: `DELETE FROM "${table.name}" WHERE "${table.hash.name}" = ?`, Parameters: [hash] };
  }
};

type Builder = (random: Random, fixtures: Fixtures) => Record<string, unknown>;

const table = (random: Random, fixtures: Fixtures) => random.pick(fixtures.tables);
const rangeTable = (fixtures: Fixtures) =>
  fixtures.tables.find((t) => t.range !== undefined) ?? (fixtures.tables[0] as FixtureTable);

/**
 * One valid request per operation of both services and per control action, against what the harness made.
 * Mutators start from these, so every member a mutation touches sits in a request that would otherwise pass.
 */
const BUILDERS: Readonly<Record<string, Builder>> = {
  'DynamoDB_20120810.BatchExecuteStatement': (r, f) => ({
    Statements: [statementFor(r, table(r, f)), statementFor(r, table(r, f))],
    ReturnConsumedCapacity: 'TOTAL',
  }),
  'DynamoDB_20120810.BatchGetItem': (r, f) => {
    const t = table(r, f);
    return {
      RequestItems: objectOf([
        [
          t.name,
          {
            Keys: [keyOf(r, t)],
            ProjectionExpression: '#k, s',
            ExpressionAttributeNames: { '#k': t.hash.name },
          },
        ],
      ]),
      ReturnConsumedCapacity: 'INDEXES',
    };
  },
  'DynamoDB_20120810.BatchWriteItem': (r, f) => {
    const t = table(r, f);
    const put = itemOf(r, t);
    let del = keyOf(r, t);
    while (JSON.stringify(del) === JSON.stringify(keyOfItem(put, t))) del = keyOf(r, t);
    return {
      RequestItems: objectOf([[t.name, [{ PutRequest: { Item: put } }, { DeleteRequest: { Key: del } }]]]),
      ReturnConsumedCapacity: 'TOTAL',
      ReturnItemCollectionMetrics: 'SIZE',
    };
  },
  'DynamoDB_20120810.CreateTable': (r, f) => ({
    TableName: f.createdTable,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...(r.chance(0.5)
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }
      : {}),
    Tags: [{ Key: 'fuzz', Value: 'yes' }],
  }),
  'DynamoDB_20120810.DeleteItem': (r, f) => {
    const t = table(r, f);
    return {
      TableName: t.name,
      Key: keyOf(r, t),
      ConditionExpression: 'attribute_exists(#k) OR attribute_not_exists(#k)',
      ExpressionAttributeNames: { '#k': t.hash.name },
      ReturnValues: 'ALL_OLD',
    };
  },
  'DynamoDB_20120810.DeleteTable': (_r, f) => ({ TableName: f.scratchTable }),
  'DynamoDB_20120810.DescribeEndpoints': () => ({}),
  'DynamoDB_20120810.DescribeLimits': () => ({}),
  'DynamoDB_20120810.DescribeTable': (r, f) => ({ TableName: table(r, f).name }),
  'DynamoDB_20120810.DescribeTimeToLive': (r, f) => ({ TableName: table(r, f).name }),
  'DynamoDB_20120810.ExecuteStatement': (r, f) => ({
    ...statementFor(r, table(r, f)),
    ConsistentRead: false,
  }),
  'DynamoDB_20120810.ExecuteTransaction': (r, f) => {
    const t = f.tables.find((x) => x.range === undefined) ?? (f.tables[0] as FixtureTable);
    return {
      TransactStatements: [
        {
          Statement: `UPDATE "${t.name}" SET s = ? WHERE "${t.hash.name}" = ?`,
          Parameters: [{ S: r.word() }, keyValue(t.hash.type, r.int(SEEDED_KEYS))],
        },
      ],
    };
  },
  'DynamoDB_20120810.GetItem': (r, f) => {
    const t = table(r, f);
    return {
      TableName: t.name,
      Key: keyOf(r, t),
      ProjectionExpression: '#k, s, m.y[0]',
      ExpressionAttributeNames: { '#k': t.hash.name },
      ConsistentRead: r.chance(0.5),
    };
  },
  'DynamoDB_20120810.ListTables': (r) => ({ Limit: 1 + r.int(10) }),
  'DynamoDB_20120810.ListTagsOfResource': (r, f) => ({ ResourceArn: table(r, f).arn }),
  'DynamoDB_20120810.PutItem': (r, f) => {
    const t = table(r, f);
    return {
      TableName: t.name,
      Item: itemOf(r, t),
      ConditionExpression: 'attribute_not_exists(#k) OR n < :big',
      ExpressionAttributeNames: { '#k': t.hash.name },
      ExpressionAttributeValues: { ':big': { N: '1000000' } },
      ReturnValues: 'ALL_OLD',
      ReturnConsumedCapacity: 'TOTAL',
    };
  },
  'DynamoDB_20120810.Query': (r, f) => {
    const t = rangeTable(f);
    const useIndex = t.indexName !== undefined && r.chance(0.3);
    return useIndex
      ? {
          TableName: t.name,
          IndexName: t.indexName,
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: `g${r.int(3)}` } },
          Limit: 1 + r.int(20),
        }
      : {
          TableName: t.name,
          KeyConditionExpression: '#k = :p AND #r BETWEEN :a AND :b',
          FilterExpression: 'attribute_exists(s) AND size(s) > :z',
          ExpressionAttributeNames: { '#k': t.hash.name, '#r': t.range?.name ?? 'sk' },
          ExpressionAttributeValues: objectOf([
            [':p', (keyOf(r, t) as Record<string, unknown>)[t.hash.name]],
            [':a', { N: '0' }],
            [':b', { N: '2' }],
            [':z', { N: '0' }],
          ]),
          Limit: 1 + r.int(20),
          ScanIndexForward: r.chance(0.5),
        };
  },
  'DynamoDB_20120810.Scan': (r, f) => ({
    TableName: table(r, f).name,
    FilterExpression: 'begins_with(s, :p) OR contains(ss, :p) OR n BETWEEN :lo AND :hi',
    ExpressionAttributeValues: { ':p': { S: 'a' }, ':lo': { N: '-10' }, ':hi': { N: '10' } },
    Limit: 1 + r.int(50),
    ...(r.chance(0.3) ? { Segment: 0, TotalSegments: 2 } : {}),
  }),
  'DynamoDB_20120810.TagResource': (r, f) => ({
    ResourceArn: table(r, f).arn,
    Tags: [{ Key: `k${r.int(5)}`, Value: r.word() }],
  }),
  'DynamoDB_20120810.TransactGetItems': (r, f) => {
    const t = table(r, f);
    return {
      TransactItems: [{ Get: { TableName: t.name, Key: keyOf(r, t), ProjectionExpression: 's, n' } }],
    };
  },
  'DynamoDB_20120810.TransactWriteItems': (r, f) => {
    const t =
      f.tables.find((x) => x.range === undefined && x.hash.type === 'S') ?? (f.tables[0] as FixtureTable);
    const key = (i: number) => objectOf([[t.hash.name, { S: `k${i}` }]]);
    const base = r.int(SEEDED_KEYS - 3);
    return {
      TransactItems: [
        {
          Put: {
            TableName: t.name,
            Item: objectOf([
              [t.hash.name, { S: `k${base}` }],
              ['s', { S: r.word() }],
            ]),
          },
        },
        {
          Update: {
            TableName: t.name,
            Key: key(base + 1),
            UpdateExpression: 'SET n = if_not_exists(n, :z) + :one',
            ExpressionAttributeValues: { ':z': { N: '0' }, ':one': { N: '1' } },
          },
        },
        {
          ConditionCheck: {
            TableName: t.name,
            Key: key(base + 2),
            ConditionExpression: 'attribute_exists(#k) OR attribute_not_exists(#k)',
            ExpressionAttributeNames: { '#k': t.hash.name },
          },
        },
        { Delete: { TableName: t.name, Key: key(base + 3) } },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    };
  },
  'DynamoDB_20120810.UntagResource': (r, f) => ({ ResourceArn: table(r, f).arn, TagKeys: [`k${r.int(5)}`] }),
  'DynamoDB_20120810.UpdateItem': (r, f) => {
    const t = table(r, f);
    return {
      TableName: t.name,
      Key: keyOf(r, t),
      UpdateExpression:
        'SET #s = :s, n = if_not_exists(n, :z) + :one, l = list_append(if_not_exists(l, :e), :l) REMOVE gone ADD ss :ss',
      ConditionExpression: 'attribute_not_exists(n) OR n < :big',
      ExpressionAttributeNames: { '#s': 's' },
      ExpressionAttributeValues: {
        ':s': { S: r.word() },
        ':z': { N: '0' },
        ':one': { N: '1' },
        ':e': { L: [] },
        ':l': { L: [{ N: '1' }] },
        ':ss': { SS: ['x'] },
        ':big': { N: '1000000' },
      },
      ReturnValues: r.pick(['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']),
    };
  },
  'DynamoDB_20120810.UpdateTable': (r, f) => ({
    TableName: (f.tables.find((t) => t.streamArn === undefined) ?? table(r, f)).name,
    ...(r.chance(0.5) ? { DeletionProtectionEnabled: false } : { TableClass: 'STANDARD' }),
  }),
  // The scratch table: TTL on starts the emulator's sweeper, which writes on its own; DeleteTable ends it.
  'DynamoDB_20120810.UpdateTimeToLive': (_r, f) => ({
    TableName: f.scratchTable,
    TimeToLiveSpecification: { Enabled: true, AttributeName: 'fuzzTtl' },
  }),
  'DynamoDBStreams_20120810.DescribeStream': (r, f) => ({
    StreamArn: r.pick(withStreams(f)).streamArn,
    Limit: 1 + r.int(100),
  }),
  'DynamoDBStreams_20120810.GetRecords': (r, f) => ({
    ShardIterator: f.iterators.length === 0 ? 'x' : r.pick(f.iterators),
    Limit: 1 + r.int(1000),
  }),
  'DynamoDBStreams_20120810.GetShardIterator': (r, f) => {
    const streamArn = r.pick(withStreams(f)).streamArn as string;
    const shardId = r.pick(f.shards.get(streamArn) ?? ['shardId-none']);
    const sequence = f.sequenceNumbers.length > 0 && r.chance(0.3) ? r.pick(f.sequenceNumbers) : undefined;
    return sequence === undefined
      ? { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: r.pick(['TRIM_HORIZON', 'LATEST']) }
      : {
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: r.pick(['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER']),
          SequenceNumber: sequence,
        };
  },
  'DynamoDBStreams_20120810.ListStreams': (r, f) =>
    r.chance(0.5) ? { Limit: 1 + r.int(10) } : { TableName: r.pick(withStreams(f)).name },
  // The control surface (`POST /_eddy/control/<action>`); its inputs are described in controlShapes.
  'control.advanceClock': () => ({ ms: 1 }),
  'control.rollOver': (r, f) => ({ streamArn: r.pick(withStreams(f)).streamArn }),
  'control.split': (r, f) => {
    const streamArn = r.pick(withStreams(f)).streamArn as string;
    return { streamArn, shardId: r.pick(f.shards.get(streamArn) ?? ['shardId-none']) };
  },
  'control.expireIterators': () => ({}),
  // An operation the fuzz never calls, so an injected fault cannot turn a later answer into a 500.
  'control.failNext': () => ({ operation: 'ListGlobalTables', count: 1, kind: 'throttling' }),
  'control.sweepTtl': () => ({}),
};

const keyOfItem = (item: Record<string, unknown>, t: FixtureTable) =>
  objectOf([
    [t.hash.name, item[t.hash.name]],
    ...(t.range === undefined ? [] : [[t.range.name, item[t.range.name]] as const]),
  ]);

/** Every target the fuzz covers: both services' operation tables and the control actions. */
const TARGETS = Object.keys(BUILDERS);

const baseRequest = (random: Random, fixtures: Fixtures, target: string): BaseRequest => {
  const build = BUILDERS[target];
  if (build === undefined) throw new Error(`no base request for ${target}`);
  return { target, body: build(random, fixtures) };
};

export type { BaseRequest, Fixtures, FixtureTable, KeyAttribute };
export { baseRequest, itemOf, keyOf, SEEDED_KEYS, TARGETS };
