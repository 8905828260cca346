import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type DynamoDbLocal,
  skipWithoutDynamoDbLocal,
  startDynamoDbLocal,
} from '../helpers/dynamoDbLocal.js';
import {
  failureLines,
  scanAll,
  seededRandom,
  sortedTotals,
  totalsIn,
  totalsOf,
  viewDifferences,
  writeOrders,
} from '../helpers/orderExamples.js';
import { freePort, ROOT, runCli } from '../helpers/runCli.js';

const SEED = Number(process.env.EDDY_SEED ?? 20261206);
const KEYS = 8;
const unavailable = skipWithoutDynamoDbLocal();

/**
 * `eddy dev --endpoint <DynamoDB Local>` on template.yaml: eddy creates the template's tables there, reads the
 * orders stream, and the functions' own clients write the order-view and customer-totals tables there too
 * (through AWS_ENDPOINT_URL_DYNAMODB, https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 * DynamoDB Local runs without -sharedDb, so it keeps a database per access key and region
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html): a function
 * signing with another key or region than eddy's would not find its table, and its writes would fail.
 */
describe.skipIf(unavailable !== undefined)('eddy dev --endpoint on DynamoDB Local', () => {
  let local: DynamoDbLocal;
  let folder: string;

  beforeAll(async () => {
    // Bundles import the project's node_modules, so they are built under it (`.eddy/` is ignored by git).
    await mkdir(join(ROOT, '.eddy'), { recursive: true });
    folder = await mkdtemp(join(ROOT, '.eddy', 'e2e-ddblocal-'));
    local = await startDynamoDbLocal({ sharedDb: false });
  });
  afterAll(async () => {
    await local?.close();
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  /** What a machine without AWS credentials has: no keys, no profile, no shared files, no instance role. */
  const noCredentials = () => ({
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_SHARED_CREDENTIALS_FILE: join(folder, 'no-credentials'),
    AWS_CONFIG_FILE: join(folder, 'no-config'),
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
    AWS_WEB_IDENTITY_TOKEN_FILE: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  /**
   * Runs `eddy dev --endpoint` in `region` with `env`, writes a seeded workload of puts, updates and deletes
   * signed with `keys`, and waits until the view and the totals equal a recomputation from the orders table.
   */
  const runExamples = async (
    run: string,
    region: string,
    keys: { accessKeyId: string; secretAccessKey: string },
    env: Record<string, string>,
  ) => {
    const dev = runCli(
      ['dev', '--endpoint', local.endpoint, '--region', region, '--build-dir', join(folder, run, 'build')],
      { env },
    );
    const dynamodb = new DynamoDBClient({ endpoint: local.endpoint, region, credentials: keys });
    try {
      await dev.waitForOutput(/eddy dev: ready/, 45_000);
      // The tables came from the template, with the orders stream, in this key's and region's database.
      expect(dev.output()).toMatch(
        new RegExp(`${region}: tables orders \\(stream NEW_AND_OLD_IMAGES, TTL expiresAt\\), order-view`),
      );
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
      expect(Table?.StreamSpecification?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');

      await writeOrders(dynamodb, { random: seededRandom(SEED), keys: KEYS, operations: 60, writers: 2 });
      const everWritten = Array.from({ length: KEYS }, (_, i) => `o-${i}`);
      await vi.waitFor(
        async () => {
          // A function that cannot reach the endpoint fails every invocation: said at once, with its error.
          expect(failureLines(dev.output()), 'failed invocations').toEqual([]);
          const orders = await scanAll(dynamodb, 'orders');
          expect(viewDifferences(orders, await scanAll(dynamodb, 'order-view'), everWritten)).toEqual([]);
          expect(totalsIn(await scanAll(dynamodb, 'customer-totals'))).toEqual(
            sortedTotals(totalsOf(orders)),
          );
        },
        { timeout: 30_000, interval: 200 },
      );
      // The workload left live orders of several customers behind: the check compared something.
      expect(Object.keys(totalsOf(await scanAll(dynamodb, 'orders'))).length).toBeGreaterThanOrEqual(2);
      expect(failureLines(dev.output())).toEqual([]);
      expect(await readdir(join(folder, run, 'failures')).catch(() => [])).toEqual([]);
      return dev.output();
    } finally {
      dynamodb.destroy();
      await dev.stop('SIGTERM');
    }
  };

  it('on a machine without AWS credentials, eddy and the functions sign with the dummy key it names', async () => {
    const output = await runExamples(
      'no-credentials',
      'us-east-1',
      { accessKeyId: 'eddy', secretAccessKey: 'anything' },
      noCredentials(),
    );
    expect(output).toContain('no AWS credentials found: eddy and the functions sign with access key eddy');
  });

  it("with the user's own keys, in another region, eddy and the functions sign with those", async () => {
    const keys = { accessKeyId: 'ddblocaluser', secretAccessKey: 'secret' };
    const output = await runExamples('own-keys', 'eu-west-1', keys, {
      ...noCredentials(),
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    });
    expect(output).not.toContain('no AWS credentials found');
  });

  it('says in one line that nothing answers at an --endpoint, and exits 2 (a usage error: the option points nowhere)', async () => {
    const port = await freePort();
    const dev = runCli(['dev', '--endpoint', `http://127.0.0.1:${port}`, '--build-dir', join(folder, 'x')], {
      env: noCredentials(),
    });
    expect(await dev.exited).toBe(2);
    expect(dev.output()).toContain(
      `eddy dev: nothing answers at --endpoint http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}): ` +
        'start DynamoDB Local (or your emulator) there, or give its URL',
    );
    expect(dev.output()).not.toMatch(/^\s+at /m);
  });

  it('refuses an --endpoint that is not a URL before anything starts, saying what to give', async () => {
    const dev = runCli(['dev', '--endpoint', 'localhost:8000']);
    expect(await dev.exited).toBe(2);
    expect(dev.output()).toContain(
      'eddy dev: --endpoint localhost:8000 must be an http:// or https:// URL (e.g. http://localhost:8000)',
    );
  });
});
