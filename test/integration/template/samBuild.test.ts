import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltFunction, buildFunction } from '../../../local-runtime/functions/buildFunction.js';
import { type FunctionError, WorkerInvoker } from '../../../local-runtime/functions/WorkerInvoker.js';
import { workerEntry } from '../../../local-runtime/functions/workerEntry.js';
import type { EsbuildSettings } from '../../../local-runtime/template/esbuildProperties.js';
import { loadTemplate } from '../../../local-runtime/template/loadTemplate.js';
import { TemplateError } from '../../../local-runtime/template/TemplateError.js';
import type { LocalTemplate } from '../../../local-runtime/template/types.js';
import { samBuildFixture } from '../../helpers/samBuildFixture.js';

// test/fixtures/sam-build/template.yaml built as `sam build` builds it: esbuild as aws-lambda-builders runs it
// (https://github.com/aws/aws-lambda-builders/blob/develop/aws_lambda_builders/workflows/nodejs_npm_esbuild/esbuild.py),
// plain JavaScript CodeUri as the npm builder copies it, each function then loaded as Lambda's Node.js runtime
// loads a handler (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html).
const EVENT = { Records: [] } as DynamoDBStreamEvent;

let fixture: Awaited<ReturnType<typeof samBuildFixture>>;
let template: LocalTemplate;
let buildDir: string;
let workerUrl: URL;
const built = new Map<string, BuiltFunction>();
const invokers: WorkerInvoker[] = [];
const output: string[] = [];

beforeAll(async () => {
  fixture = await samBuildFixture();
  template = await loadTemplate(fixture.template);
  buildDir = join(fixture.folder, '.eddy/build');
  workerUrl = await workerEntry(buildDir);
  for (const fn of template.functions) {
    built.set(
      fn.logicalId,
      await buildFunction({ function: fn, templatePath: template.path, outDir: buildDir }),
    );
  }
}, 60_000);

afterAll(async () => {
  for (const invoker of invokers) await invoker.close();
  await fixture?.remove();
});

const invoke = async (logicalId: string, env: Record<string, string> = {}): Promise<unknown> => {
  const fn = template.functions.find((f) => f.logicalId === logicalId);
  const code = built.get(logicalId);
  if (fn === undefined || code === undefined) throw new Error(`no function ${logicalId}`);
  const invoker = new WorkerInvoker({
    functionName: fn.functionName,
    bundleUrl: code.moduleUrl,
    exportName: code.exportPath,
    timeoutSeconds: fn.timeoutSeconds,
    memoryLimitInMB: fn.memorySize,
    region: template.region,
    accountId: template.accountId,
    environment: { ...fn.environment, PATH: process.env.PATH ?? '', ...env },
    workerUrl,
    output: (line) =>
      output.push(`[${logicalId}${env.EDDY_FULL_STACK === undefined ? '' : ' full'}] ${line}`),
  });
  invokers.push(invoker);
  return invoker.invoke(EVENT);
};

const bundle = (logicalId: string, file: string) => readFile(join(buildDir, logicalId, file), 'utf8');

describe('sam build esbuild properties under eddy dev', () => {
  it('Format esm with OutExtension, Banner, MainFields and Sourcemap: an .mjs bundle with its map', async () => {
    expect((await readdir(join(buildDir, 'EsmFunction'))).sort()).toEqual([
      'esm.mjs',
      'esm.mjs.map',
      'package.json',
    ]);
    expect(await bundle('EsmFunction', 'esm.mjs')).toMatch(/^import \{ createRequire \} from 'node:module';/);
    // MainFields module,main picks dual's ES module build; the banner's require exists in the ES module.
    expect(await invoke('EsmFunction')).toEqual({
      shout: 'ESM!',
      flavour: 'module',
      banner: 'function',
      format: 'esm',
    });
  });

  it("SAM's defaults (cjs, minified, the Handler's file) bundle a package that has only an import condition", async () => {
    // The project says "type": "module"; a CommonJS app.js still loads, as in Lambda's task root.
    const code = await bundle('CjsDefaultsFunction', 'cjsDefaults.js');
    expect(code.trim().split('\n').length).toBeLessThanOrEqual(3); // minified: one line and the map comment
    expect(code).not.toContain("require('esm-only')");
    expect(await invoke('CjsDefaultsFunction')).toEqual({ shout: 'CJS!', flavour: 'main', format: 'cjs' });
  });

  it('Minify: false keeps names; Target and SourcesContent reach esbuild', async () => {
    const code = await bundle('UnminifiedFunction', 'unminified.js');
    expect(code).toContain('unminifiedMarkerName');
    const map = JSON.parse(await bundle('UnminifiedFunction', 'unminified.js.map')) as {
      sourcesContent?: unknown;
    };
    expect(map.sourcesContent).toBeUndefined();
    expect(await invoke('UnminifiedFunction')).toEqual({ marker: 'kept' });
  });

  it('External leaves a package out of the bundle; it loads from node_modules at run time', async () => {
    expect(await bundle('ExternalFunction', 'external.js')).not.toContain('exports.where');
    const result = (await invoke('ExternalFunction')) as { where: string };
    expect(result.where).toBe(join(fixture.folder, 'node_modules/ext-pkg/index.cjs'));
  });

  it('Loader .txt=text imports a text file as a string', async () => {
    expect(await invoke('LoaderFunction')).toEqual({ greeting: 'hello from a text file' });
  });

  it('EntryPoints without an extension are tried with .ts', async () => {
    expect(await readdir(join(buildDir, 'EntryPointsFunction'))).toContain('entry.js');
    expect(await invoke('EntryPointsFunction')).toEqual({ entry: 'nested' });
  });
});

describe('what sam build does around the bundle', () => {
  const definition = (logicalId: string) => {
    const fn = template.functions.find((f) => f.logicalId === logicalId);
    if (fn === undefined) throw new Error(`no function ${logicalId}`);
    return fn;
  };

  it("External ./node_modules/* leaves every dependency of CodeUri's package.json out, as SAM's layer build does", async () => {
    const fn = definition('CjsDefaultsFunction');
    const settings = fn.build.esbuild as EsbuildSettings;
    await buildFunction({
      function: {
        ...fn,
        build: { ...fn.build, esbuild: { ...settings, minify: false, external: ['./node_modules/*'] } },
      },
      templatePath: template.path,
      outDir: join(fixture.folder, 'layer-build'),
    });
    const code = await readFile(
      join(fixture.folder, 'layer-build/CjsDefaultsFunction/cjsDefaults.js'),
      'utf8',
    );
    expect(code).toContain('require("esm-only")');
    expect(code).toContain('require("dual")');
  });

  it('refuses a Handler that names no file of the bundle, at the Handler', async () => {
    const fn = definition('EsmFunction');
    const error = await buildFunction({
      function: { ...fn, handler: 'other.handler' },
      templatePath: template.path,
      outDir: join(fixture.folder, 'wrong-handler'),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).location).toBe('Resources.EsmFunction.Properties.Handler');
    expect((error as TemplateError).problem).toBe(
      'the bundle of handlers/esm.ts has no other.js, .mjs or .cjs for Handler other.handler, so Lambda could not load it: name the Handler after an entry point (its file name without extension)',
    );
  });
});

describe('plain JavaScript CodeUri without Metadata', () => {
  it('runs a CommonJS app.js as Lambda requires it, though the project above is "type": "module"', async () => {
    expect(await invoke('PlainCjsFunction')).toEqual({ kind: 'function', records: 0 });
  });

  it('runs an ES module app.js when its package.json says "type": "module"', async () => {
    expect(await invoke('PlainEsmFunction')).toEqual({ kind: 'string', records: 0 });
  });
});

describe('a plain CodeUri that holds the build folder', () => {
  it.each([
    ['.eddy/build', '.eddy/build/RootFunction'],
    ['out', 'out/RootFunction'],
  ])('is copied without copying %s into itself, node_modules linked', async (out, folder) => {
    const code = await buildFunction({
      function: {
        logicalId: 'RootFunction',
        handler: 'plain-esm/app.handler',
        codeUri: fixture.folder,
        build: {
          builder: 'none',
          entryPoints: [join(fixture.folder, 'plain-esm/app.js')],
          properties: {},
        },
      },
      templatePath: template.path,
      outDir: join(fixture.folder, out),
    });
    const copy = join(fixture.folder, folder);
    expect(code.moduleUrl).toBe(pathToFileURL(join(copy, 'plain-esm/app.js')).href);
    const entries = await readdir(copy);
    expect(entries).toContain('node_modules');
    expect(entries).not.toContain('.eddy');
    // The build folder's own path is mirrored, empty: the copy holds no copy of itself.
    expect(existsSync(join(copy, out, 'RootFunction'))).toBe(false);
    expect(await readFile(join(copy, 'node_modules/esm-only/package.json'), 'utf8')).toContain('esm-only');
  });
});

describe('errors in a TypeScript handler', () => {
  it('name the .ts file and line, with the frames inside RxJS folded in what is printed', async () => {
    const source = await readFile(join(fixture.folder, 'handlers/failing.ts'), 'utf8');
    const line = source.split('\n').findIndex((l) => l.includes("throw new Error('a negative total')")) + 1;
    const error = (await invoke('FailingFunction').then(
      () => undefined,
      (e: unknown) => e,
    )) as FunctionError;
    expect(error.message).toBe('a negative total');
    // The whole stack stays on the error, source-mapped.
    expect(error.stack).toContain(`handlers/failing.ts:${line}:`);
    expect(error.stack).toMatch(/node_modules\/rxjs\//);
    const printed = output.filter((l) => l.startsWith('[FailingFunction]')).join('\n');
    expect(printed).toContain('[FailingFunction] ERROR Invoke Error Error: a negative total');
    expect(printed).toContain(`handlers/failing.ts:${line}:`);
    expect(printed).not.toContain('.eddy/build');
    expect(printed).not.toMatch(/node_modules\/rxjs\//);
    expect(printed).toMatch(/\.\.\. \d+ frames? inside node_modules\/rxjs/);
  });

  it('are printed whole with EDDY_FULL_STACK=1', async () => {
    await invoke('FailingFunction', { EDDY_FULL_STACK: '1' }).catch(() => undefined);
    const printed = output.filter((l) => l.startsWith('[FailingFunction full]')).join('\n');
    expect(printed).toContain('handlers/failing.ts:');
    expect(printed).toMatch(/node_modules\/rxjs\//);
    expect(printed).not.toContain('frames inside node_modules/rxjs');
  });
});
