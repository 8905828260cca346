import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './publicApi.js';

interface Manifest {
  license: string;
  types: string;
  files: string[];
  sideEffects: false | string[];
  engines: { node: string };
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

describe('package.json', () => {
  it('gives every entry point types, an import and a default condition on the same ESM file', () => {
    // `default` is what `require('eddy')` resolves (Node's require(esm), unflagged since 20.19 and 22.12:
    // https://nodejs.org/api/modules.html#loading-ecmascript-modules-using-require), and what esbuild's cjs
    // builds (SAM's default Format) resolve.
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json') continue;
      expect(target, subpath).toEqual({
        types: expect.stringMatching(/^\.\/dist\/.*\.d\.ts$/),
        import: expect.stringMatching(/^\.\/dist\/.*\.js$/),
        default: (target as Record<string, string>).import,
      });
      const { types, import: js } = target as Record<string, string>;
      expect(types?.replace(/\.d\.ts$/, ''), subpath).toBe(js?.replace(/\.js$/, ''));
    }
    expect(manifest.types).toBe((manifest.exports['.'] as Record<string, string>).types);
  });

  it('ships the license and the README, and only the built library and tools', () => {
    expect(manifest.license).toBe('Apache-2.0');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(manifest.files).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'dist/src', 'dist/local-runtime']),
    );
    expect(manifest.files.filter((f) => !f.startsWith('!') && f.startsWith('dist/'))).toEqual([
      'dist/src',
      'dist/local-runtime',
      // The dashboard's bundle, built from dashboard-ui/ (local-runtime/dashboard/writeDashboardBundle.ts).
      'dist/dashboard-ui',
    ]);
  });

  it('names as side effects only the scripts that are run, never imported', () => {
    expect(manifest.sideEffects).toEqual([
      './dist/local-runtime/cli/main.js',
      './dist/local-runtime/functions/functionWorker.js',
      './dist/local-runtime/dashboard/writeDashboardBundle.js',
    ]);
    for (const script of manifest.sideEffects || []) {
      const source = join(ROOT, script.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
      expect(existsSync(source), source).toBe(true);
    }
  });

  it('lists in dependencies every package the shipped code imports', () => {
    // A user installs only dependencies: a package reached from dist/ that is a devDependency would be missing.
    const imported = new Set<string>();
    for (const folder of ['src', 'local-runtime']) {
      const files = readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' });
      for (const file of files.filter((f) => f.endsWith('.ts'))) {
        const text = readFileSync(join(ROOT, folder, file), 'utf8');
        for (const [, name] of text.matchAll(
          /^(?:import|export)[^;]*?from '((?:@[^/']+\/)?[^./'][^/']*)/gm,
        )) {
          if (!name?.startsWith('node:'))
            imported.add(name === 'aws-lambda' ? '@types/aws-lambda' : (name as string));
        }
      }
    }
    expect(imported).toContain('@aws-sdk/client-dynamodb-streams');
    expect([...imported].filter((name) => manifest.dependencies[name] === undefined)).toEqual([]);
    expect(manifest.engines.node).toBe('>=20.19');
  });
});
