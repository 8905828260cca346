/**
 * `eddy dev --watch`: the time from saving a module to the next batch processed by the new code, while records
 * keep arriving, in three cases:
 *
 * - `echo`: the handler of the one function of a one-region template (test/helpers/echoTemplate.ts);
 * - `one function`: a module only OrdersProjectionFunction imports, in the example app (template.yaml, its three
 *   functions and handlers) run in two regions as `npm start` runs it: two execution environments to replace;
 * - `shared file`: a module all three functions import, same app: six execution environments to replace.
 *
 * The example's handlers are copied into a temporary folder and wrapped so that each batch logs the versions of the
 * two modules it runs; an order is written every 20 ms, alternately in each region. Each save writes a temporary
 * file and renames it over the module, as editors save. Also printed: the reload time eddy reports (the change seen
 * to every environment of the function ready). Uses `dist/` when it exists (`npm run build` first). Output also in
 * bench/results/watchReload.txt.
 *
 *   node --import tsx bench/watchReload.ts      # BENCH_RELOADS=10 saves per case, BENCH_PAUSE_MS=5000 apart
 *   BENCH_ONLY_EXAMPLE=1 …                      # the example app's two cases only
 */

import { copyFile, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { stampForReplication } from '../src/index.js';
import { echoTemplate } from '../test/helpers/echoTemplate.js';
import { type DevProcess, startDevProcess } from './startDevProcess.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RELOADS = Number(process.env.BENCH_RELOADS ?? 10);
/**
 * Between saves: a person's edits are seconds apart, and after a reload eddy starts the spare environments of the
 * next one (they import the bundle's packages: 0.2–0.5 s of CPU each for the AWS SDK and RxJS from node_modules):
 * a save that comes before they are ready waits for them.
 */
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 5000);
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const FUNCTIONS = {
  ordersProjection: 'OrdersProjectionFunction',
  customerTotals: 'CustomerTotalsFunction',
  ordersReplicator: 'OrdersReplicatorFunction',
} as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: readonly number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ??
  Number.NaN;
const ms = (value: number) => `${Math.round(value)} ms`;

/** Saves as editors do: a new file renamed over the old one. */
const save = async (file: string, text: string) => {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
};

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

/** Writes an item every 20 ms (alternately in each region given) until stopped. */
const keepWriting = (endpoint: string, regions: readonly string[], item: (n: number) => PutItemCommand) => {
  const clients = regions.map((region) => new DynamoDBClient({ endpoint, region, credentials }));
  let writing = true;
  const done = (async () => {
    for (let n = 0; writing; n++) {
      await (clients[n % clients.length] as DynamoDBClient).send(item(n));
      await sleep(20);
    }
  })();
  return async () => {
    writing = false;
    await done.catch(() => undefined);
    for (const client of clients) client.destroy();
  };
};

interface Case {
  readonly name: string;
  /** Save number `version`; the labels of the environments that must then run it, and how a batch says so. */
  readonly save: (version: number) => Promise<void>;
  readonly ranVersion: (version: number) => (line: string) => string | undefined;
  readonly labels: readonly string[];
  /** The functions whose reload lines count ("reloaded <id> in N ms"): the last of them. */
  readonly reloadedIds: readonly string[];
}

interface Figures {
  readonly name: string;
  /** Save → the first batch on the new code in every environment (the last of them). */
  readonly all: number[];
  /** Save → the first batch on the new code in any environment. */
  readonly first: number[];
  readonly reported: number[];
  /** Which environment ran the new code last, per save. */
  readonly last: string[];
}

/** The first line printed from line `from` on that `match` accepts. */
const lineSince = async (
  dev: DevProcess,
  from: number,
  match: (line: string) => boolean,
): Promise<string> => {
  for (const started = performance.now(); performance.now() - started < 15_000; await sleep(5)) {
    const line = dev.lines.slice(from).find(match);
    if (line !== undefined) return line;
  }
  throw new Error(`no such line in 15 s:\n${dev.lines.slice(from).join('\n')}`);
};

const measure = async (dev: DevProcess, c: Case): Promise<Figures> => {
  const figures: Figures = { name: c.name, all: [], first: [], reported: [], last: [] };
  const start = dev.lines.length;
  for (let version = 1; version <= RELOADS; version++) {
    await sleep(PAUSE_MS);
    const from = dev.lines.length;
    const saved = performance.now();
    const seen = new Map<string, number>();
    const ran = c.ranVersion(version);
    const everyone = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${c.name}: save ${version}: not all ran it in 15 s`)),
        15_000,
      );
      const check = () => {
        for (const line of dev.lines.slice(from)) {
          const label = ran(line);
          if (label !== undefined && !seen.has(label)) seen.set(label, performance.now() - saved);
        }
        if (c.labels.every((label) => seen.has(label))) {
          clearTimeout(timer);
          resolve();
        } else setTimeout(check, 5);
      };
      check();
    });
    await c.save(version);
    await everyone;
    figures.all.push(Math.max(...seen.values()));
    figures.first.push(Math.min(...seen.values()));
    const [lastLabel] = [...seen.entries()].sort((a, b) => b[1] - a[1])[0] ?? [''];
    figures.last.push(lastLabel);
    const reported = await Promise.all(
      c.reloadedIds.map((id) => lineSince(dev, from, (l) => l.includes(`reloaded ${id} in `))),
    );
    figures.reported.push(Math.max(...reported.map((line) => Number(/in (\d+) ms/.exec(line)?.[1]))));
  }
  // Anything else the watcher said (a fallback to whole bundles, a failed load) is worth seeing.
  for (const line of dev.lines.slice(start)) {
    if (line.includes('eddy dev --watch:') && !/reloaded|watching/.test(line)) console.log(`  (${line})`);
  }
  return figures;
};

const echoCase = async (dir: string) => {
  const file = join(dir, 'echo.ts');
  const text = (version: number) => `export const handler = async (event: { Records: unknown[] }) => {
  console.log('version ${version}: ' + event.Records.length + ' record(s)');
};
`;
  await writeFile(join(dir, 'template.yaml'), echoTemplate('LATEST'));
  await save(file, text(0));
  const dev = await startDevProcess(['--watch', '--template', join(dir, 'template.yaml')]);
  const stop = keepWriting(
    dev.endpoint,
    ['us-east-1'],
    (n) => new PutItemCommand({ TableName: 'things', Item: { id: { S: `r-${n}` } } }),
  );
  try {
    await dev.waitFor((line) => line.includes('version 0:'));
    return await measure(dev, {
      name: 'echo (1 function, 1 region)',
      save: (version) => save(file, text(version)),
      ranVersion: (version) => (line) => (line.includes(`version ${version}:`) ? 'Echo' : undefined),
      labels: ['Echo'],
      reloadedIds: ['Echo'],
    });
  } finally {
    await stop();
    await dev.close();
  }
};

/** The example app in `dir`: template.yaml and the handlers, each wrapped to log `shared=S own=O` per batch. */
const exampleApp = async (dir: string) => {
  await copyFile(join(ROOT, 'template.yaml'), join(dir, 'template.yaml'));
  await mkdir(join(dir, 'handlers'));
  await symlink(join(ROOT, 'src'), join(dir, 'src'), 'junction');
  for (const name of ['bookkeepingTtl', 'order']) {
    await copyFile(join(ROOT, 'handlers', `${name}.ts`), join(dir, 'handlers', `${name}.ts`));
  }
  for (const name of Object.keys(FUNCTIONS)) {
    const source = await readFile(join(ROOT, 'handlers', `${name}.ts`), 'utf8');
    if (!source.includes('export const handler = '))
      throw new Error(`handlers/${name}.ts: no handler to wrap`);
    await writeFile(
      join(dir, 'handlers', `${name}.ts`),
      `${source.replace('export const handler = ', 'const wrapped = ')}
import { shared } from './shared.js';
import { own } from './${name}Own.js';
export const handler = (event: { Records: unknown[] }, context: unknown) => {
  console.log(\`shared=\${shared} own=\${own}: \${event.Records.length} record(s)\`);
  return (wrapped as unknown as (event: unknown, context: unknown) => Promise<unknown>)(event, context);
};
`,
    );
    await writeFile(join(dir, 'handlers', `${name}Own.ts`), 'export const own = 0;\n');
  }
  await writeFile(join(dir, 'handlers', 'shared.ts'), 'export const shared = 0;\n');
};

const exampleCases = async (dir: string): Promise<Figures[]> => {
  await exampleApp(dir);
  const dev = await startDevProcess(
    ['--watch', '--template', join(dir, 'template.yaml'), '--regions', REGIONS.join(',')],
    { cwd: dir },
  );
  const stop = keepWriting(
    dev.endpoint,
    REGIONS,
    // Stamped as the app's writers stamp them (the replicator refuses an unstamped write, and retries it).
    (n) =>
      new PutItemCommand({
        TableName: 'orders',
        Item: marshall(
          stampForReplication(
            { orderId: `o-${n}`, customerId: `c-${n % 7}`, status: 'placed', total: 12.5 },
            { region: REGIONS[n % REGIONS.length] as string },
          ),
        ),
      }),
  );
  const allLabels = Object.values(FUNCTIONS).flatMap((id) => REGIONS.map((region) => `${id}@${region}`));
  const label = (line: string) => /^\[(\w+@[\w-]+)\]/.exec(line)?.[1];
  try {
    await dev.waitFor((line) => line.includes('shared=0 own=0'));
    const oneFunction = await measure(dev, {
      name: 'one function (OrdersProjectionFunction, 2 regions: 2 environments)',
      save: (version) =>
        save(join(dir, 'handlers', 'ordersProjectionOwn.ts'), `export const own = ${version};\n`),
      ranVersion: (version) => (line) => (line.includes(` own=${version}:`) ? label(line) : undefined),
      labels: REGIONS.map((region) => `${FUNCTIONS.ordersProjection}@${region}`),
      reloadedIds: [FUNCTIONS.ordersProjection],
    });
    const shared = await measure(dev, {
      name: 'shared file (3 functions × 2 regions: 6 environments)',
      save: (version) => save(join(dir, 'handlers', 'shared.ts'), `export const shared = ${version};\n`),
      ranVersion: (version) => (line) => (line.includes(`shared=${version} `) ? label(line) : undefined),
      labels: allLabels,
      reloadedIds: Object.values(FUNCTIONS),
    });
    return [oneFunction, shared];
  } finally {
    await stop();
    await dev.close();
    if (process.env.BENCH_DUMP !== undefined) await writeFile(process.env.BENCH_DUMP, dev.lines.join('\n'));
  }
};

const count = (labels: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return counts;
};
/** Whether the case had more than one environment to reload. */
const manyEnvironments = (f: Figures) => f.last.some((label) => label.includes('@'));

const main = async () => {
  await mkdir(join(ROOT, '.eddy'), { recursive: true });
  const figures: Figures[] = [];
  const load = loadavg()[0] as number;
  for (const run of process.env.BENCH_ONLY_EXAMPLE ? [exampleCases] : [echoCase, exampleCases]) {
    const dir = await mkdtemp(join(ROOT, '.eddy', 'bench-watch-'));
    try {
      const result = await run(dir);
      figures.push(...(Array.isArray(result) ? result : [result]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const lines = [
    `eddy dev --watch, ${RELOADS} saves per case, ${PAUSE_MS / 1000} s apart, while an item is written every 20 ms ` +
      `(Node ${process.version}, ${cpus().length} cores, load average ${load.toFixed(1)} → ${(loadavg()[0] as number).toFixed(1)}, ${new Date().toISOString()}):`,
  ];
  for (const f of figures) {
    lines.push(`  ${f.name}:`);
    lines.push(
      `    save → next batch on the new code in every environment: p50 ${ms(percentile(f.all, 50))}, ` +
        `max ${ms(Math.max(...f.all))} (in the first one: p50 ${ms(percentile(f.first, 50))})`,
    );
    if (f.last.length > 0 && new Set(f.last).size > 0 && manyEnvironments(f)) {
      lines.push(
        `    the last to run it: ${[...count(f.last)].map(([label, n]) => `${label} ${n}×`).join(', ')}`,
      );
    }
    lines.push(
      `    reload as eddy reports it (change seen → new environments ready): p50 ${ms(percentile(f.reported, 50))}, ` +
        `max ${ms(Math.max(...f.reported))}`,
    );
  }
  lines.push('  anchors: target ≤ 1 s (1000 ms); LocalStack ~700 ms to reload a changed function');
  console.log(lines.join('\n'));
  if (process.env.BENCH_NO_RESULTS !== '1') {
    await writeFile(join(ROOT, 'bench', 'results', 'watchReload.txt'), `${lines.join('\n')}\n`);
  }
};

await main();
