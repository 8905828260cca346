import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THINGS_TEMPLATE_HEAD } from '../helpers/echoTemplate.js';
import { type CliProcess, freePort, ROOT, runCli } from '../helpers/runCli.js';
import { waitFor } from '../helpers/waitFor.js';

// `eddy dev --watch` with a module two functions share, in two regions (four execution environments), bundled as
// template.yaml's functions are (ES modules, a package from node_modules): one save reloads all four, each batch
// runs whole on one version, and records keep flowing. No timing is asserted (bench/watchReload.ts measures it).

const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const FUNCTIONS = ['First', 'Second'] as const;

const fn = (name: string) => `  ${name}:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        Format: esm
        OutExtension: [.js=.mjs]
        EntryPoints: [${name.toLowerCase()}.ts]
    Properties:
      Runtime: nodejs24.x
      Handler: ${name.toLowerCase()}.handler
      Events:
        Stream:
          Type: DynamoDB
          Properties: { Stream: !GetAtt Things.StreamArn, StartingPosition: TRIM_HORIZON, BatchSize: 5 }
`;

const TEMPLATE = `${THINGS_TEMPLATE_HEAD}${FUNCTIONS.map(fn).join('')}`;

// Each batch is one line: the version of the shared module, then the batch's ids.
const handler = (name: string) => `import { unmarshall } from '@aws-sdk/util-dynamodb';
import { version } from './shared';
export const handler = async (event: { Records: { dynamodb: { NewImage: Record<string, never> } }[] }) => {
  const ids = event.Records.map((record) => unmarshall(record.dynamodb.NewImage).id);
  console.log(\`${name} \${version} batch \${ids.join(',')}\`);
};
`;

/** Saves as editors do: a new file renamed over the old one. */
const save = async (file: string, text: string) => {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
};

describe('eddy dev --watch, a module shared by two functions in two regions', () => {
  let dir: string;
  let dev: CliProcess;
  let clients: DynamoDBClient[];

  beforeAll(async () => {
    await mkdir(join(ROOT, '.eddy'), { recursive: true });
    dir = await mkdtemp(join(ROOT, '.eddy', 'watch-shared-'));
    await writeFile(join(dir, 'template.yaml'), TEMPLATE);
    for (const name of FUNCTIONS) await writeFile(join(dir, `${name.toLowerCase()}.ts`), handler(name));
    await save(join(dir, 'shared.ts'), `export const version = 'v1';\n`);
    const port = await freePort();
    dev = runCli([
      'dev',
      '--watch',
      '--template',
      join(dir, 'template.yaml'),
      '--regions',
      REGIONS.join(','),
      '--port',
      String(port),
    ]);
    await dev.waitForOutput(/eddy dev: ready/, 60_000);
    clients = REGIONS.map(
      (region) =>
        new DynamoDBClient({
          endpoint: `http://127.0.0.1:${port}`,
          region,
          credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        }),
    );
  });

  afterAll(async () => {
    for (const client of clients ?? []) client.destroy();
    await dev?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the new version in every function and region after one save, never a batch cut in half', async () => {
    const written: string[] = [];
    let writing = true;
    // Records keep arriving in both regions across the save (up to 600), so that batches are in flight when it
    // lands.
    const writer = (async () => {
      for (let n = 0; writing && n < 600; n++) {
        const id = `r${n}`;
        await (clients[n % 2] as DynamoDBClient).send(
          new PutItemCommand({ TableName: 'things', Item: { id: { S: id } } }),
        );
        written.push(id);
      }
    })();
    /** Each function's batch lines, by `function@region`, in order: version and ids. */
    const batches = () => {
      const found = new Map<string, { version: string; ids: string[] }[]>();
      for (const match of dev.output().matchAll(/^\[(\w+@[\w-]+)\] .*?(\w+) (v\d) batch (\S+)$/gm)) {
        const [, label, , version, ids] = match as unknown as [string, string, string, string, string];
        found.set(label, [...(found.get(label) ?? []), { version, ids: ids.split(',') }]);
      }
      return found;
    };
    const labels = FUNCTIONS.flatMap((name) => REGIONS.map((region) => `${name}@${region}`));
    const ran = (version: string) => (label: string) =>
      batches()
        .get(label)
        ?.some((batch) => batch.version === version) === true;
    try {
      await waitFor(() => labels.every(ran('v1')), 'every environment to run v1');
      await save(join(dir, 'shared.ts'), `export const version = 'v2';\n`);
      await waitFor(() => labels.every(ran('v2')), 'every environment to run v2', 30_000);
    } finally {
      writing = false;
      await writer;
    }
    expect(dev.output()).toMatch(/eddy dev --watch: reloaded First in \d+ ms \(.*shared\.ts\)/);
    expect(dev.output()).toMatch(/eddy dev --watch: reloaded Second in \d+ ms \(.*shared\.ts\)/);
    // Every written record reaches each function of its region once: nothing retried or lost by the swap.
    for (const [label, list] of batches()) {
      const region = REGIONS.findIndex((r) => label.endsWith(r));
      const mine = written.filter((_, n) => n % 2 === region);
      await waitFor(
        () =>
          new Set(
            batches()
              .get(label)
              ?.flatMap((batch) => batch.ids),
          ).size === mine.length,
        `${label} to process its region's ${mine.length} records`,
      );
      const ids = (batches().get(label) ?? list).flatMap((batch) => batch.ids);
      expect(ids.length, `${label}: a record processed twice`).toBe(new Set(ids).size);
      // One switch from v1 to v2, never back: each batch ran on one version, the next ones on the new.
      const versions = (batches().get(label) ?? list).map((batch) => batch.version);
      expect(versions.join(' ')).toMatch(/^(v1 )+v2( v2)*$/);
    }
  });
});
