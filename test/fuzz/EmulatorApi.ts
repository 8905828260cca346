import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Random } from '../helpers/Random.js';
import type { Fixtures, FixtureTable, KeyAttribute } from './baseRequests.js';
import { itemOf, SEEDED_KEYS } from './baseRequests.js';
import type { RawClient } from './sendRequest.js';

type Json = Record<string, unknown>;

/**
 * Valid requests the harness sends to set up fixtures and read state: a thin JSON client over the same raw
 * connection the fuzz uses, failing loudly on anything but 200.
 */
class EmulatorApi {
  constructor(readonly client: RawClient) {}

  async call(target: string, body: Json): Promise<Json> {
    const outcome = await this.client.send({
      method: 'POST',
      path: '/',
      headers: {
        host: `127.0.0.1:${this.client.port}`,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': target,
        authorization:
          'AWS4-HMAC-SHA256 Credential=fuzz/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: Buffer.from(JSON.stringify(body)),
    });
    if (outcome.kind !== 'answer') throw new Error(`${target}: ${outcome.kind}`);
    const text = outcome.body.toString('utf8');
    if (outcome.status !== 200)
      throw new Error(`${target} answered ${outcome.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as Json;
  }

  dynamodb(operation: string, body: Json): Promise<Json> {
    return this.call(`DynamoDB_20120810.${operation}`, body);
  }

  streams(operation: string, body: Json): Promise<Json> {
    return this.call(`DynamoDBStreams_20120810.${operation}`, body);
  }
}

interface TableSpec {
  readonly name: string;
  readonly hash: KeyAttribute;
  readonly range?: KeyAttribute;
  readonly indexName?: string;
  readonly streamViewType?: string;
}

/** The tables every epoch starts with: each key type, a sort key with a GSI, three stream view types. */
const TABLES: readonly TableSpec[] = [
  { name: 'fuzz_hash', hash: { name: 'pk', type: 'S' }, streamViewType: 'NEW_AND_OLD_IMAGES' },
  {
    name: 'fuzz_range',
    hash: { name: 'pk', type: 'S' },
    range: { name: 'sk', type: 'N' },
    indexName: 'byG',
    streamViewType: 'NEW_IMAGE',
  },
  { name: 'fuzz_num', hash: { name: 'id', type: 'N' }, streamViewType: 'KEYS_ONLY' },
  { name: 'fuzz_bin', hash: { name: 'pk', type: 'B' } },
];
const SCRATCH_TABLE = 'fuzz_scratch';
const CREATED_TABLE = 'fuzz_created';

const createTable = async (api: EmulatorApi, spec: TableSpec): Promise<void> => {
  const attributes = [spec.hash, ...(spec.range === undefined ? [] : [spec.range])];
  if (spec.indexName !== undefined) attributes.push({ name: 'g', type: 'S' });
  await api.dynamodb('CreateTable', {
    TableName: spec.name,
    AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: spec.hash.name, KeyType: 'HASH' },
      ...(spec.range === undefined ? [] : [{ AttributeName: spec.range.name, KeyType: 'RANGE' }]),
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...(spec.indexName === undefined
      ? {}
      : {
          GlobalSecondaryIndexes: [
            {
              IndexName: spec.indexName,
              KeySchema: [
                { AttributeName: 'g', KeyType: 'HASH' },
                { AttributeName: spec.range?.name ?? 'sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
    ...(spec.streamViewType === undefined
      ? {}
      : { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.streamViewType } }),
  });
};

/** Creates and fills the fixture tables, then reads back ARNs, shards and iterators. */
const setUpFixtures = async (api: EmulatorApi, seed: number): Promise<Fixtures> => {
  for (const spec of TABLES) await createTable(api, spec);
  await createTable(api, { name: SCRATCH_TABLE, hash: { name: 'pk', type: 'S' } });
  const random = new Random(seed);
  const placeholders: FixtureTable[] = TABLES.map((t) => ({ ...t, arn: '' }));
  for (const table of placeholders) {
    for (let i = 0; i < SEEDED_KEYS; i += 1) {
      const item = itemOf(random, table);
      const key = (type: string, index: number) =>
        type === 'N'
          ? { N: String(index) }
          : type === 'B'
            ? { B: Buffer.from(`k${index}`).toString('base64') }
            : { S: `k${index}` };
      item[table.hash.name] = key(table.hash.type, i);
      if (table.range !== undefined) item[table.range.name] = key(table.range.type, i % 3);
      await api.dynamodb('PutItem', { TableName: table.name, Item: item });
    }
  }
  return refreshFixtures(api, {
    tables: placeholders,
    scratchTable: SCRATCH_TABLE,
    createdTable: CREATED_TABLE,
    shards: new Map(),
    iterators: [],
    sequenceNumbers: [],
  });
};

/** Current ARNs, shard lists and fresh iterators (they expire after 15 minutes, or on `expireIterators`). */
const refreshFixtures = async (
  api: EmulatorApi,
  fixtures: Fixtures,
  sequenceNumbers?: readonly string[],
): Promise<Fixtures> => {
  const tables: FixtureTable[] = [];
  const shards = new Map<string, string[]>();
  const iterators: string[] = [];
  for (const table of fixtures.tables) {
    let described: Json;
    try {
      described = (await api.dynamodb('DescribeTable', { TableName: table.name })).Table as Json;
    } catch {
      tables.push(table);
      continue;
    }
    const streamArn = described.LatestStreamArn as string | undefined;
    const { streamArn: _old, ...rest } = table;
    tables.push({
      ...rest,
      arn: described.TableArn as string,
      ...(streamArn === undefined ? {} : { streamArn }),
    });
    if (streamArn === undefined) continue;
    const ids = (await describeShards(api, streamArn)).map((s) => s.ShardId as string);
    shards.set(streamArn, ids);
    for (const shardId of ids.slice(-2)) {
      const answer = await api.streams('GetShardIterator', {
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      });
      iterators.push(answer.ShardIterator as string);
    }
  }
  return {
    ...fixtures,
    tables,
    shards,
    iterators,
    sequenceNumbers: sequenceNumbers ?? fixtures.sequenceNumbers,
  };
};

const describeShards = async (api: EmulatorApi, streamArn: string): Promise<Json[]> => {
  const shards: Json[] = [];
  let start: string | undefined;
  do {
    const answer = await api.streams('DescribeStream', {
      StreamArn: streamArn,
      ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
    });
    const description = answer.StreamDescription as Json;
    shards.push(...((description.Shards as Json[] | undefined) ?? []));
    start = description.LastEvaluatedShardId as string | undefined;
  } while (start !== undefined);
  return shards;
};

/** A digest of everything a client can read back, and what it was made of (for a diff when two differ). */
interface StateDigest {
  readonly hash: string;
  readonly parts: Readonly<Record<string, string>>;
  /** The JSON each part was hashed from, for a field-level diff. */
  readonly texts: Readonly<Record<string, string>>;
  readonly sequenceNumbers: readonly string[];
  /** Some table has TTL on: the emulator then sweeps (and may journal) on its own, between requests. */
  readonly ttlOn: boolean;
}

/**
 * What earlier digests of one process already read from its shards. Stream records never change once
 * written, so a shard is read from where the last digest stopped; a closed shard read to its end is not read
 * again. A restart check starts from an empty cache, so it reads every record.
 */
type ShardCache = Map<string, { readonly hash: string; readonly last?: string; readonly closed: boolean }>;

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/**
 * ListTables, every table's DescribeTable, DescribeTimeToLive, tags and full consistent Scan, every stream's
 * DescribeStream and every shard's records from TRIM_HORIZON: the state a refused request must not change.
 */
const digestState = async (api: EmulatorApi, cache: ShardCache = new Map()): Promise<StateDigest> => {
  const texts: Record<string, string> = {};
  const names: string[] = [];
  let ttlOn = false;
  let start: string | undefined;
  do {
    const page = await api.dynamodb(
      'ListTables',
      start === undefined ? {} : { ExclusiveStartTableName: start },
    );
    names.push(...(page.TableNames as string[]));
    start = page.LastEvaluatedTableName as string | undefined;
  } while (start !== undefined);
  texts.tables = JSON.stringify(names);
  // A table the fuzz created under an odd name may refuse some reads: the refusal is then part of the state.
  const orError = async (read: () => Promise<unknown>): Promise<unknown> => {
    try {
      return await read();
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  for (const name of names) {
    const table = ((await orError(() => api.dynamodb('DescribeTable', { TableName: name }))) as Json).Table as
      | Json
      | undefined;
    texts[`table ${name}`] = JSON.stringify(table ?? null);
    const ttl = await orError(() => api.dynamodb('DescribeTimeToLive', { TableName: name }));
    ttlOn ||= /ENABL/.test(JSON.stringify(ttl));
    texts[`ttl ${name}`] = JSON.stringify(ttl);
    texts[`tags ${name}`] = JSON.stringify(
      await orError(() => api.dynamodb('ListTagsOfResource', { ResourceArn: table?.TableArn })),
    );
    const items: string[] = [];
    let key: Json | undefined;
    do {
      const page = (await orError(() =>
        api.dynamodb('Scan', {
          TableName: name,
          ConsistentRead: true,
          ...(key === undefined ? {} : { ExclusiveStartKey: key }),
        }),
      )) as Json;
      for (const item of (page.Items as Json[] | undefined) ?? [page]) items.push(JSON.stringify(item));
      key = page.LastEvaluatedKey as Json | undefined;
    } while (key !== undefined);
    texts[`items ${name}`] = JSON.stringify(items.sort());
  }
  const streams: Json[] = [];
  let startArn: string | undefined;
  do {
    const page = await api.streams(
      'ListStreams',
      startArn === undefined ? {} : { ExclusiveStartStreamArn: startArn },
    );
    streams.push(...(page.Streams as Json[]));
    startArn = page.LastEvaluatedStreamArn as string | undefined;
  } while (startArn !== undefined);
  texts.streams = JSON.stringify(streams);
  const sequenceNumbers: string[] = [];
  for (const stream of streams) {
    const arn = stream.StreamArn as string;
    let shards: Json[];
    try {
      shards = await describeShards(api, arn);
    } catch (error) {
      texts[`shards ${arn}`] = JSON.stringify({ error: (error as Error).message });
      continue;
    }
    texts[`shards ${arn}`] = JSON.stringify(shards);
    for (const shard of shards) {
      const id = `${arn} ${shard.ShardId as string}`;
      const known = cache.get(id);
      if (known?.closed === true) {
        texts[`records ${id}`] = known.hash;
        continue;
      }
      let hash = known?.hash ?? '';
      let last = known?.last;
      let iterator = (
        await api.streams('GetShardIterator', {
          StreamArn: arn,
          ShardId: shard.ShardId,
          ...(last === undefined
            ? { ShardIteratorType: 'TRIM_HORIZON' }
            : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last }),
        })
      ).ShardIterator as string | undefined;
      let closed = false;
      while (iterator !== undefined && iterator !== null) {
        const page = await api.streams('GetRecords', { ShardIterator: iterator });
        const got = page.Records as Json[];
        if (got.length > 0) {
          // Chained record by record, not page by page: an incremental read (from where the last digest
          // stopped) and a full read after a restart page the same records differently.
          for (const record of got) hash = sha([hash, record]);
          last = ((got[got.length - 1] as Json).dynamodb as Json).SequenceNumber as string;
          for (const record of got.slice(-2))
            sequenceNumbers.push((record.dynamodb as Json).SequenceNumber as string);
        }
        const next = page.NextShardIterator as string | undefined;
        if (next === undefined || next === null) closed = true;
        iterator = got.length === 0 ? undefined : next;
      }
      cache.set(id, { hash, closed, ...(last === undefined ? {} : { last }) });
      texts[`records ${id}`] = hash;
    }
  }
  const parts: Record<string, string> = {};
  for (const [name, text] of Object.entries(texts)) parts[name] = sha(text);
  return { hash: sha(parts), parts, texts, sequenceNumbers: sequenceNumbers.slice(-20), ttlOn };
};

/** Where two JSON texts differ: the first few member paths. */
const jsonDiff = (a: string, b: string): string[] => {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (out.length >= 5) return;
    if (JSON.stringify(x) === JSON.stringify(y)) return;
    if (
      x !== null &&
      y !== null &&
      typeof x === 'object' &&
      typeof y === 'object' &&
      !Array.isArray(x) &&
      !Array.isArray(y)
    ) {
      for (const key of new Set([...Object.keys(x), ...Object.keys(y)]))
        walk((x as Json)[key], (y as Json)[key], `${path}.${key}`);
      return;
    }
    out.push(path || '(whole)');
  };
  try {
    walk(JSON.parse(a), JSON.parse(b), '');
  } catch {
    out.push('(whole)');
  }
  return out;
};

/** The parts two digests disagree on. */
const digestDiff = (before: StateDigest, after: StateDigest): string[] => {
  const keys = new Set([...Object.keys(before.parts), ...Object.keys(after.parts)]);
  return [...keys]
    .filter((k) => before.parts[k] !== after.parts[k])
    .map((k) => {
      const a = before.texts[k];
      const b = after.texts[k];
      if (a === undefined || b === undefined) return `${k} ${a === undefined ? 'added' : 'removed'}`;
      return `${k} ${k.startsWith('records') ? '' : jsonDiff(a, b).join(',')}`.trim();
    });
};

const filesOf = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
};

/**
 * Names and sizes of every file in the data dir: cheap enough to take after every request, and it sees any
 * append. The journal's format is another helper's to choose, so every file counts.
 */
const dirFingerprint = (dir: string): string =>
  filesOf(dir)
    .map((file) => {
      try {
        return `${relative(dir, file)}:${statSync(file).size}`;
      } catch {
        return `${relative(dir, file)}:gone`;
      }
    })
    .join('\n');

/** A hash of every byte of every file in the data dir. */
const dirHash = (dir: string): string => {
  const hash = createHash('sha256');
  for (const file of filesOf(dir)) {
    hash.update(relative(dir, file));
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('gone');
    }
  }
  return hash.digest('hex').slice(0, 16);
};

export type { ShardCache, StateDigest };
export { digestDiff, digestState, dirFingerprint, dirHash, EmulatorApi, refreshFixtures, setUpFixtures };
