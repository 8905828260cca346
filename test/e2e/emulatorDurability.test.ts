import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, runCli } from '../helpers/runCli.js';
import { waitFor } from '../helpers/waitFor.js';

const folders: string[] = [];
afterAll(async () => {
  for (const f of folders) await rm(f, { recursive: true, force: true });
});

const clientsAt = (endpoint: string) => {
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  };
  return { dynamodb: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
};

const startEmulatorProcess = async (dataDir: string): Promise<{ cli: CliProcess; endpoint: string }> => {
  const port = await freePort();
  const cli = runCli(['emulator', '--port', String(port), '--data-dir', dataDir]);
  await cli.waitForOutput(/listening on/);
  return { cli, endpoint: `http://127.0.0.1:${port}` };
};

const readStream = async (streams: DynamoDBStreamsClient, streamArn: string): Promise<_Record[]> => {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator !== undefined) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
      records.push(...(page.Records ?? []));
      if ((page.Records ?? []).length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return records;
};

describe('eddy emulator --data-dir', () => {
  it('keeps every acknowledged write and its stream record across kill -9, and no record without its write', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'eddy-durable-'));
    folders.push(dataDir);
    const first = await startEmulatorProcess(dataDir);
    const a = clientsAt(first.endpoint);
    await a.dynamodb.send(
      new CreateTableCommand({
        TableName: 'durable',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const streamArn = (await a.dynamodb.send(new DescribeTableCommand({ TableName: 'durable' }))).Table
      ?.LatestStreamArn as string;
    // A settled prefix: these writes and their records must come back byte for byte.
    for (let i = 0; i < 20; i++) {
      await a.dynamodb.send(
        new PutItemCommand({
          TableName: 'durable',
          Item: { pk: { S: `settled-${i}` }, v: { N: String(i) } },
        }),
      );
      await a.dynamodb.send(
        new UpdateItemCommand({
          TableName: 'durable',
          Key: { pk: { S: `settled-${i}` } },
          UpdateExpression: 'SET v = v + :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
    }
    const before = await readStream(a.streams, streamArn);
    // Then writes in flight when the process is killed.
    const acknowledged: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const pk = `racing-${w}-${i}`;
        try {
          await a.dynamodb.send(new PutItemCommand({ TableName: 'durable', Item: { pk: { S: pk } } }));
          acknowledged.push(pk);
        } catch {
          return;
        }
      }
    });
    await waitFor(() => acknowledged.length >= 200, '200 acknowledged writes');
    first.cli.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await first.cli.exited;
    a.dynamodb.destroy();
    a.streams.destroy();

    const second = await startEmulatorProcess(dataDir);
    const b = clientsAt(second.endpoint);
    try {
      for (const pk of acknowledged) {
        const { Item } = await b.dynamodb.send(
          new GetItemCommand({ TableName: 'durable', Key: { pk: { S: pk } } }),
        );
        expect(Item, pk).toBeDefined();
      }
      const after = await readStream(b.streams, streamArn);
      // The records of the settled writes are the same records: same ids, sequence numbers and images.
      expect(after.slice(0, before.length)).toEqual(before);
      const recordedKeys = new Set(after.map((r) => r.dynamodb?.Keys?.pk?.S));
      for (const pk of acknowledged) expect(recordedKeys.has(pk), `record of ${pk}`).toBe(true);
      for (const record of after) {
        const pk = record.dynamodb?.Keys?.pk?.S as string;
        const { Item } = await b.dynamodb.send(
          new GetItemCommand({ TableName: 'durable', Key: { pk: { S: pk } } }),
        );
        expect(Item, `the write behind the record of ${pk}`).toBeDefined();
      }
      expect(after.length).toBe(40 + recordedKeys.size - 20);
    } finally {
      b.dynamodb.destroy();
      b.streams.destroy();
      await second.cli.stop();
    }
  });
});
