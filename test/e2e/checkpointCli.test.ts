import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBCheckpointStore } from '../../src/checkpoint/DynamoDBCheckpointStore.js';
import { FileCheckpointStore } from '../../src/checkpoint/FileCheckpointStore.js';
import { ManualClock } from '../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli } from '../helpers/runCli.js';

// `eddy checkpoint list|set` as an operator runs it, on eddy dev's state dir and on a DynamoDB checkpoint table.

let dir: string;
let h: EmulatorHarness | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-checkpoint-cli-'));
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await rm(dir, { recursive: true, force: true });
});

const SHARD_A = 'shardId-00000001767225600000-aaaaaaaa';
const SHARD_B = 'shardId-00000001767225700000-bbbbbbbb';

const run = async (args: string[]) => {
  const cli = runCli(['checkpoint', ...args]);
  const code = await cli.exited;
  return { code, output: cli.output() };
};

describe('eddy checkpoint on a state dir (eddy dev --state-dir)', () => {
  it('lists positions per mapping and shard, as a table and as JSON', async () => {
    const store = new FileCheckpointStore(join(dir, 'checkpoints.json'));
    await store.put('OrdersProjection-Stream', SHARD_A, {
      sequenceNumber: '100000000000000000042',
      shardEnded: true,
    });
    await store.put('OrdersProjection-Stream', SHARD_B, { sequenceNumber: '100000000000000000077' });
    await store.put('Totals-Stream', SHARD_B, { sequenceNumber: '100000000000000000070' });
    const plain = await run(['list', '--state-dir', dir]);
    expect(plain.code, plain.output).toBe(0);
    expect(plain.output).toMatch(/3 checkpoint\(s\) in .*checkpoints\.json/);
    expect(plain.output).toMatch(/MAPPING\s+SHARD\s+CHECKPOINT\s+SHARD ENDED/);
    expect(plain.output).toMatch(
      new RegExp(`OrdersProjection-Stream\\s+${SHARD_A}\\s+100000000000000000042\\s+yes`),
    );
    expect(plain.output).toMatch(new RegExp(`Totals-Stream\\s+${SHARD_B}\\s+100000000000000000070\\s+no`));
    const json = await run(['list', '--state-dir', dir, '--mapping', 'Totals-Stream', '--json']);
    expect(JSON.parse(json.output)).toEqual([
      {
        mappingId: 'Totals-Stream',
        shardId: SHARD_B,
        checkpoint: { sequenceNumber: '100000000000000000070' },
      },
    ]);
  }, 60_000);

  it('moves a checkpoint backwards and reopens an ended shard (the runtime path would refuse both)', async () => {
    const path = join(dir, 'checkpoints.json');
    await new FileCheckpointStore(path).put('m', SHARD_A, {
      sequenceNumber: '100000000000000000042',
      shardEnded: true,
    });
    const moved = await run([
      'set',
      '--state-dir',
      dir,
      '--mapping',
      'm',
      '--shard',
      SHARD_A,
      '--sequence-number',
      '100000000000000000010',
    ]);
    expect(moved.code, moved.output).toBe(0);
    expect(moved.output).toMatch(
      /m shardId-\S+: 100000000000000000042 → 100000000000000000010 \(the shard is no longer marked ended\)/,
    );
    expect(await new FileCheckpointStore(path).get('m', SHARD_A)).toEqual({
      sequenceNumber: '100000000000000000010',
    });
  }, 60_000);

  it('says what is wrong: an unknown mapping, a bad sequence number, both or no store, a missing state dir', async () => {
    await new FileCheckpointStore(join(dir, 'checkpoints.json')).put('m', SHARD_A, {
      sequenceNumber: '100000000000000000042',
    });
    const unknown = await run([
      'set',
      '--state-dir',
      dir,
      '--mapping',
      'typo',
      '--shard',
      SHARD_A,
      '--sequence-number',
      '100000000000000000001',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toMatch(/--mapping typo: no checkpoints of that mapping in .*; mappings there: m/);
    const bad = await run([
      'set',
      '--state-dir',
      dir,
      '--mapping',
      'm',
      '--shard',
      SHARD_A,
      '--sequence-number',
      '12x',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.output).toMatch(/--sequence-number 12x: expected a sequence number \(21 to 40 digits\)/);
    const noStore = await run(['list']);
    expect(noStore.code).toBe(2);
    expect(noStore.output).toMatch(/give --state-dir DIR .* or --table NAME/);
    const missing = await run(['list', '--state-dir', join(dir, 'nothing')]);
    expect(missing.code).toBe(4);
    expect(missing.output).toMatch(/no checkpoints in --state-dir .*nothing/);
    const noEndpoint = await run([
      'set',
      '--state-dir',
      dir,
      '--mapping',
      'm',
      '--shard',
      SHARD_A,
      '--time',
      '2026-01-01T00:00:00Z',
    ]);
    expect(noEndpoint.code).toBe(2);
    expect(noEndpoint.output).toMatch(
      /--time reads shard .* pass --endpoint URL and --region R of its stream/,
    );
  }, 60_000);

  it('turns --time into the last record before that second by reading the shard', async () => {
    const clock = new ManualClock(Date.parse('2026-05-01T08:00:00.000Z'));
    h = await startHarness({ clock });
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    for (const id of ['o1', 'o2', 'o3']) {
      await h.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: id } } }));
      clock.advance(60_000);
    }
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
    const streamArn = Table?.LatestStreamArn as string;
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = StreamDescription?.Shards?.[0]?.ShardId as string;
    const { ShardIterator } = await h.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records = [] } = await h.streams.send(new GetRecordsCommand({ ShardIterator }));
    const sequence = Records.map((r) => r.dynamodb?.SequenceNumber as string);
    const path = join(dir, 'checkpoints.json');
    await new FileCheckpointStore(path).put('orders-view', shardId, {
      sequenceNumber: sequence[2] as string,
    });
    // 08:01:30 → the record written at 08:01:00 is the last one before it; o3 (08:02:00) runs again.
    const moved = await run([
      'set',
      '--state-dir',
      dir,
      '--mapping',
      'orders-view',
      '--shard',
      shardId,
      '--time',
      '2026-05-01T08:01:30Z',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
    ]);
    expect(moved.code, moved.output).toBe(0);
    expect(moved.output).toMatch(
      new RegExp(`first record from then on is ${sequence[2]} \\(created 2026-05-01T08:02:00.000Z\\)`),
    );
    expect(await new FileCheckpointStore(path).get('orders-view', shardId)).toEqual({
      sequenceNumber: sequence[1],
    });
    // Before the first record: nothing of the shard handled.
    const start = await run([
      'set',
      '--state-dir',
      dir,
      '--mapping',
      'orders-view',
      '--shard',
      shardId,
      '--time',
      '2026-05-01T07:00:00Z',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
      '--stream-arn',
      streamArn,
    ]);
    expect(start.code, start.output).toBe(0);
    expect(start.output).toMatch(/→ \(none: the shard from its start\)/);
    expect((await new FileCheckpointStore(path).get('orders-view', shardId))?.sequenceNumber).toBeUndefined();
  }, 60_000);
});

describe('eddy checkpoint on a DynamoDB checkpoint table', () => {
  it('lists and moves checkpoints there', async () => {
    h = await startHarness();
    const store = new DynamoDBCheckpointStore(h.dynamodb, 'eddy-checkpoints');
    await store.ensureTable();
    await store.put('orders', SHARD_A, { sequenceNumber: '100000000000000000500' });
    await store.put('orders', SHARD_B, { shardEnded: true });
    const args = ['--table', 'eddy-checkpoints', '--endpoint', h.running.endpoint, '--region', 'us-east-1'];
    const listed = await run(['list', ...args]);
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toMatch(
      /2 checkpoint\(s\) in table eddy-checkpoints at http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\)/,
    );
    expect(listed.output).toMatch(new RegExp(`orders\\s+${SHARD_A}\\s+100000000000000000500\\s+no`));
    expect(listed.output).toMatch(new RegExp(`orders\\s+${SHARD_B}\\s+-\\s+yes`));
    const moved = await run([
      'set',
      ...args,
      '--mapping',
      'orders',
      '--shard',
      SHARD_A,
      '--sequence-number',
      '100000000000000000100',
    ]);
    expect(moved.code, moved.output).toBe(0);
    expect(await store.get('orders', SHARD_A)).toEqual({ sequenceNumber: '100000000000000000100' });
    const missing = await run([
      'list',
      '--table',
      'no-such-table',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
    ]);
    expect(missing.code).toBe(4);
    expect(missing.output).toMatch(/checkpoint table no-such-table not found/);
  }, 60_000);
});
