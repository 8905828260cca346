import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionRebuilder } from '../../../local-runtime/functions/FunctionRebuilder.js';
import type { EsbuildSettings } from '../../../local-runtime/template/esbuildProperties.js';
import { ROOT } from '../../helpers/runCli.js';

// `eddy dev --watch` rebuilds an ES module function without node_modules (a spare environment imports them
// first, in the bundle's order), and falls back to SAM's whole bundle on demand; CommonJS stays whole.

let dir = '';

const settings = (format: 'esm' | 'cjs'): EsbuildSettings => ({
  entryPoints: [join(dir, 'app.ts')],
  format,
  target: ['es2022'],
  minify: false,
  external: [],
  loader: {},
  outExtension: format === 'esm' ? { '.js': '.mjs' } : {},
  banner: {},
  sourcemap: true,
});

beforeAll(async () => {
  await mkdir(join(ROOT, '.eddy'), { recursive: true });
  dir = await mkdtemp(join(ROOT, '.eddy', 'rebuilder-'));
  await writeFile(
    join(dir, 'app.ts'),
    `import { unmarshall } from '@aws-sdk/util-dynamodb';\nimport { name } from './name';\n` +
      'export const handler = async (image: never) => name + JSON.stringify(unmarshall(image));\n',
  );
  await writeFile(join(dir, 'name.ts'), `export const name = 'app';\n`);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('FunctionRebuilder', () => {
  it('leaves the packages of an ES module bundle out and names them for a spare, in order', async () => {
    const rebuilder = await FunctionRebuilder.start(
      { codeUri: dir, handler: 'app.handler', build: { esbuild: settings('esm') } },
      join(dir, 'out-esm'),
    );
    try {
      const built = await rebuilder.rebuild();
      if (!built.ok) throw new Error(JSON.stringify(built.errors));
      expect(built.moduleUrl).toMatch(/\/out-esm\/app\.mjs$/);
      const bundle = await readFile(fileURLToPath(built.moduleUrl as string), 'utf8');
      expect(bundle).toContain('from "@aws-sdk/util-dynamodb"');
      expect(built.preload?.specifiers).toEqual(['@aws-sdk/util-dynamodb']);
      expect(await readFile(fileURLToPath(built.preload?.url as string), 'utf8')).toBe(
        'import "@aws-sdk/util-dynamodb";\n',
      );
      expect(built.inputs).toEqual(expect.arrayContaining([join(dir, 'app.ts'), join(dir, 'name.ts')]));
      expect(built.inputs.some((input) => input.includes('node_modules'))).toBe(false);

      // SAM's whole bundle, when asked: the package is in it, nothing to preload.
      const whole = await rebuilder.rebuild({ whole: true });
      if (!whole.ok) throw new Error(JSON.stringify(whole.errors));
      expect(await readFile(fileURLToPath(whole.moduleUrl as string), 'utf8')).not.toContain(
        'from "@aws-sdk/util-dynamodb"',
      );
      expect(whole.preload).toBeUndefined();
    } finally {
      await rebuilder.dispose();
    }
  });

  it('keeps a CommonJS bundle whole: its packages are required as its body runs', async () => {
    const rebuilder = await FunctionRebuilder.start(
      { codeUri: dir, handler: 'app.handler', build: { esbuild: settings('cjs') } },
      join(dir, 'out-cjs'),
    );
    try {
      expect(rebuilder.isWhole).toBe(true);
      const built = await rebuilder.rebuild();
      if (!built.ok) throw new Error(JSON.stringify(built.errors));
      expect(built.preload).toBeUndefined();
      expect(await readFile(fileURLToPath(built.moduleUrl as string), 'utf8')).not.toContain(
        'require("@aws-sdk/util-dynamodb")',
      );
    } finally {
      await rebuilder.dispose();
    }
  });
});
