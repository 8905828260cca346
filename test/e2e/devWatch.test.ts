import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoTemplate } from '../helpers/echoTemplate.js';
import { type CliProcess, freePort, ROOT, runCli } from '../helpers/runCli.js';
import { waitFor } from '../helpers/waitFor.js';

// The handler prints the version that greeting.ts, a module its bundle includes, exports.
const HANDLER = `import { version } from './greeting';
export const handler = async (event: { Records: { dynamodb: { NewImage: { id: { S: string } } } }[] }) => {
  for (const record of event.Records) console.log(\`\${version} processed \${record.dynamodb.NewImage.id.S}\`);
};
`;
const greeting = (version: string) => `export const version = '${version}';\n`;

describe('eddy dev --watch', () => {
  let dir: string;
  let dev: CliProcess;
  let client: DynamoDBClient;
  const put = (id: string) =>
    client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: id } } }));

  beforeAll(async () => {
    await mkdir(join(ROOT, '.eddy'), { recursive: true });
    dir = await mkdtemp(join(ROOT, '.eddy', 'watch-'));
    await writeFile(join(dir, 'template.yaml'), echoTemplate('TRIM_HORIZON'));
    await writeFile(join(dir, 'echo.ts'), HANDLER);
    await writeFile(join(dir, 'greeting.ts'), greeting('v1'));
    const port = await freePort();
    dev = runCli(['dev', '--watch', '--template', join(dir, 'template.yaml'), '--port', String(port)]);
    await dev.waitForOutput(/eddy dev: ready/, 60_000);
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });

  afterAll(async () => {
    client?.destroy();
    await dev?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the next record on the new code after an imported module is saved, and says what it reloaded', async () => {
    expect(dev.output()).toMatch(/eddy dev --watch: watching 2 files of 1 function/);
    await put('a');
    await dev.waitForOutput(/\[Echo\] v1 processed a/);
    await writeFile(join(dir, 'greeting.ts'), greeting('v2'));
    await dev.waitForOutput(/eddy dev --watch: reloaded Echo in \d+ ms \(.*greeting\.ts\)/);
    await put('b');
    await dev.waitForOutput(/\[Echo\] v2 processed b/);
    // Only whole versions ran: never a bundle of a half-written file (writeFile truncates, then writes).
    expect(dev.output()).not.toMatch(/(v1|undefined) processed b/);
  });

  it('shows a build error with its file and line, and keeps the previous version running', async () => {
    await writeFile(join(dir, 'greeting.ts'), `export const version = 'v3'\nconst broken = ;\n`);
    await dev.waitForOutput(
      /eddy dev --watch: Echo: build failed; the previous version keeps running: .*greeting\.ts:2:\d+: /,
    );
    await put('c');
    await dev.waitForOutput(/\[Echo\] v2 processed c/);
    // Fixed: built and swapped in again (the second reload line).
    const reloads = () => dev.output().match(/eddy dev --watch: reloaded Echo in \d+ ms/g)?.length ?? 0;
    const before = reloads();
    await writeFile(join(dir, 'greeting.ts'), greeting('v4'));
    await waitFor(() => reloads() > before, 'the fixed version to be reloaded');
    await put('d');
    await dev.waitForOutput(/\[Echo\] v4 processed d/);
  });
});
