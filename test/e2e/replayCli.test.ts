import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { streamRecordFactory } from '../../local-runtime/testing/streamRecordFactory.js';
import { tapeOf } from '../../local-runtime/testing/tapeOf.js';
import { writeTape } from '../../src/tape/writeTape.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { ROOT, runCli } from '../helpers/runCli.js';

// `eddy replay` as a user runs it: a process with a tape (or a table's stream), the repository's template.yaml
// and its OrdersProjectionFunction (handlers/ordersProjection.ts).

let dir: string;
let tape: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-replay-cli-'));
  tape = join(dir, 'orders.tape.ndjson.gz');
  const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
  // 250 changes to 40 orders: each order's last total is the highest i with i % 40 === its number.
  const records = Array.from({ length: 250 }, (_, i) =>
    orders.insert({ orderId: `o${i % 40}`, customerId: `c${i % 3}`, total: i }),
  );
  await writeTape({ path: tape }, tapeOf(records));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('eddy replay', () => {
  let h: EmulatorHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('--dry-run prints the batches the template function would get, with --set on top of its settings', async () => {
    const cli = runCli([
      'replay',
      tape,
      '--function',
      'OrdersProjectionFunction',
      '--dry-run',
      '--set',
      'BatchSize=120',
    ]);
    expect(await cli.exited, cli.output()).toBe(0);
    const batches = cli.output().match(/^ {2}shardId-\S+: \d+ records?, \d+\.\.\d+$/gm) ?? [];
    expect(batches.map((line) => Number(/: (\d+) record/.exec(line)?.[1]))).toEqual([120, 120, 10]);
    expect(cli.output()).toMatch(/BatchSize 120/);
    expect(cli.output()).toMatch(
      /eddy replay: done: 250 records, 3 batches, 0 failed, 0 discarded, 0 filtered out in/,
    );
    expect(cli.output()).not.toMatch(/START RequestId/);
  }, 60_000);

  it('a --set out of range names the setting and its range, and exits 2 (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html)', async () => {
    const cli = runCli([
      'replay',
      tape,
      '--function',
      'OrdersProjectionFunction',
      '--dry-run',
      '--set',
      'BatchSize=20000',
    ]);
    expect(await cli.exited, cli.output()).toBe(2);
    expect(cli.output()).toMatch(
      /eddy replay: --set BatchSize=20000: BatchSize must be an integer from 1 to 10000; got 20000/,
    );
  }, 60_000);

  it('a usage mistake (neither a tape nor --table) exits 2 with what to give', async () => {
    const cli = runCli(['replay', '--function', 'OrdersProjectionFunction']);
    expect(await cli.exited, cli.output()).toBe(2);
    expect(cli.output()).toMatch(/give a TAPE file or --table NAME --from … --until …/);
  }, 60_000);

  it('--function runs the built function against --endpoint: the view holds each order as the tape leaves it', async () => {
    h = await startHarness();
    const cli = runCli([
      'replay',
      tape,
      '--function',
      'OrdersProjectionFunction',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
    ]);
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toMatch(/eddy replay: done: 250 records, 3 invocations, 0 failed, 0 discarded/);
    const { Items = [] } = await h.dynamodb.send(
      new ScanCommand({ TableName: 'order-view', ConsistentRead: true }),
    );
    const view = new Map(Items.map((item) => unmarshall(item)).map((row) => [row.orderId, row.total]));
    expect(view.size).toBe(40);
    for (let n = 0; n < 40; n++) expect(view.get(`o${n}`), `o${n}`).toBe(n + 40 * Math.floor((249 - n) / 40));
  }, 120_000);

  it('--handler with a poison record: the record is discarded to the on-failure file and the exit code is 1', async () => {
    const handler = join(dir, 'poisoned.mjs');
    await writeFile(
      handler,
      `export const handler = async (event) => {
        if (event.Records.some((r) => r.dynamodb.NewImage.total.N === '77')) throw new Error('poison');
      };\n`,
    );
    // Locally the destination is a file named after the queue, under .eddy/failures/replay of the working directory.
    const queue = `replay-failures-${process.pid}`;
    const failures = join(ROOT, '.eddy', 'failures', 'replay', `${queue}.ndjson`);
    const settings = ['BatchSize=50', 'MaximumRetryAttempts=1', 'BisectBatchOnFunctionError=true'];
    const cli = runCli([
      'replay',
      tape,
      '--handler',
      `${handler}#handler`,
      ...settings.flatMap((s) => ['--set', s]),
      '--set',
      `DestinationConfig={"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:000000000000:${queue}"}}`,
    ]);
    expect(await cli.exited, cli.output()).toBe(1);
    expect(cli.output()).toMatch(/eddy replay: done: 250 records, \d+ invocations, \d+ failed, 1 discarded/);
    const lines = (await readFile(failures, 'utf8')).trim().split('\n');
    await rm(failures);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string).DDBStreamBatchInfo).toMatchObject({ batchSize: 1 });
  }, 60_000);

  it('--table reads a range of the live stream and replays it (dry run)', async () => {
    h = await startHarness();
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    for (let i = 0; i < 5; i++)
      await h.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { orderId: { S: `o${i}` } } }));
    const cli = runCli([
      'replay',
      '--table',
      'orders',
      '--from',
      'trim-horizon',
      '--until',
      'now',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
      '--function',
      'OrdersProjectionFunction',
      '--dry-run',
    ]);
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toMatch(/eddy replay: done: 5 records, 1 batches/);
  }, 60_000);
});
