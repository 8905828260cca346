/**
 * `eddy dev --watch`: the time from saving a handler's module to the first record processed by the new code,
 * while records keep arriving (one every 20 ms), and the reload time eddy itself reports (the change seen to the
 * new execution environment ready). Each save writes a temporary file and renames it over the module, as editors
 * save. Uses `dist/` when it exists (`npm run build` first).
 *
 *   node --import tsx bench/watchReload.ts      # BENCH_RELOADS=10 by default
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { echoTemplate } from '../test/helpers/echoTemplate.js';
import { startDevProcess } from './startDevProcess.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RELOADS = Number(process.env.BENCH_RELOADS ?? 10);

const handler = (version: number) => `export const handler = async (event: { Records: unknown[] }) => {
  console.log('version ${version}: ' + event.Records.length + ' record(s)');
};
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: readonly number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ??
  NaN;

const main = async () => {
  await mkdir(join(ROOT, '.eddy'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.eddy', 'bench-watch-'));
  const file = join(dir, 'echo.ts');
  /** Saves as editors do: a new file renamed over the old one. */
  const save = async (version: number) => {
    await writeFile(`${file}.tmp`, handler(version));
    await rename(`${file}.tmp`, file);
  };
  await writeFile(join(dir, 'template.yaml'), echoTemplate('LATEST'));
  await save(0);
  const dev = await startDevProcess(['--watch', '--template', join(dir, 'template.yaml')]);
  const client = new DynamoDBClient({
    endpoint: dev.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  let writing = true;
  let n = 0;
  const writer = (async () => {
    while (writing) {
      await client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: `r-${n++}` } } }));
      await sleep(20);
    }
  })();
  const toNewCode: number[] = [];
  const reported: number[] = [];
  try {
    await dev.waitFor((line) => line.includes('version 0:'));
    for (let version = 1; version <= RELOADS; version++) {
      await sleep(300); // the previous version settles
      const saved = performance.now();
      await save(version);
      await dev.waitFor((line) => line.includes(`version ${version}:`), 10_000);
      toNewCode.push(performance.now() - saved);
      const line = await dev.waitFor((l) => /reloaded Echo in \d+ ms/.test(l) && !seen.has(l), 10_000);
      seen.add(line);
      reported.push(Number(/in (\d+) ms/.exec(line)?.[1]));
    }
  } finally {
    writing = false;
    await writer.catch(() => undefined);
    client.destroy();
    await dev.close();
    await rm(dir, { recursive: true, force: true });
  }
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log(`eddy dev --watch, ${RELOADS} saves of a handler while a record arrives every 20 ms:`);
  console.log(
    `  save → first record on the new code: p50 ${ms(percentile(toNewCode, 50))}, max ${ms(Math.max(...toNewCode))}`,
  );
  console.log(
    `  reload as eddy reports it (change seen → new environment ready): p50 ${ms(percentile(reported, 50))}, ` +
      `max ${ms(Math.max(...reported))}`,
  );
  console.log('  anchors: LocalStack ~700 ms to reload a changed function; target ≤ 1 s');
};

/** Reload lines already counted (each reload prints one). */
const seen = new Set<string>();

await main();
