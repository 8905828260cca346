import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerInvoker } from '../../../local-runtime/functions/WorkerInvoker.js';
import { workerEntry } from '../../../local-runtime/functions/workerEntry.js';
import { invocationStatsOf } from '../../../src/records/invocationStats.js';
import { ROOT } from '../../helpers/runCli.js';

// A function's execution environment as `eddy dev` runs it: Lambda's START/END/REPORT lines around each
// invocation, with the function's own output in between and in order
// (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html).

let dir = '';
let workerUrl: URL;

const SOURCE = `console.log('init');
export const handler = async (event) => {
  for (let i = 0; i < 50; i += 1) console.log('line ' + i);
  console.error('err');
  if (event.Records.length === 0) await new Promise(() => undefined); // never answers: the Timeout ends it
  // What defineStreamHandler does when a projection found a record already applied.
  if (event.Records.length === 2)
    Object.defineProperty(event, Symbol.for('eddy.invocationStats'), { value: { superseded: ['7'] } });
  return { batchItemFailures: [] };
};
`;

const invokerFor = async (timeoutSeconds: number, lines: string[]) => {
  // A plain ESM module, as Lambda loads one without a build step.
  const bundleUrl = pathToFileURL(join(dir, 'logs.mjs')).href;
  return new WorkerInvoker({
    functionName: 'logs',
    bundleUrl,
    exportName: 'handler',
    timeoutSeconds,
    memoryLimitInMB: 256,
    region: 'us-east-1',
    accountId: '000000000000',
    environment: {},
    workerUrl,
    output: (line) => lines.push(line),
  });
};

const event = (records: number) =>
  ({ Records: Array.from({ length: records }, () => ({})) }) as DynamoDBStreamEvent;

beforeAll(async () => {
  await mkdir(join(ROOT, '.eddy'), { recursive: true });
  dir = await mkdtemp(join(ROOT, '.eddy', 'invoker-'));
  await writeFile(join(dir, 'logs.mjs'), SOURCE);
  workerUrl = await workerEntry(join(dir, 'build'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('WorkerInvoker output', () => {
  it('prints the cold start, START, every line the handler wrote in order, END and REPORT before the result', async () => {
    const lines: string[] = [];
    const invoker = await invokerFor(3, lines);
    try {
      expect(await invoker.prepare()).toBeUndefined();
      await invoker.invoke(event(1));
      const start = lines.findIndex((line) => line.startsWith('START '));
      const requestId = (lines[start] as string).split(' ')[2];
      expect(lines.slice(0, start)).toEqual(['init']);
      expect(lines.slice(start)).toEqual([
        `START RequestId: ${requestId} Version: $LATEST`,
        ...Array.from({ length: 50 }, (_, i) => `line ${i}`),
        'err',
        `END RequestId: ${requestId}`,
        expect.stringMatching(
          new RegExp(
            `^REPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms$`,
          ),
        ),
      ]);
      // A warm invocation: no Init Duration.
      await invoker.invoke(event(1));
      expect(lines.at(-1)).toMatch(/^REPORT .*Max Memory Used: \d+ MB$/);
    } finally {
      await invoker.close();
    }
  });

  it("a timeout prints what the function wrote, then Lambda's timeout message, END and REPORT with its status", async () => {
    const lines: string[] = [];
    const invoker = await invokerFor(1, lines);
    try {
      await expect(invoker.invoke(event(0))).rejects.toThrow('Task timed out after 1.00 seconds');
      const start = lines.findIndex((line) => line.startsWith('START '));
      const requestId = (lines[start] as string).split(' ')[2];
      expect(lines.slice(-4)).toEqual([
        'err',
        expect.stringMatching(
          new RegExp(`^\\d{4}-\\d\\d-\\d\\dT.+Z ${requestId} Task timed out after 1\\.00 seconds$`),
        ),
        `END RequestId: ${requestId}`,
        expect.stringMatching(new RegExp(`^REPORT RequestId: ${requestId}\\t.*\\tStatus: timeout$`)),
      ]);
    } finally {
      await invoker.close();
    }
  });
});

describe('WorkerInvoker stats beside the response', () => {
  it('brings back what the handler set on its event (records already applied) onto the event the runtime gave', async () => {
    const invoker = await invokerFor(3, []);
    try {
      const given = event(2);
      expect(await invoker.invoke(given)).toEqual({ batchItemFailures: [] });
      expect(invocationStatsOf(given)).toEqual({ superseded: ['7'] });
      const other = event(1);
      await invoker.invoke(other);
      expect(invocationStatsOf(other)).toBeUndefined();
    } finally {
      await invoker.close();
    }
  });
});
