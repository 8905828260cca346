import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { streamRecordFactory } from '../../local-runtime/testing/streamRecordFactory.js';
import { tapeOf } from '../../local-runtime/testing/tapeOf.js';
import { writeTape } from '../../src/tape/writeTape.js';
import { freePort, ROOT, runCli } from '../helpers/runCli.js';
import { waitFor } from '../helpers/waitFor.js';

// `eddy dev --load TAPE` as a user reproduces an incident: a capture of production laid into the emulator, and
// the template's mapping (TRIM_HORIZON) processing it as if it had just happened.

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: orderId, AttributeType: S}]
      KeySchema: [{AttributeName: orderId, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
  View:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: view
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: orderId, AttributeType: S}]
      KeySchema: [{AttributeName: orderId, KeyType: HASH}]
  ProjectionFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
    Properties:
      Runtime: nodejs24.x
      Handler: projection.handler
      Events:
        Orders:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: TRIM_HORIZON, BatchSize: 2}
  LateFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
    Properties:
      Runtime: nodejs24.x
      Handler: projection.noop
      Events:
        Orders:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST}
`;

const PROJECTION = `import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async (event: { Records: any[] }) => {
  for (const r of event.Records) {
    const orderId = r.dynamodb.Keys.orderId;
    if (r.eventName === 'REMOVE') {
      await client.send(new DeleteItemCommand({ TableName: 'view', Key: { orderId } }));
    } else {
      await client.send(new PutItemCommand({
        TableName: 'view',
        Item: { orderId, total: r.dynamodb.NewImage.total, last: { S: r.eventName } },
      }));
    }
  }
  return { batchItemFailures: [] };
};
export const noop = async () => ({ batchItemFailures: [] });
`;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const app = async (): Promise<string> => {
  await mkdir(join(ROOT, '.eddy'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.eddy', 'load-'));
  dirs.push(dir);
  await writeFile(join(dir, 'template.yaml'), TEMPLATE);
  await writeFile(join(dir, 'projection.ts'), PROJECTION);
  return dir;
};

const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
const at = Date.UTC(2026, 0, 1, 10);
const incident = tapeOf([
  orders.insert({ orderId: 'o1', total: 10 }, { at }),
  orders.insert({ orderId: 'o2', total: 20 }, { at: at + 1000 }),
  orders.modify({ orderId: 'o1', total: 10 }, { orderId: 'o1', total: 15 }, { at: at + 2000 }),
  orders.insert({ orderId: 'o3', total: 30 }, { at: at + 3000 }),
  orders.remove({ orderId: 'o2', total: 20 }, { at: at + 4000 }),
]);

const scan = async (client: DynamoDBClient, table: string) =>
  ((await client.send(new ScanCommand({ TableName: table }))).Items ?? [])
    .map((item) => `${item.orderId?.S}=${item.total?.N}${item.last === undefined ? '' : ` ${item.last.S}`}`)
    .sort();

describe('eddy dev --load', () => {
  it("processes a gzip tape's records through the template's TRIM_HORIZON mapping into the projection", async () => {
    const dir = await app();
    const tape = join(dir, 'incident.tape.ndjson.gz');
    await writeTape({ path: tape }, incident);
    const port = await freePort();
    const cli = runCli([
      'dev',
      '--template',
      join(dir, 'template.yaml'),
      '--port',
      String(port),
      '--load',
      tape,
    ]);
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      await cli.waitForOutput(/eddy dev: ready/, 60_000);
      const output = cli.output();
      expect(output).toContain(
        `us-east-1: loaded ${tape} into table orders: 5 records in 1 shard, 2 items (1 removed)`,
      );
      expect(output).toContain(
        `eddy dev: warning: LateFunction-Orders reads table orders from LATEST: it will not see the 5 records loaded from ${tape} (set StartingPosition: TRIM_HORIZON to process them)`,
      );
      expect(output).not.toMatch(/ProjectionFunction-Orders reads table orders from LATEST/);
      // The table holds the items as of the tape's last record, and the projection what the records imply.
      expect(await scan(client, 'orders')).toEqual(['o1=15', 'o3=30']);
      await waitFor(
        async () => (await scan(client, 'view')).join() === 'o1=15 MODIFY,o3=30 INSERT',
        'the projection of the tape',
        30_000,
      );
    } finally {
      client.destroy();
      await cli.stop();
    }
  }, 90_000);

  it('says what is wrong with a --load before anything starts: missing file, a bad line, a region not run, a key the template table does not have (exit 2)', async () => {
    const dir = await app();
    const devExits = async (tape: string) => {
      const cli = runCli([
        'dev',
        '--template',
        join(dir, 'template.yaml'),
        '--port',
        String(await freePort()),
        '--load',
        tape,
      ]);
      return { code: await cli.exited, output: cli.output() };
    };
    const missing = await devExits(join(dir, 'nope.ndjson'));
    expect(missing.code).toBe(2);
    expect(missing.output).toContain(`--load ${join(dir, 'nope.ndjson')}: no such file`);

    const bad = join(dir, 'bad.ndjson');
    await writeFile(bad, '{"type":"record"}\n');
    const invalid = await devExits(bad);
    expect(invalid.code).toBe(2);
    expect(invalid.output).toContain(`--load: not a valid tape: ${bad}: line 1`);

    const elsewhere = join(dir, 'eu.ndjson');
    await writeTape(
      { path: elsewhere },
      { ...incident, header: { ...incident.header, region: 'eu-west-1' } },
    );
    const region = await devExits(elsewhere);
    expect(region.code).toBe(2);
    expect(region.output).toContain(
      `--load ${elsewhere}: the tape is of region eu-west-1, which eddy dev does not run (us-east-1): add --regions us-east-1,eu-west-1`,
    );
    expect(region.output).not.toContain('listening');

    const byId = streamRecordFactory({ tableName: 'orders', keys: ['id'] });
    const wrongKey = join(dir, 'wrong-key.ndjson');
    await writeTape({ path: wrongKey }, tapeOf([byId.insert({ id: 'x' })]));
    const mismatch = await devExits(wrongKey);
    expect(mismatch.code).toBe(2);
    expect(mismatch.output).toContain(
      `--load ${wrongKey}: ${relative(ROOT, join(dir, 'template.yaml'))} (Orders) has table orders with key orderId (HASH S), ` +
        `but tape ${wrongKey} holds records keyed by id (HASH S): load a tape of this table, or give the table the tape's key`,
    );
    expect(mismatch.output).not.toContain('listening');
  }, 60_000);
});
