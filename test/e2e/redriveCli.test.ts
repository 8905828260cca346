import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { FileDestination } from '../../src/runtime/failures/destinations/FileDestination.js';
import { inProcessInvoker } from '../../src/runtime/invocation/inProcessInvoker.js';
import { createStreamTable } from '../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli } from '../helpers/runCli.js';
import { waitFor } from '../helpers/waitFor.js';

// `eddy redrive` as a user runs it after a poison record: the mapping discarded it to its on-failure file, the
// handler was fixed, and the failure file is redriven through the fixed handler against the same stream.

let dir: string;
let h: EmulatorHarness;
let failures: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-redrive-cli-'));
  h = await startHarness();
  const streamArn = await createStreamTable(h.dynamodb, 'orders', 'NEW_IMAGE');
  for (const id of ['o1', 'o2', 'poison', 'o3']) {
    await h.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: id } } }));
  }
  failures = join(dir, 'orders-dlq.ndjson');
  const seen = new Set<string>();
  const live = new EventSourceMapping({
    mappingId: 'orders-view',
    streamArn,
    client: h.streams,
    config: { StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: 0, BisectBatchOnFunctionError: true },
    invoker: inProcessInvoker(async (event: DynamoDBStreamEvent) => {
      for (const record of event.Records) {
        const id = record.dynamodb?.Keys?.pk?.S as string;
        if (id === 'poison') throw new Error('cannot project poison');
        seen.add(id);
      }
    }),
    onFailure: new FileDestination(failures),
    pollIntervalMs: 10,
  });
  live.start();
  await waitFor(
    async () => seen.size === 3 && (await readFile(failures, 'utf8').catch(() => '')).includes('\n'),
    'the poison record in the failure file',
  );
  await live.stop();
}, 60_000);
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe('eddy redrive (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)', () => {
  it('reads the failed range back from the stream and sends it through the fixed handler', async () => {
    const out = join(dir, 'redriven.txt');
    const fixed = join(dir, 'fixed.mjs');
    await writeFile(
      fixed,
      `import { appendFileSync } from 'node:fs';
      export const handler = async (event) => {
        for (const r of event.Records) appendFileSync(${JSON.stringify(out)}, r.dynamodb.Keys.pk.S + '\\n');
      };\n`,
    );
    const cli = runCli([
      'redrive',
      failures,
      '--handler',
      `${fixed}#handler`,
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
      '--rate',
      '50',
    ]);
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toMatch(/→ \S+fixed\.mjs#handler at 50 records\/s at most/);
    expect(cli.output()).toMatch(
      /orders-dlq\.ndjson:1: shardId-\S+ \d+\.\.\d+: 1 record read from the stream/,
    );
    expect(cli.output()).toMatch(
      /eddy redrive: done: 1 of 1 ranges read, 0 lost, 1 records, 1 invocations, 0 failed, 0 discarded, 0 skipped as already applied/,
    );
    expect((await readFile(out, 'utf8')).trim().split('\n')).toEqual(['poison']);
  }, 60_000);

  it('reports a range past the 24-hour retention as lost, and exits 1', async () => {
    const old = join(dir, 'old.ndjson');
    const [line] = (await readFile(failures, 'utf8')).trim().split('\n');
    const record = JSON.parse(line as string);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    record.DDBStreamBatchInfo.approximateArrivalOfFirstRecord = twoDaysAgo;
    record.DDBStreamBatchInfo.approximateArrivalOfLastRecord = twoDaysAgo;
    await writeFile(old, `${JSON.stringify(record)}\n`);
    const cli = runCli([
      'redrive',
      old,
      '--handler',
      `${join(dir, 'fixed.mjs')}#handler`,
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
    ]);
    expect(await cli.exited, cli.output()).toBe(1);
    expect(cli.output()).toMatch(
      /old\.ndjson:1: .*: lost: its first record arrived at .*, more than 24 hours ago/,
    );
    expect(cli.output()).toMatch(/eddy redrive: done: 0 of 1 ranges read, 1 lost, 0 records/);
  }, 60_000);

  it('a source that is not there, or not failure records, is a usage error (exit 2) naming it', async () => {
    const missing = runCli([
      'redrive',
      join(dir, 'nope.ndjson'),
      '--handler',
      'x.mjs#handler',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
    ]);
    expect(await missing.exited, missing.output()).toBe(2);
    expect(missing.output()).toMatch(/eddy redrive: .*nope\.ndjson: no such file/);
    const event = join(dir, 'event.json');
    await writeFile(event, '{"Records":[]}\n');
    const wrong = runCli([
      'redrive',
      event,
      '--handler',
      'x.mjs#handler',
      '--endpoint',
      h.running.endpoint,
      '--region',
      'us-east-1',
    ]);
    expect(await wrong.exited, wrong.output()).toBe(2);
    expect(wrong.output()).toMatch(/eddy redrive: .*event\.json:1: no DDBStreamBatchInfo/);
    const rate = runCli(['redrive', failures, '--handler', 'x.mjs#handler', '--rate', '0']);
    expect(await rate.exited, rate.output()).toBe(2);
    expect(rate.output()).toMatch(/--rate .*records per second, a number above 0/);
  }, 60_000);
});
