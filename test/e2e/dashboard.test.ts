import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, ROOT, runCli } from '../helpers/runCli.js';

// The dashboard in a real browser (Debian's Chromium through playwright-core), under `eddy dev` with a template
// whose handler fails on a poison order until a flag file says it is fixed: items written with the SDK show in
// the counts and the shard tree, the poison order's on-failure record arrives in the failures view, and its
// redrive, pressed once the handler is fixed, puts the order into the view table. Every wait is for a state of
// the page (playwright's waiting), never for time. Screenshots of each page go to test-output/dashboard/.

const CHROMIUM = process.env.EDDY_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-output', 'dashboard');

const template = (fixedFlag: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  OrdersView:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders-view
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  ProjectionFailures:
    Type: AWS::SQS::Queue
  ProjectionFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
    Properties:
      Runtime: nodejs22.x
      Handler: project.handler
      Environment:
        Variables:
          FIXED_FLAG: ${JSON.stringify(fixedFlag)}
      Events:
        Stream:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Orders.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: 1
            MaximumRetryAttempts: 0
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt ProjectionFailures.Arn
`;

// Fails a poison order until the fix is "deployed" (the flag file exists), as a bug fixed while eddy dev runs.
const HANDLER = `import { existsSync } from 'node:fs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

export const handler = async (event: { Records: { dynamodb: { NewImage: Record<string, { S?: string }> } }[] }) => {
  for (const record of event.Records) {
    const image = record.dynamodb.NewImage;
    if (image.status?.S === 'poison' && !existsSync(process.env.FIXED_FLAG as string)) {
      throw new Error('cannot project order ' + image.id?.S);
    }
    await client.send(new PutItemCommand({ TableName: 'orders-view', Item: image as never }));
  }
};
`;

let dir: string;
let browser: Browser | undefined;
const shots: string[] = [];

beforeAll(async () => {
  await mkdir(join(ROOT, '.eddy'), { recursive: true });
  await mkdir(SHOTS, { recursive: true });
  dir = await mkdtemp(join(ROOT, '.eddy', 'dashboard-'));
});

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
  if (shots.length > 0) console.log(`dashboard screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
});

const screenshot = async (page: Page, name: string): Promise<void> => {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  shots.push(path);
};

/** Shows a tab and waits until its view is drawn. */
const show = async (page: Page, tab: string): Promise<void> => {
  await page.click(`[data-tab="${tab}"]`);
  await page.locator(`main[data-view="${tab}"]`).waitFor();
};

describe('eddy emulator', () => {
  it('says where the dashboard is at start-up, and that --require-signature refuses browsers', async () => {
    const open = runCli(['emulator', '--port', String(await freePort())]);
    await open.waitForOutput(/eddy emulator: dashboard at http:\/\/127\.0\.0\.1:\d+\/_eddy\/$/m);
    expect(await open.stop('SIGTERM')).toBe(0);
    const signed = runCli([
      'emulator',
      ...['--port', String(await freePort()), '--require-signature', '--credentials', 'AKIDDASH:secret'],
    ]);
    await signed.waitForOutput(
      /dashboard at \S+ \(refused to browsers under --require-signature: a browser cannot sign\)/,
    );
    expect(await signed.stop('SIGTERM')).toBe(0);
  });
});

describe('the dashboard in a real browser', () => {
  it('shows counts and shards change, a failure arrive, and a redrive after the fix put the view table right', async () => {
    expect(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (apt-get install -y chromium)`).toBe(true);
    const fixedFlag = join(dir, 'fixed.flag');
    await writeFile(join(dir, 'template.yaml'), template(fixedFlag));
    await writeFile(join(dir, 'project.ts'), HANDLER);
    const port = await freePort();
    const dev = runCli(['dev', '--template', join(dir, 'template.yaml'), '--port', String(port)]);
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const put = (id: string, status: string) =>
      client.send(
        new PutItemCommand({ TableName: 'orders', Item: { id: { S: id }, status: { S: status } } }),
      );
    try {
      await dev.waitForOutput(/eddy dev: ready/, 60_000);
      // The address is said at start-up (issue: "the dashboard's address at start-up").
      const address = /eddy dev: dashboard at (http:\/\/\S+)/.exec(dev.output())?.[1];
      expect(address).toBe(`http://127.0.0.1:${port}/_eddy/`);

      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(address as string);
      await page.locator('[data-live="ok"]').waitFor();

      // Tables: two orders written with the SDK show in both tables' counts.
      const count = (table: string, n: number) =>
        page.locator(`[data-table="${table}"] [data-count]`, { hasText: new RegExp(`^${n}$`) }).waitFor();
      await count('orders', 0);
      await put('o-1', 'new');
      await put('o-2', 'new');
      await count('orders', 2);
      await count('orders-view', 2);
      await page.click('[data-table="orders-view"] button');
      await page.locator('[data-items="orders-view"] [data-item]', { hasText: 'o-2' }).waitFor();
      await screenshot(page, '1-tables');

      // Streams: the records in the shard; a split from the page gives the shard two children.
      await show(page, 'streams');
      await page.locator('[data-stream="orders"] [data-summary]', { hasText: '2 records kept' }).waitFor();
      await page.locator('[data-stream="orders"] [data-shard-count]', { hasText: /^1$/ }).waitFor();
      await page.click('[data-stream="orders"] [data-shard] button:text("split")');
      await page.locator('[data-stream="orders"] [data-shard-count]', { hasText: /^3$/ }).waitFor();
      await page.locator('[data-stream="orders"] [data-shard][data-open="false"]').waitFor();
      await put('o-3', 'new');
      await page.locator('[data-stream="orders"] [data-summary]', { hasText: '3 records kept' }).waitFor();
      await screenshot(page, '2-streams');

      // A poison order fails (no retries): its on-failure record arrives, the mapping shows the error.
      await put('o-poison', 'poison');
      await show(page, 'failures');
      const failure = page.locator('[data-failure]');
      await failure.waitFor();
      await page.click('[data-failure] [data-action="records"]');
      await page.locator('[data-failure] [data-records-of]', { hasText: 'o-poison' }).waitFor();
      await screenshot(page, '3-failures');

      await show(page, 'mappings');
      await page
        .locator('[data-mapping="ProjectionFunction-Stream"] [data-last-error]', {
          hasText: 'cannot project order o-poison',
        })
        .waitFor();
      await page
        .locator('[data-mapping="ProjectionFunction-Stream"] [data-count="invocations"] b', {
          hasText: /^4$/,
        })
        .waitFor();
      // The charts have the lag samples the mapping took (its invocations, the page's requests): at least two,
      // so uPlot draws a line, before the screenshot.
      for (const metric of ['iteratorAge', 'recordsBehind']) {
        await page
          .locator(
            `[data-mapping="ProjectionFunction-Stream"] [data-chart="${metric}"]` +
              ':not([data-samples="0"]):not([data-samples="1"]) canvas',
          )
          .waitFor();
      }
      await screenshot(page, '4-mappings');

      // Fixed: the redrive sends the poison order through the function again, and the view table is right.
      await writeFile(fixedFlag, 'fixed\n');
      await show(page, 'failures');
      await page.click('[data-failure] [data-action="redrive"]');
      await page.locator('[data-failure] [data-redriven="ok"]').waitFor();
      expect(await page.locator('[data-failure] [data-redrive-result]').textContent()).toContain(
        '1 record through ProjectionFunction',
      );
      await screenshot(page, '5-redriven');
      await show(page, 'tables');
      await count('orders-view', 4);
      await page.click('[data-table="orders-view"] button');
      await page.fill('[data-items="orders-view"] input', 'o-poison');
      await page.click('[data-items="orders-view"] button[type="submit"]');
      await page
        .locator('[data-items="orders-view"] [data-item]', { hasText: '"status":"poison"' })
        .waitFor();
      await screenshot(page, '6-tables-after-redrive');

      // The emulator's controls: a fault injected from the page is listed, then cleared.
      await show(page, 'emulator');
      await page.fill('input[size="14"]', 'DescribeTable');
      await page.click('[data-action="failNext"]');
      await page.locator('[data-faults="1"]').waitFor();
      await screenshot(page, '7-emulator');
      await page.click('button:text("Clear faults")');
      await page.locator('[data-faults="0"]').waitFor();

      // A replay run as a process of its own reports to this dashboard: its job shows there, done.
      const replay = runCli([
        'replay',
        '--table',
        'orders',
        '--endpoint',
        `http://127.0.0.1:${port}`,
        '--region',
        'us-east-1',
        '--template',
        join(dir, 'template.yaml'),
        '--function',
        'ProjectionFunction',
        '--dry-run',
      ]);
      expect(await replay.exited, replay.output()).toBe(0);
      await page.locator('[data-job-state="done"]', { hasText: 'replay orders' }).waitFor();
      await screenshot(page, '8-progress');
    } finally {
      client.destroy();
      expect(await dev.stop('SIGTERM')).toBe(0);
    }
  }, 120_000);
});
