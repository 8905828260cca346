import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOf } from '../../../../local-runtime/template/buildOf.js';
import { templateContext } from './templateContext.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eddy-buildof-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'app.ts'), 'export const handler = async () => {};\n');
  writeFileSync(join(dir, 'src', 'plain.mjs'), 'export const handler = async () => {};\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = (metadata: Record<string, unknown> | undefined, handler: string) =>
  buildOf(
    templateContext({}, { folder: dir }),
    'Fn',
    metadata === undefined ? {} : { Metadata: metadata },
    join(dir, 'src'),
    handler,
    {},
  );

// How `sam build` builds Node.js functions:
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html
describe('buildOf', () => {
  it("runs the Handler's file as it is without Metadata (the npm builder)", () => {
    expect(build(undefined, 'plain.handler')).toEqual({
      builder: 'none',
      entryPoints: [join(dir, 'src', 'plain.mjs')],
      properties: {},
    });
  });

  it('bundles with esbuild for BuildMethod: esbuild, finding the .ts entry point', () => {
    const result = build(
      { BuildMethod: 'esbuild', BuildProperties: { EntryPoints: ['app'] } },
      'app.handler',
    );
    expect(result.builder).toBe('esbuild');
    expect(result.entryPoints).toEqual([join(dir, 'src', 'app.ts')]);
  });

  it('says a TypeScript Handler without esbuild needs Metadata: {BuildMethod: esbuild}', () => {
    expect(() => build(undefined, 'app.handler')).toThrow(
      /Resources\.Fn\.Properties\.Handler: .*app\.ts is TypeScript, .*add Metadata: \{BuildMethod: esbuild\}/,
    );
  });
});
