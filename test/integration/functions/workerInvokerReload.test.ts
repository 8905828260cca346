import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerInvoker } from '../../../local-runtime/functions/WorkerInvoker.js';
import { workerEntry } from '../../../local-runtime/functions/workerEntry.js';
import { ROOT } from '../../helpers/runCli.js';
import { waitFor } from '../../helpers/waitFor.js';

// `eddy dev --watch` swaps a function's execution environment between invocations: an invocation running when
// the new code is ready finishes on the old code (a batch is never cut in half), the next one runs the new code,
// and a new version that fails to load leaves the old one running.

let dir = '';
let workerUrl: URL;

/** Version `v` of the function; with `gate`, an invocation answers only once that file exists (a latch). */
const version = (v: string, gate?: string) => `
import { existsSync, watch } from 'node:fs';
import { dirname } from 'node:path';
const opened = (gate) =>
  new Promise((resolve) => {
    const check = () => {
      if (!existsSync(gate)) return;
      watcher.close();
      resolve();
    };
    const watcher = watch(dirname(gate), check);
    check();
  });
export const handler = async () => {
  ${gate === undefined ? '' : `await opened(${JSON.stringify(gate)});`}
  return '${v}';
};
`;

beforeAll(async () => {
  await mkdir(join(ROOT, '.eddy'), { recursive: true });
  dir = await mkdtemp(join(ROOT, '.eddy', 'reload-'));
  workerUrl = await workerEntry(join(dir, 'build'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** The function in `file`, its output lines to `output`. */
const invokerOf = (file: string, output: (line: string) => void) =>
  new WorkerInvoker({
    functionName: 'fn',
    bundleUrl: pathToFileURL(file).href,
    exportName: 'handler',
    timeoutSeconds: 30,
    memoryLimitInMB: 128,
    region: 'us-east-1',
    accountId: '000000000000',
    environment: {},
    workerUrl,
    output,
  });

describe('WorkerInvoker.reload', () => {
  it('lets the invocation in flight finish on the old code and runs the next one on the new code', async () => {
    const gate = join(dir, 'gate');
    const file = join(dir, 'fn.mjs');
    await writeFile(file, version('v1', gate));
    const lines: string[] = [];
    const invoker = invokerOf(file, (line) => lines.push(line));
    try {
      const event = { Records: [] } as unknown as DynamoDBStreamEvent;
      const inFlight = invoker.invoke(event);
      await waitFor(() => lines.some((line) => line.startsWith('START')), 'the invocation to start');
      await writeFile(file, version('v2'));
      expect(await invoker.reload()).toBeUndefined();
      // The old environment still runs the invocation it had; the new one answers the next at once.
      expect(await invoker.invoke(event)).toBe('v2');
      expect(existsSync(gate)).toBe(false);
      await writeFile(gate, '');
      expect(await inFlight).toBe('v1');

      // A version that throws while loading: reload says why, and v2 keeps answering.
      await writeFile(file, `throw new Error('broken at load');\n`);
      const error = await invoker.reload();
      expect(error?.message).toContain('broken at load');
      expect(await invoker.invoke(event)).toBe('v2');
    } finally {
      await invoker.close();
    }
  });

  it("swaps in a spare that imported the bundle's first packages, fresh, and only when they are its first imports", async () => {
    const preload = join(dir, 'preload.mjs');
    // What a package's import does: a side effect the handler can see.
    await writeFile(preload, 'globalThis.preloaded = (globalThis.preloaded ?? 0) + 1;\n');
    const counting = (v: string) =>
      `let calls = 0;\nexport const handler = async () => \`${v} call \${++calls} preloaded \${globalThis.preloaded}\`;\n`;
    const first = join(dir, 'counting-1.mjs');
    await writeFile(first, counting('v1'));
    const invoker = invokerOf(first, () => undefined);
    const event = { Records: [] } as unknown as DynamoDBStreamEvent;
    const packages = { url: pathToFileURL(preload).href, specifiers: ['a', 'b'] };
    try {
      await invoker.invoke(event);
      expect(await invoker.invoke(event)).toBe('v1 call 2 preloaded undefined');

      // The new bundle imports a, b, then c: the spare that imported a and b stands for its cold start, and its
      // module state is new (the first call is call 1), as after a deploy.
      invoker.prewarm(packages);
      const second = join(dir, 'counting-2.mjs');
      await writeFile(second, counting('v2'));
      const next = { url: packages.url, specifiers: ['a', 'b', 'c'] };
      expect(await invoker.reload({ bundleUrl: pathToFileURL(second).href, preload: next })).toBeUndefined();
      expect(await invoker.invoke(event)).toBe('v2 call 1 preloaded 1');

      // A bundle that imports b first: a spare that imported a first would not be a cold start of it.
      invoker.prewarm(packages);
      const third = join(dir, 'counting-3.mjs');
      await writeFile(third, counting('v3'));
      const reordered = { url: packages.url, specifiers: ['b', 'a'] };
      expect(
        await invoker.reload({ bundleUrl: pathToFileURL(third).href, preload: reordered }),
      ).toBeUndefined();
      expect(await invoker.invoke(event)).toBe('v3 call 1 preloaded undefined');
    } finally {
      await invoker.close();
    }
  });
});
