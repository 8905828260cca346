import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTape } from '../../src/tape/readTape.js';
import type { Tape } from '../../src/tape/tapeFormat.js';
import {
  type DynamoDbLocal,
  skipWithoutDynamoDbLocal,
  startDynamoDbLocal,
} from '../helpers/dynamoDbLocal.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli } from '../helpers/runCli.js';

// `eddy record` as a user runs it: a process against an endpoint, with a tape file as its result.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-record-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const createCounters = async (dynamodb: DynamoDBClient): Promise<string> => {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: 'counters',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'counters' }));
  return Table?.LatestStreamArn as string;
};

const put = (dynamodb: DynamoDBClient, id: string, v: number) =>
  dynamodb.send(new PutItemCommand({ TableName: 'counters', Item: { id: { S: id }, v: { N: String(v) } } }));

const valuesById = (tape: Tape): Map<string, number[]> => {
  const seen = new Map<string, number[]>();
  for (const { record } of tape.records) {
    const image = record.dynamodb.NewImage ?? {};
    const id = (image.id as { S: string }).S;
    seen.set(id, [...(seen.get(id) ?? []), Number((image.v as { N: string }).N)]);
  }
  return seen;
};

describe('eddy record against the emulator', () => {
  let h: EmulatorHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('records a split shard tree from trim-horizon until now: every record once, parents before children', async () => {
    const harness = await startHarness({ streams: { shardCount: 2, rolloverAfterRecords: 7 } });
    h = harness;
    const streamArn = await createCounters(harness.dynamodb);
    const items = ['a', 'b', 'c', 'd'];
    for (let v = 1; v <= 8; v++) {
      for (const id of items) await put(h.dynamodb, id, v);
      if (v === 4) {
        const stream = h.running.emulator.region('us-east-1').streams.get(streamArn);
        const open = stream?.shards.find((s) => s.isOpen);
        if (open !== undefined) stream?.split(open.id);
      }
    }
    const out = join(dir, 'tree.tape.ndjson.gz');
    const cli = runCli([
      'record',
      '--table',
      'counters',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
      '--from',
      'trim-horizon',
      '--until',
      'now',
      '--out',
      out,
    ]);
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toMatch(/eddy record: wrote 32 records from \d+ shards to .*tree\.tape\.ndjson\.gz/);
    // loadTape checks the order rules: a shard's records in order, no parent record after a child's.
    const tape = await loadTape(out);
    expect(tape.records).toHaveLength(32);
    expect(new Set(tape.records.map((r) => r.record.eventID)).size).toBe(32);
    for (const id of items) expect(valuesById(tape).get(id), id).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(tape.shards.filter((s) => s.parentShardId !== undefined).length).toBeGreaterThan(1);
    expect(tape.header).toMatchObject({
      streamArn,
      tableName: 'counters',
      recording: { endpoint: h.running.endpoint },
    });
    expect(tape.end?.reason).toBe('until');
  }, 60_000);

  it('stops on SIGINT during --until follow and leaves a valid tape with everything read', async () => {
    h = await startHarness();
    const streamArn = await createCounters(h.dynamodb);
    await put(h.dynamodb, 'before', 1);
    const out = join(dir, 'follow.tape.ndjson');
    const cli = runCli([
      'record',
      '--stream-arn',
      streamArn,
      '--endpoint',
      h.running.endpoint,
      '--from',
      'latest',
      '--until',
      'follow',
      '--out',
      out,
      '--progress-interval',
      '0.05',
    ]);
    // A progress line: the first GetRecords page was read, so LATEST is positioned.
    await cli.waitForOutput(/eddy record: 0 records, 0\/1 shards done/);
    for (let v = 1; v <= 3; v++) await put(h.dynamodb, 'after', v);
    await cli.waitForOutput(/eddy record: 3 records/);
    expect(await cli.stop('SIGINT'), cli.output()).toBe(0);
    expect(cli.output()).toMatch(/SIGINT received, closing the tape/);
    expect(cli.output()).toMatch(/wrote 3 records from 1 shard .*\(stopped by a signal\)/);
    const tape = await loadTape(out);
    expect([...valuesById(tape)]).toEqual([['after', [1, 2, 3]]]);
    expect(tape.end).toMatchObject({ reason: 'interrupted', records: 3 });
  }, 60_000);

  it('says which flag is wrong and what it takes (exit code 2), and refuses to overwrite a tape', async () => {
    const badFrom = runCli(['record', '--table', 't', '--from', 'yesterday', '--out', join(dir, 'x.ndjson')]);
    expect(await badFrom.exited).toBe(2);
    expect(badFrom.output()).toMatch(
      /--from <position>.*'yesterday' is invalid\. expected trim-horizon, latest, an ISO-8601 time/,
    );
    const badUntil = runCli([
      'record',
      '--table',
      't',
      '--until',
      'tomorrow',
      '--out',
      join(dir, 'x.ndjson'),
    ]);
    expect(await badUntil.exited).toBe(2);
    expect(badUntil.output()).toMatch(/--until <position>.*expected now, follow, or an ISO-8601 time/);
    const neither = runCli(['record', '--out', join(dir, 'x.ndjson')]);
    expect(await neither.exited).toBe(2);
    expect(neither.output()).toMatch(/give --table NAME or --stream-arn ARN \(one of them\)/);
    const existing = join(dir, 'existing.ndjson');
    await writeFile(existing, 'mine\n');
    const overwrite = runCli([
      'record',
      '--table',
      't',
      '--endpoint',
      'http://127.0.0.1:9',
      '--out',
      existing,
    ]);
    expect(await overwrite.exited).toBe(2);
    expect(overwrite.output()).toMatch(/--out .*existing\.ndjson exists; pass --force/);
    const nobody = runCli([
      'record',
      '--table',
      't',
      '--endpoint',
      'http://127.0.0.1:9',
      '--out',
      join(dir, 'y.ndjson'),
    ]);
    expect(await nobody.exited).toBe(2);
    expect(nobody.output()).toMatch(/eddy record: nothing answers at --endpoint http:\/\/127\.0\.0\.1:9/);
  }, 60_000);

  it('says when the table has no stream, or is not there (exit code 4)', async () => {
    h = await startHarness();
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'plain',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const args = [
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
      '--out',
      join(dir, 'none.ndjson'),
    ];
    const plain = runCli(['record', '--table', 'plain', ...args]);
    expect(await plain.exited).toBe(4);
    expect(plain.output()).toMatch(
      /table plain has no stream at http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\)/,
    );
    const missing = runCli(['record', '--table', 'nothing', ...args]);
    expect(await missing.exited).toBe(4);
    expect(missing.output()).toMatch(/table nothing \(region us-east-1\) not found at http/);
  }, 60_000);
});

const skip = skipWithoutDynamoDbLocal();

describe.skipIf(skip !== undefined)('eddy record against DynamoDB Local', () => {
  let local: DynamoDbLocal;
  let dynamodb: DynamoDBClient;
  beforeAll(async () => {
    local = await startDynamoDbLocal();
    dynamodb = new DynamoDBClient({
      endpoint: local.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'eddy', secretAccessKey: 'eddy' },
    });
  }, 90_000);
  afterAll(async () => {
    dynamodb?.destroy();
    await local?.close();
  });

  it('records its stream through the same SDK calls', async () => {
    await createCounters(dynamodb);
    for (let v = 1; v <= 5; v++) await put(dynamodb, 'x', v);
    await put(dynamodb, 'y', 1);
    const out = join(dir, 'local.tape.ndjson.gz');
    const cli = runCli([
      'record',
      '--table',
      'counters',
      '--endpoint',
      local.endpoint,
      '--region',
      'us-east-1',
      '--out',
      out,
    ]);
    expect(await cli.exited, cli.output()).toBe(0);
    const tape = await loadTape(out);
    expect(valuesById(tape)).toEqual(
      new Map([
        ['x', [1, 2, 3, 4, 5]],
        ['y', [1]],
      ]),
    );
    expect(tape.header).toMatchObject({ tableName: 'counters', streamViewType: 'NEW_AND_OLD_IMAGES' });
  }, 90_000);
});
