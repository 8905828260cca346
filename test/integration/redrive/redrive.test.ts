import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { defineStreamHandler } from '../../../src/handler/defineStreamHandler.js';
import { project } from '../../../src/operators/project.js';
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

/** An emulator with an `orders` table (NEW_IMAGE stream) and where its mapping's failure file goes. */
const setup = async (): Promise<{ h: EmulatorHarness; failures: string; streamArn: string }> => {
  const h = await startHarness();
  cleanup.push(() => h.close());
  const dir = mkdtempSync(join(tmpdir(), 'eddy-redrive-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const streamArn = await createStreamTable(h.dynamodb, 'orders', 'NEW_IMAGE');
  return { h, failures: join(dir, 'failures.jsonl'), streamArn };
};

describe('redrive: failed ranges read back from the stream and sent through the fixed function (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)', () => {
  it('brings a view to what a recomputation gives after a poison record was discarded and the handler fixed', async () => {
    const { h, failures, streamArn } = await setup();
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

  it.each(['each', 'transactions'] as const)(
    'skips and counts the records whose keys the projection has already moved past, and leaves those rows as they are (writes: %s)',
    async (writes) => {
      const { h, failures, streamArn } = await setup();
      await h.dynamodb.send(
        new CreateTableCommand({
          TableName: 'order-view',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      const put = (pk: string, status: string) =>
        h.dynamodb.send(
          new PutItemCommand({ TableName: 'orders', Item: { pk: { S: pk }, status: { S: status } } }),
        );
      const viewRow = async (pk: string) => {
        const { Item } = await h.dynamodb.send(
          new GetItemCommand({ TableName: 'order-view', Key: { pk: { S: pk } } }),
        );
        return Item === undefined ? undefined : unmarshall(Item);
      };
      // The bug: the view cannot take a "held" order. Fixed, it can.
      const handlerOf = (buggy: boolean) =>
        defineStreamHandler(
          project<{ pk: string; status: string }>({
            client: h.dynamodb,
            tableName: 'order-view',
            writes,
            view: (order) => {
              if (buggy && order.status === 'held') throw new Error(`cannot project held order ${order.pk}`);
              return { pk: order.pk, status: order.status };
            },
          }),
        );
      await put('o1', 'held'); // fails live; o1 then moves on to "shipped", which the view takes
      await put('o2', 'held'); // fails live; nothing later: the redrive applies it
      await put('o1', 'shipped');
      const config = {
        StartingPosition: 'TRIM_HORIZON' as const,
        BatchSize: 1,
        MaximumRetryAttempts: 0,
        FunctionResponseTypes: ['ReportBatchItemFailures' as const],
      };
      const live = new EventSourceMapping({
        mappingId: 'orders-view',
        streamArn,
        client: h.streams,
        config,
        invoker: inProcessInvoker(handlerOf(true)),
        onFailure: new FileDestination(failures),
        pollIntervalMs: 10,
      });
      live.start();
      cleanup.push(() => live.stop());
      await waitFor(
        async () =>
          (await viewRow('o1'))?.status === 'shipped' &&
          (await failedRangesInFile(failures).catch(() => [])).length === 2,
        'o1 shipped in the view, and both held records in the failure file',
      );
      await live.stop();

      const summary = await redrive({
        ranges: await failedRangesInFile(failures),
        client: h.streams,
        handler: handlerOf(false),
        config,
      });
      expect(summary).toMatchObject({ read: 2, records: 2, discarded: 0, superseded: 1, completed: true });
      // o1's row stays at the newer record; o2's held record is applied.
      expect(await viewRow('o1')).toMatchObject({ status: 'shipped' });
      expect(await viewRow('o2')).toMatchObject({ status: 'held' });
    },
  );
});
