import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, runCli } from '../helpers/runCli.js';
import { waitFor } from '../helpers/waitFor.js';

const run = promisify(execFile);

describe('eddy dev on template.yaml', () => {
  let dev: CliProcess;
  let endpoint: string;
  let client: DynamoDBClient;

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    dev = runCli(['dev', '--port', String(port)]);
    await dev.waitForOutput(/eddy dev: ready/, 60_000);
    client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });

  afterAll(async () => {
    client?.destroy();
    const code = await dev?.stop('SIGTERM');
    // A graceful stop: in-flight batches finish and the process exits cleanly.
    expect(code).toBe(0);
  });

  const view = async (orderId: string) =>
    (
      await client.send(
        new GetItemCommand({
          TableName: 'order-view',
          Key: { orderId: { S: orderId } },
          ConsistentRead: true,
        }),
      )
    ).Item;

  it('prints where the emulator listens and the mapping it runs', () => {
    expect(dev.output()).toContain(`emulator listening on ${endpoint}`);
    expect(dev.output()).toContain(
      'OrdersProjectionFunction ← OrdersStream: BatchSize 100, TRIM_HORIZON, ReportBatchItemFailures',
    );
  });

  it('projects orders written with the SDK into the view table', async () => {
    await client.send(
      new PutItemCommand({
        TableName: 'orders',
        Item: {
          orderId: { S: 'o-1' },
          customerId: { S: 'c-1' },
          status: { S: 'PAID' },
          total: { N: '42.5' },
          lines: { L: [{ S: 'a' }] },
        },
      }),
    );
    await waitFor(async () => (await view('o-1')) !== undefined, 'the projection of o-1');
    expect(await view('o-1')).toMatchObject({
      orderId: { S: 'o-1' },
      customerId: { S: 'c-1' },
      status: { S: 'PAID' },
      total: { N: '42.5' },
      lineCount: { N: '1' },
    });
    await client.send(
      new UpdateItemCommand({
        TableName: 'orders',
        Key: { orderId: { S: 'o-1' } },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'SHIPPED' } },
      }),
    );
    await waitFor(async () => (await view('o-1'))?.status?.S === 'SHIPPED', 'the update to reach the view');
    await client.send(new DeleteItemCommand({ TableName: 'orders', Key: { orderId: { S: 'o-1' } } }));
    // A deleted order's view row becomes a tombstone, so a redelivered older record cannot bring it back.
    await waitFor(
      async () => (await view('o-1'))?.eddy_deleted?.BOOL === true,
      'the delete to reach the view',
    );
    await dev.waitForOutput(/\[OrdersProjectionFunction [0-9a-f]{8}\] 1 record in → ok/);
  });

  it('projects a put-item from the AWS CLI', async (context) => {
    const aws = await run('aws', ['--version']).catch(() => undefined);
    if (aws === undefined) {
      context.skip('the AWS CLI is not installed on this machine');
      return;
    }
    await run(
      'aws',
      [
        'dynamodb',
        'put-item',
        '--endpoint-url',
        endpoint,
        '--region',
        'us-east-1',
        '--table-name',
        'orders',
        '--item',
        '{"orderId":{"S":"cli-1"},"status":{"S":"NEW"},"total":{"N":"7"}}',
      ],
      { env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' } },
    );
    await waitFor(async () => (await view('cli-1')) !== undefined, 'the projection of cli-1');
    expect((await view('cli-1'))?.total).toEqual({ N: '7' });
  });
});

describe('eddy dev with a bad template', () => {
  it('names the template, the property and the allowed range, and exits non-zero', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'eddy-bad-template-'));
    try {
      await writeFile(
        join(folder, 'handler.ts'),
        'export const handler = async () => ({ batchItemFailures: [] });\n',
      );
      await writeFile(
        join(folder, 'template.yaml'),
        [
          'Transform: AWS::Serverless-2016-10-31',
          'Resources:',
          '  Source:',
          '    Type: AWS::DynamoDB::Table',
          '    Properties:',
          '      TableName: source',
          '      BillingMode: PAY_PER_REQUEST',
          '      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]',
          '      KeySchema: [{AttributeName: id, KeyType: HASH}]',
          '      StreamSpecification: {StreamViewType: NEW_IMAGE}',
          '  Fn:',
          '    Type: AWS::Serverless::Function',
          '    Properties:',
          '      Runtime: nodejs20.x',
          '      CodeUri: .',
          '      Handler: handler.handler',
          '      Events:',
          '        S:',
          '          Type: DynamoDB',
          '          Properties:',
          '            Stream: !GetAtt Source.StreamArn',
          '            StartingPosition: LATEST',
          '            BatchSize: 0',
          '',
        ].join('\n'),
      );
      const port = await freePort();
      const dev = runCli(['dev', '--port', String(port), '--template', join(folder, 'template.yaml')]);
      expect(await dev.exited).toBe(1);
      expect(dev.output()).toContain(
        'template.yaml: Resources.Fn.Properties.Events.S.Properties.BatchSize: must be an integer from 1 to 10000; got 0',
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
