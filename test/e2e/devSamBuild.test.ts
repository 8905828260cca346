import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, runCli } from '../helpers/runCli.js';
import { samBuildFixture } from '../helpers/samBuildFixture.js';

// `eddy dev` on test/fixtures/sam-build/template.yaml: what `sam build` accepts (esbuild with each BuildProperty
// SAM honours, plain JavaScript CodeUri without Metadata) runs, and a TypeScript handler's error names its line.
describe('eddy dev on templates sam build accepts', () => {
  let fixture: Awaited<ReturnType<typeof samBuildFixture>>;
  let dev: CliProcess;
  let client: DynamoDBClient;

  beforeAll(async () => {
    fixture = await samBuildFixture();
    const port = await freePort();
    dev = runCli(['dev', '--port', String(port), '--template', fixture.template]);
    await dev.waitForOutput(/ready/, 60_000);
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
  });

  afterAll(async () => {
    client?.destroy();
    await dev?.stop('SIGTERM');
    await fixture?.remove();
  });

  it('runs every function, and prints the .ts line of an error thrown inside an RxJS pipe', async () => {
    await client.send(new PutItemCommand({ TableName: 'source', Item: { id: { S: 'a' } } }));
    const working = [
      'EsmFunction',
      'CjsDefaultsFunction',
      'UnminifiedFunction',
      'ExternalFunction',
      'LoaderFunction',
      'EntryPointsFunction',
      'PlainCjsFunction',
      'PlainEsmFunction',
    ];
    for (const name of working) {
      await dev.waitForOutput(new RegExp(`\\[${name} \\w+\\] 1 record in → ok`));
    }
    await dev.waitForOutput(/\[FailingFunction \w+\] 1 record in → function error/);
    const source = await readFile(join(fixture.folder, 'handlers/failing.ts'), 'utf8');
    const line = source.split('\n').findIndex((l) => l.includes("throw new Error('a negative total')")) + 1;
    const printed = dev.output();
    expect(printed).toContain('[FailingFunction] ERROR Invoke Error Error: a negative total');
    expect(printed).toContain(`${join(fixture.folder, 'handlers/failing.ts')}:${line}:`);
    expect(printed).toMatch(/\[FailingFunction\] {5}\.\.\. \d+ frames? inside node_modules\/rxjs/);
    expect(printed).not.toMatch(/\.eddy\/build\/FailingFunction\/failing\.mjs:\d/);
    expect(printed).not.toContain('No "exports" main defined');
  });
});

describe('eddy dev with bad BuildProperties', () => {
  it('refuses them before anything starts, naming the template path and property', async () => {
    const fixture = await samBuildFixture();
    try {
      const text = await readFile(fixture.template, 'utf8');
      await writeFile(fixture.template, text.replace('Format: cjs', 'Format: commonjs'));
      const port = await freePort();
      const dev = runCli(['dev', '--port', String(port), '--template', fixture.template]);
      expect(await dev.exited).toBe(1);
      expect(dev.output()).toContain(
        'template.yaml: Resources.UnminifiedFunction.Metadata.BuildProperties.Format: expected esm or cjs, got "commonjs"',
      );
      expect(dev.output()).not.toContain('emulator listening');
    } finally {
      await fixture.remove();
    }
  });

  it('reports a handler that does not compile, before anything starts', async () => {
    const fixture = await samBuildFixture();
    try {
      await writeFile(join(fixture.folder, 'handlers/loader.ts'), 'export const handler = async () => {\n');
      const port = await freePort();
      const dev = runCli(['dev', '--port', String(port), '--template', fixture.template]);
      expect(await dev.exited).toBe(1);
      expect(dev.output()).toMatch(
        /template\.yaml: Resources\.LoaderFunction: esbuild could not bundle it: handlers\/loader\.ts:2:1: Unexpected end of file/,
      );
      expect(dev.output()).not.toContain('emulator listening');
    } finally {
      await fixture.remove();
    }
  });
});
