/**
 * `replay` end to end: a live run of template.yaml's projection (handlers/ordersProjection.ts) on the emulator
 * is recorded to a tape, the tape is replayed into a fresh emulator through the same handler, and the view
 * comes out the same; a poison record on a tape goes to the on-failure destination, as it would live.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../../local-runtime/testing/index.js';
import { streamRecordFactory } from '../../../local-runtime/testing/streamRecordFactory.js';
import { tapeOf } from '../../../local-runtime/testing/tapeOf.js';
import { FileDestination } from '../../../src/runtime/failures/destinations/FileDestination.js';
import type { InvocationReport } from '../../../src/runtime/observability/InvocationReport.js';
import { replay } from '../../../src/runtime/replay.js';
import { liveRangeSource } from '../../../src/runtime/sources/tape/liveRangeSource.js';
import { TapeSource } from '../../../src/runtime/sources/tape/TapeSource.js';
import { parseRecordFrom, parseRecordUntil } from '../../../src/tape/recordPositions.js';
import { recordStream } from '../../../src/tape/recordStream.js';

const ERRORS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html';
/** The projection's Events.OrdersStream settings in template.yaml. */
const SETTINGS = {
  BatchSize: 100,
  MaximumRetryAttempts: 5,
  FunctionResponseTypes: ['ReportBatchItemFailures'],
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-replay-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The view's rows without the tombstones' TTL, which counts from when a row was written. */
const rowsOf = (items: Record<string, unknown>[]) =>
  items
    .map(({ expiresAt: _ttl, ...row }) => row)
    .sort((a, b) => String(a.orderId).localeCompare(String(b.orderId)));

/** The projection's handler, imported afresh: it makes its DynamoDB client (from the environment) at load. */
const projectionFor = async (eddy: TestEmulator) => {
  eddy.useEnvironment('OrdersProjectionFunction');
  vi.resetModules();
  return (await import('../../../handlers/ordersProjection.js')).handler;
};

describe('replay', () => {
  it('a tape of a live run, replayed into a fresh emulator, gives the view the live run gave', async () => {
    const tapePath = join(dir, 'orders.tape.ndjson.gz');
    let liveView: Record<string, unknown>[];
    let liveRecords: number;
    {
      const live = await startTestEmulator({ template: 'template.yaml', shardCount: 2 });
      try {
        const handler = await projectionFor(live);
        const run = await live.runHandler(handler, { function: 'OrdersProjectionFunction' });
        for (let i = 0; i < 30; i++)
          await live.put('OrdersTable', {
            orderId: `o${i % 12}`,
            customerId: `c${i % 4}`,
            total: i,
            lines: [i],
          });
        await live.put('OrdersTable', { orderId: 'o3', customerId: 'c3', status: 'PAID', total: 99 });
        await live.delete('OrdersTable', { orderId: 'o5' }, { orderId: 'o7' });
        await run.settled();
        liveView = await live.scan('OrderViewTable');
        const summary = await recordStream({
          client: live.streams,
          streamArn: await live.streamArn('OrdersTable'),
          out: { path: tapePath },
          from: parseRecordFrom('trim-horizon'),
          until: parseRecordUntil('now'),
          tool: 'test',
        });
        liveRecords = summary.records;
      } finally {
        await live.close();
      }
    }
    expect(liveRecords).toBe(33);
    expect(liveView.some((row) => row.eddy_deleted === true)).toBe(true);

    const fresh = await startTestEmulator({ template: 'template.yaml' });
    try {
      const handler = await projectionFor(fresh);
      expect(await fresh.scan('OrderViewTable')).toEqual([]);
      const source = await TapeSource.load(tapePath);
      // Every event the function gets is one Lambda could send (Powertools' schema of a DynamoDB stream event).
      const events: unknown[] = [];
      const summary = await replay({
        source,
        handler: (event) => {
          events.push(event);
          return handler(event);
        },
        config: SETTINGS,
      });
      for (const event of events) expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
      expect(summary).toMatchObject({ records: 33, failures: 0, discarded: 0, completed: true });
      expect(summary.invocations).toBeGreaterThan(0);
      expect(rowsOf(await fresh.scan('OrderViewTable'))).toEqual(rowsOf(liveView));
    } finally {
      await fresh.close();
    }
  });

  it('a bounded live range is read and replayed, and ends', async () => {
    const eddy = await startTestEmulator({ template: 'template.yaml' });
    try {
      for (let i = 0; i < 5; i++)
        await eddy.put('OrdersTable', { orderId: `o${i}`, customerId: 'c', total: i });
      const source = await liveRangeSource({
        client: eddy.streams,
        streamArn: await eddy.streamArn('OrdersTable'),
        from: parseRecordFrom('trim-horizon'),
        until: parseRecordUntil('now'),
      });
      const seen: string[] = [];
      const summary = await replay({
        source,
        handler: async (event) => {
          for (const r of event.Records) seen.push(r.dynamodb?.Keys?.orderId?.S as string);
        },
      });
      expect(summary).toMatchObject({ records: 5, completed: true });
      expect(seen).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
    } finally {
      await eddy.close();
    }
  });

  it(`a poison record on the tape is bisected out and sent to the on-failure destination; the others are processed (${ERRORS})`, async () => {
    const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
    const tape = tapeOf(
      Array.from({ length: 8 }, (_, i) => orders.insert({ orderId: `o${i}`, poison: i === 5 })),
    );
    const failuresPath = join(dir, 'failures.ndjson');
    const processed: string[] = [];
    const reports: InvocationReport[] = [];
    const summary = await replay({
      source: new TapeSource(tape),
      handler: async (event) => {
        if (event.Records.some((r) => r.dynamodb?.NewImage?.poison?.BOOL === true)) throw new Error('poison');
        for (const r of event.Records) processed.push(r.dynamodb?.Keys?.orderId?.S as string);
      },
      config: { BatchSize: 8, MaximumRetryAttempts: 0, BisectBatchOnFunctionError: true },
      onFailure: new FileDestination(failuresPath),
      onInvocation: (report) => reports.push(report),
    });
    expect(summary).toMatchObject({ records: 8, discarded: 1, completed: true });
    expect(summary.failures).toBeGreaterThan(0);
    expect(processed.sort()).toEqual(['o0', 'o1', 'o2', 'o3', 'o4', 'o6', 'o7']);
    const lines = (await readFile(failuresPath, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const failure = JSON.parse(lines[0] as string);
    const poison = tape.records[5]?.record.dynamodb.SequenceNumber;
    expect(failure.DDBStreamBatchInfo).toMatchObject({
      batchSize: 1,
      startSequenceNumber: poison,
      endSequenceNumber: poison,
    });
  });
});
