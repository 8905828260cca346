import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryPoints, exportDocs } from './publicApi.js';

// Every symbol a user can import has TSDoc with an `@example`, as Powertools documents its public API
// (https://docs.powertools.aws.dev/lambda/typescript/latest/ : each utility's reference shows the TSDoc).
describe('the public API (every entry point in package.json exports)', () => {
  const entries = entryPoints();

  it('has a source file for each entry point', () => {
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect(entries.filter((e) => !existsSync(e.source)).map((e) => e.specifier)).toEqual([]);
  });

  const docs = exportDocs(entries);

  it('exports something from each entry point', () => {
    expect(new Set(docs.map((d) => d.entry))).toEqual(new Set(entries.map((e) => e.specifier)));
  });

  it('documents every export with a summary and an @example', () => {
    const missing = docs
      .filter((d) => d.summary === '' || !d.hasExample)
      .map((d) => `${d.entry}: ${d.name}${d.summary === '' ? ' (no TSDoc)' : ' (no @example)'}`);
    expect(missing).toEqual([]);
  });
});
