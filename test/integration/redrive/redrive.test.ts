import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { failedRangesInFile } from '../../../src/redrive/readFailureRecords.js';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { FileDestination } from '../../../src/runtime/failures/destinations/FileDestination.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { redrive } from '../../../src/runtime/redrive.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A view of the orders: total per id, as a projection keeps it. */
const projector = (view: Map<string, number>, poison?: string) => async (event: DynamoDBStreamEvent) => {
  for (const record of event.Records) {
    const id = record.dynamodb?.Keys?.pk?.S as string;
    if (id === poison) throw new Error(`cannot project ${id}`);
    view.set(id, Number(record.dynamodb?.NewImage?.total?.N));
  }
};

describe('redrive: failed ranges read back from the stream and sent through the fixed function (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)', () => {
  it('brings a view to what a recomputation gives after a poison record was discarded and the handler fixed', async () => {
    const h: EmulatorHarness = await startHarness();
    cleanup.push(() => h.close());
    const dir = mkdtempSync(join(tmpdir(), 'eddy-redrive-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const failures = join(dir, 'failures.jsonl');
    const streamArn = await createStreamTable(h.dynamodb, 'orders', 'NEW_IMAGE');
    const orders = Array.from({ length: 12 }, (_, i) => ({ id: `o${i}`, total: i * 10 }));
    for (const { id, total } of orders) {
      await h.dynamodb.send(
        new PutItemCommand({ TableName: 'orders', Item: { pk: { S: id }, total: { N: String(total) } } }),
      );
    }
    // Live: o7 cannot be projected; bisecting isolates it and, with no retries, it goes to the failure file.
    const view = new Map<string, number>();
    const config = {
      StartingPosition: 'TRIM_HORIZON' as const,
      BatchSize: 4,
      MaximumRetryAttempts: 0,
      BisectBatchOnFunctionError: true,
    };
    const live = new EventSourceMapping({
      mappingId: 'orders-view',
      streamArn,
      client: h.streams,
      config,
      invoker: inProcessInvoker(projector(view, 'o7')),
      onFailure: new FileDestination(failures),
      pollIntervalMs: 10,
    });
    live.start();
    cleanup.push(() => live.stop());
    await waitFor(() => view.size === 11, 'every order but the poison one');
    await live.stop();
    const ranges = await failedRangesInFile(failures);
    expect(ranges.map((r) => [r.batchSize, r.condition])).toEqual([[1, 'RetryAttemptsExhausted']]);
    expect(view.has('o7')).toBe(false);

    const told: string[] = [];
    const summary = await redrive({
      ranges,
      client: h.streams,
      handler: projector(view),
      config,
      onRange: (range, outcome) => told.push(`${range.from} ${outcome.kind}`),
    });
    expect(Object.fromEntries(view)).toEqual(Object.fromEntries(orders.map(({ id, total }) => [id, total])));
    expect(summary).toMatchObject({
      ranges: 1,
      read: 1,
      lost: [],
      mismatched: [],
      duplicates: 0,
      records: 1,
      failures: 0,
      discarded: 0,
      completed: true,
    });
    expect(told).toEqual([`${failures}:1 read`]);
  });
});
