import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness;
let streamArn: string;
beforeEach(async () => {
  h = await startHarness();
  streamArn = await createStreamTable(h.dynamodb, 'controlled', 'KEYS_ONLY');
});
afterEach(() => h.close());

const put = (pk: string) =>
  h.dynamodb.send(new PutItemCommand({ TableName: 'controlled', Item: { pk: { S: pk } } }));
const noRetries = () => {
  const config = {
    endpoint: h.running.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  };
  return { dynamodb: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
};

describe('fault injection', () => {
  it.each([
    ['throttling', 'ThrottlingException', 400],
    ['limitExceeded', 'LimitExceededException', 400],
    ['provisionedThroughputExceeded', 'ProvisionedThroughputExceededException', 400],
    ['internalError', 'InternalServerError', 500],
  ] as const)('fails the next calls with %s as AWS would', async (kind, name, status) => {
    const clients = noRetries();
    h.running.emulator.control.failNext('PutItem', 2, kind);
    for (let i = 0; i < 2; i++) {
      await expect(
        clients.dynamodb.send(new PutItemCommand({ TableName: 'controlled', Item: { pk: { S: 'x' } } })),
      ).rejects.toMatchObject({
        name,
        $metadata: { httpStatusCode: status },
      });
    }
    await expect(
      clients.dynamodb.send(new PutItemCommand({ TableName: 'controlled', Item: { pk: { S: 'x' } } })),
    ).resolves.toBeDefined();
    clients.dynamodb.destroy();
    clients.streams.destroy();
  });

  it('lets the SDK retry throttling transparently, as against AWS', async () => {
    h.running.emulator.control.failNext('PutItem', 2, 'throttling');
    await expect(put('retried')).resolves.toBeDefined();
  });
});

describe('shards and iterators', () => {
  it('rolls a stream over on request', async () => {
    await put('a');
    const [child] = h.running.emulator.control.rollOver({ streamArn });
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    expect(StreamDescription?.Shards?.map((s) => s.ShardId)).toEqual([expect.any(String), child]);
    expect(StreamDescription?.Shards?.[1]?.ParentShardId).toBe(StreamDescription?.Shards?.[0]?.ShardId);
  });

  it('expires every iterator issued so far', async () => {
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const { ShardIterator } = await h.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: StreamDescription?.Shards?.[0]?.ShardId,
        ShardIteratorType: 'LATEST',
      }),
    );
    h.running.emulator.control.expireIterators();
    await expect(h.streams.send(new GetRecordsCommand({ ShardIterator }))).rejects.toMatchObject({
      name: 'ExpiredIteratorException',
    });
  });
});

describe('the runtime under faults', () => {
  it('delivers every record despite 500s, throttling and expired iterators, without counting them as retries', async () => {
    const seen: string[] = [];
    const mapping = new EventSourceMapping({
      mappingId: 'faulty',
      streamArn,
      client: h.streams,
      config: { StartingPosition: 'TRIM_HORIZON', BatchSize: 2, MaximumRetryAttempts: 0 },
      pollIntervalMs: 10,
      invoker: inProcessInvoker(async (event: DynamoDBStreamEvent) => {
        seen.push(...event.Records.map((r) => r.dynamodb?.Keys?.pk?.S as string));
      }),
    });
    const control = h.running.emulator.control;
    control.failNext('GetRecords', 6, 'internalError');
    control.failNext('DescribeStream', 2, 'limitExceeded');
    mapping.start();
    for (const pk of ['r1', 'r2', 'r3']) await put(pk);
    await waitFor(() => seen.length >= 3, 'the first records', 20_000);
    control.expireIterators();
    control.failNext('GetRecords', 3, 'limitExceeded');
    for (const pk of ['r4', 'r5']) await put(pk);
    await waitFor(() => seen.length >= 5, 'the records after the faults', 20_000);
    await mapping.stop();
    expect(seen).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
  });
});

describe('the control surface over HTTP', () => {
  const control = (action: string, body: unknown = {}) =>
    fetch(`${h.running.endpoint}/_eddy/control/${action}`, { method: 'POST', body: JSON.stringify(body) });

  it('rolls shards over and injects faults from any HTTP client', async () => {
    const rolled = await control('rollOver', { streamArn });
    expect(rolled.status).toBe(200);
    const { childShardIds } = (await rolled.json()) as { childShardIds: string[] };
    expect(childShardIds).toHaveLength(1);
    expect(
      (await control('failNext', { operation: 'GetItem', count: 1, kind: 'internalError' })).status,
    ).toBe(200);
    const clients = noRetries();
    await expect(
      clients.dynamodb.send(new GetItemCommand({ TableName: 'controlled', Key: { pk: { S: 'x' } } })),
    ).rejects.toMatchObject({ name: 'InternalServerError' });
    clients.dynamodb.destroy();
    clients.streams.destroy();
  });

  it('answers an unknown action with 404 and the known ones, and a bad request with 400', async () => {
    const unknown = await control('explode');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      __type: 'com.amazon.coral.service#UnknownOperationException',
      message: expect.stringMatching(/known: POST advanceClock, rollOver/),
    });
    const bad = await control('advanceClock', { ms: 5 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: expect.stringMatching(/ManualClock/),
    });
  });

  it('cannot be reached through the AWS protocol', async () => {
    const response = await fetch(h.running.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'EddyControl.RollOver' },
      body: JSON.stringify({ StreamArn: streamArn }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });
});
