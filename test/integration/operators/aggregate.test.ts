import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { defineStreamHandler } from '../../../src/handler/defineStreamHandler.js';
import { aggregate } from '../../../src/operators/aggregates/aggregate.js';
import { count, max, min, reducer, sum } from '../../../src/operators/aggregates/measures.js';
import { StreamViewTypeError } from '../../../src/operators/StreamViewTypeError.js';
import { toLambdaRecord } from '../../../src/runtime/sources/live/toLambdaRecord.js';
import type { EmulatorHarness } from '../../helpers/emulatorHarness.js';
import {
  byKey,
  createdSecondsOf,
  createKeyedTable,
  type Order,
  paddedSequenceOf,
  type Row,
  scanAll,
  seededRandom,
  waitForDrain,
  writeOrders,
} from '../../helpers/operatorRuns.js';
import { useOrderAggregation } from '../../helpers/orderAggregation.js';
import { streamRecords } from '../../helpers/streamRecords.js';

const SEED = Number(process.env.EDDY_SEED ?? 20260102);

type Customers = Record<string, number>;

/** Orders per customer, as a map: a user reducer that is a group (counts add and subtract). */
const customers = reducer<Order, Customers>({
  initial: {},
  add: (state, order) =>
    order.customer === undefined ? state : { ...state, [order.customer]: (state[order.customer] ?? 0) + 1 },
  remove: (state, order) => {
    if (order.customer === undefined) return state;
    const { [order.customer]: n = 0, ...rest } = state;
    return n === 1 ? rest : { ...rest, [order.customer]: n - 1 };
  },
});

const keysOf = (order: Order): string[] => [`status#${order.status ?? 'none'}`, 'all'];

const stats = (tableName: string, client: EmulatorHarness['dynamodb']) =>
  aggregate<Order>({
    client,
    tableName,
    key: keysOf,
    measures: {
      orders: count(),
      revenue: sum((o) => o.total),
      smallest: min((o) => o.total),
      largest: max((o) => o.total),
      customers,
    },
    ledgerTtl: { attribute: 'expiresAt', seconds: 2 * 86_400 },
  });

/** The aggregates recomputed from the source table's items. */
const recompute = (orders: readonly Order[]): Record<string, Row> => {
  const rows = new Map<string, Row>();
  for (const order of orders) {
    for (const key of keysOf(order)) {
      const row = rows.get(key) ?? { pk: key, orders: 0, revenue: 0, customers: {} };
      row.orders += 1;
      row.revenue += order.total ?? 0;
      if (order.total !== undefined) {
        row.smallest = Math.min(row.smallest ?? order.total, order.total);
        row.largest = Math.max(row.largest ?? order.total, order.total);
      }
      if (order.customer !== undefined)
        row.customers[order.customer] = (row.customers[order.customer] ?? 0) + 1;
      rows.set(key, row);
    }
  }
  return byKey([...rows.values()], 'pk');
};

/** What readers see: aggregate rows (not ledger rows), their measures, keys whose items are all gone left out. */
const readAggregates = async (tableName: string): Promise<Record<string, Row>> => {
  const rows = (await scanAll(setup.h.dynamodb, tableName)).filter(
    (row) => !String(row.pk).startsWith('eddy#'),
  );
  for (const row of rows.filter((r) => r.orders === 0)) {
    // An emptied key keeps its row, with nothing in it.
    expect(row).toMatchObject({ revenue: 0, customers: {} });
    expect(row.smallest).toBeUndefined();
    expect(row.largest).toBeUndefined();
  }
  return byKey(
    rows
      .filter((row) => row.orders !== 0)
      .map(({ pk, orders, revenue, smallest, largest, customers }) => ({
        pk,
        orders,
        revenue,
        ...(smallest === undefined ? {} : { smallest }),
        ...(largest === undefined ? {} : { largest }),
        customers,
      })),
    'pk',
  );
};

const setup = useOrderAggregation({
  seed: SEED,
  tableName: 'order-stats',
  mappingId: 'stats',
  operator: stats,
});

describe('aggregate under at-least-once delivery', () => {
  it(`equals a recomputation from the source table (seed ${SEED})`, async () => {
    expect(setup.redeliveries.concurrentDuplicates).toBeGreaterThan(0);
    expect(setup.redeliveries.sequentialDuplicates).toBeGreaterThan(0);
    expect(setup.redeliveries.reportedFailures + setup.redeliveries.crashes).toBeGreaterThan(0);
    expect(setup.unexpectedErrors()).toEqual([]);
    const orders = (await scanAll(setup.h.dynamodb, 'orders')) as Order[];
    expect(await readAggregates('order-stats')).toEqual(recompute(orders));
  });

  it("keeps one ledger row per source item, at its last record's sequence number, with its TTL", async () => {
    const records: _Record[] = await streamRecords(setup.h.streams, setup.sourceStream);
    const last = new Map<string, _Record>();
    for (const record of records) last.set(record.dynamodb?.Keys?.id?.S as string, record);
    const ledger = (await scanAll(setup.h.dynamodb, 'order-stats')).filter((row) =>
      String(row.pk).startsWith('eddy#'),
    );
    expect(
      Object.fromEntries(ledger.map((row) => [row.pk, [row.eddy_source_sequence, row.expiresAt]])),
    ).toEqual(
      Object.fromEntries(
        [...last].map(([id, record]) => [
          `eddy#applied#us-east-1/orders#[["id",{"S":"${id}"}]]`,
          [paddedSequenceOf(record), createdSecondsOf(record) + 2 * 86_400],
        ]),
      ),
    );
  });

  it('replaying the stream from TRIM_HORIZON with fresh checkpoints changes nothing', async () => {
    const before = byKey(await scanAll(setup.h.dynamodb, 'order-stats'), 'pk');
    const { run } = setup.start('order-stats', 'replay', SEED + 2);
    await waitForDrain(setup.h.streams, setup.sourceStream, run, 60_000);
    // Not a row written: every record was skipped at its ledger row (revisions unchanged too).
    expect(byKey(await scanAll(setup.h.dynamodb, 'order-stats'), 'pk')).toEqual(before);
  });

  it('rebuilding into an empty table from TRIM_HORIZON gives the same aggregates', async () => {
    await createKeyedTable(setup.h.dynamodb, 'order-stats-rebuilt', 'pk');
    const { run } = setup.start('order-stats-rebuilt', 'rebuild', SEED + 3);
    await waitForDrain(setup.h.streams, setup.sourceStream, run, 60_000);
    expect(await readAggregates('order-stats-rebuilt')).toEqual(await readAggregates('order-stats'));
  });

  it('fails the first record of a stream without old images, naming the StreamViewType', async () => {
    const stream = (await createKeyedTable(setup.h.dynamodb, 'new-images-only', 'id', 'NEW_IMAGE')) as string;
    await writeOrders(setup.h.dynamodb, 'new-images-only', seededRandom(1), 3);
    const errors: unknown[] = [];
    const handler = defineStreamHandler<Order>(stats('order-stats', setup.h.dynamodb), {
      onRecordError: (error) => errors.push(error),
    });
    const [first] = await streamRecords(setup.h.streams, stream);
    const event: DynamoDBStreamEvent = { Records: [toLambdaRecord(first as _Record, stream)] };
    const response = await handler(event);
    expect(response.batchItemFailures).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StreamViewTypeError);
    expect((errors[0] as Error).message).toMatch(
      /aggregate needs a stream with StreamViewType NEW_AND_OLD_IMAGES, and this record's stream has NEW_IMAGE/,
    );
  });
});
