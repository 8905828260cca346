import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient, ControlRequestError } from '../../../local-runtime/emulator/index.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness({ streams: { shardCount: 2 } });
});
afterAll(() => h.close());

describe('ControlClient (the typed client of POST /_eddy/control/<action>)', () => {
  it('rolls a stream over: the children it returns are in DescribeStream', async () => {
    const streamArn = await createStreamTable(h.dynamodb, 'rolled', 'KEYS_ONLY');
    const children = await new ControlClient(`${h.running.endpoint}/`).rollOver({ streamArn });
    expect(children).toHaveLength(2);
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardIds = (StreamDescription?.Shards ?? []).map((s) => s.ShardId);
    for (const child of children) expect(shardIds).toContain(child);
  });

  it('queues a fault the next call answers with, as AWS would', async () => {
    const control = new ControlClient(h.running.endpoint);
    // One attempt per call, so the fault reaches the test instead of being retried away.
    const client = new DynamoDBClient({
      endpoint: h.running.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const put = new PutItemCommand({ TableName: 'rolled', Item: { pk: { S: 'a' } } });
    await control.failNext('PutItem', 1, 'throttling');
    await expect(client.send(put)).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(client.send(put)).resolves.toBeDefined();
    await control.failNext('PutItem', 5, 'throttling');
    await control.clearFaults();
    await expect(client.send(put)).resolves.toBeDefined();
  });

  it("throws the emulator's error with its AWS name, status and message", async () => {
    const control = new ControlClient(h.running.endpoint);
    const error = await control.advanceClock(-1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlRequestError);
    expect(error).toMatchObject({ type: 'ValidationException', statusCode: 400 });
    expect((error as Error).message).toMatch(/advanceClock: ValidationException: ms must be a finite number/);
    await expect(
      control.rollOver({ streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/x' }),
    ).rejects.toMatchObject({ type: 'ResourceNotFoundException' });
  });
});

describe('running.wakeUps(streamArn)', () => {
  it("calls back with the shard of each write to that stream's table, and not for other streams", async () => {
    const watched = await createStreamTable(h.dynamodb, 'watched', 'KEYS_ONLY');
    await createStreamTable(h.dynamodb, 'other', 'KEYS_ONLY');
    const woken: string[] = [];
    const unsubscribe = h.running.wakeUps(watched).subscribe((shardId) => woken.push(shardId));
    await h.dynamodb.send(new PutItemCommand({ TableName: 'other', Item: { pk: { S: 'x' } } }));
    expect(woken).toEqual([]);
    await h.dynamodb.send(new PutItemCommand({ TableName: 'watched', Item: { pk: { S: 'x' } } }));
    expect(woken).toHaveLength(1);
    expect(woken[0]).toMatch(/^shardId-/);
    unsubscribe();
    await h.dynamodb.send(new PutItemCommand({ TableName: 'watched', Item: { pk: { S: 'y' } } }));
    expect(woken).toHaveLength(1);
  });
});
