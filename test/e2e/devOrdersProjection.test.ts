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
import { isTombstone } from '../../src/index.js';
import {
  eddyDevFixture,
  failureLines,
  killRollBackAndRestart,
  replayChangesNothing,
  scanAll,
  startEddyDev,
  viewDifferences,
} from '../helpers/orderExamples.js';
import { type CliProcess, freePort, runCli } from '../helpers/runCli.js';
import { waitFor } from '../helpers/waitFor.js';

const run = promisify(execFile);
const SEED = Number(process.env.EDDY_SEED ?? 20260601);
const FUNCTION = 'OrdersProjectionFunction';

describe('eddy dev on template.yaml', () => {
  let dev: CliProcess;
  let endpoint: string;
  let client: DynamoDBClient;

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    // Not eddyDevFixture: with its defaults (no --state-dir, builds in .eddy/build), as the first test expects.
    dev = await startEddyDev(port, []);
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

  it('prints where the emulator listens and the mappings it runs (one region: no replicator)', () => {
    expect(dev.output()).toContain(`emulator listening on ${endpoint} (region us-east-1)`);
    expect(dev.output()).toContain(
      'OrdersProjectionFunction ← OrdersStream: BatchSize 100, TRIM_HORIZON, ' +
        'on failure → .eddy/failures/eddy-OrdersProjectionFailures.ndjson, ReportBatchItemFailures',
    );
    expect(dev.output()).toContain(
      '  us-east-1: 2 mappings OrdersProjectionFunction-OrdersStream, CustomerTotalsFunction-OrdersStream',
    );
    expect(dev.output()).not.toContain('OrdersReplicatorFunction');
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
    await waitFor(async () => (await view('o-1')) !== undefined, 'the projection of o-1', 30_000);
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
    // A delete leaves a tombstone: the key, the mark and the delete's sequence number, so that a replayed older
    // record cannot bring the row back; readers treat it as no row.
    await waitFor(async () => isTombstone(await view('o-1')), 'the delete to reach the view');
    expect(Object.keys((await view('o-1')) ?? {}).sort()).toEqual([
      'eddy_deleted',
      'eddy_source_sequence',
      'eddy_view_shape',
      'expiresAt',
      'orderId',
    ]);
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

/**
 * A random workload through the projection, with the redeliveries at-least-once delivery allows: `eddy dev`
 * killed with SIGKILL while orders are written, its last checkpoints lost (rolled back to the middle of the
 * stream, so those records come again while new orders arrive), restarted on the same --state-dir; then
 * restarted without any checkpoint, which replays the whole stream into the view once more. After each phase
 * the view must equal a recomputation from the orders table.
 */
describe('the order projection under a random workload with redeliveries', () => {
  const fixture = eddyDevFixture('e2e-projection-');
  const east = fixture.clients();
  const KEYS = 12;
  const orderIds = Array.from({ length: KEYS }, (_, i) => `o-${i}`);

  const viewIsRight = async () => {
    const differences = viewDifferences(
      await scanAll(east.dynamodb, 'orders'),
      await scanAll(east.dynamodb, 'order-view'),
      orderIds,
    );
    expect(differences).toEqual([]);
  };

  it(`is right after a SIGKILL mid-workload, lost checkpoints and a restart (seed ${SEED})`, async () => {
    const dev = await killRollBackAndRestart(fixture, {
      seed: SEED,
      keys: KEYS,
      fraction: 0.5,
      functionName: FUNCTION,
    });
    // The emulator's data survived the kill: the orders written before it were there when the restarted process
    // began (its start-up lines), and the mapping resumed.
    expect(dev.output()).toMatch(/orders \(stream NEW_AND_OLD_IMAGES, TTL expiresAt, kept\)/);
    await viewIsRight();
    expect(failureLines(dev.output())).toEqual([]);
  });

  it('is unchanged after the whole stream is replayed into it (no checkpoints: every record again)', async () => {
    // Not one row moves: each replayed record is refused as older than what its row reflects.
    await replayChangesNothing(fixture, {
      functionName: FUNCTION,
      table: 'order-view',
      isRight: viewIsRight,
    });
  });
});

describe('eddy dev with a bad template', () => {
  it('names the template, the property and the allowed range, and exits 2 (a template error)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'eddy-bad-template-'));
    try {
      // Without Metadata, Lambda loads handler.mjs as it is (a .ts handler needs BuildMethod: esbuild).
      await writeFile(
        join(folder, 'handler.mjs'),
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
          '      Runtime: nodejs22.x',
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
      expect(await dev.exited).toBe(2);
      expect(dev.output()).toContain(
        'template.yaml: Resources.Fn.Properties.Events.S.Properties.BatchSize: must be an integer from 1 to 10000; got 0',
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses --regions with a region twice, or with --region', async () => {
    const port = await freePort();
    const twice = runCli(['dev', '--port', String(port), '--regions', 'us-east-1,us-east-1']);
    expect(await twice.exited).toBe(2);
    expect(twice.output()).toContain('eddy dev: --regions names us-east-1 twice');
    const both = runCli(['dev', '--port', String(port), '--region', 'us-east-1', '--regions', 'eu-west-1']);
    expect(await both.exited).toBe(2);
    expect(both.output()).toContain('give --region or --regions, not both');
  });
});
