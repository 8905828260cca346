import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { filter } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { defineStreamHandler } from '../../../src/handler/defineStreamHandler.js';
import { aggregate } from '../../../src/operators/aggregates/aggregate.js';
import { aggregateEvents } from '../../../src/operators/aggregates/aggregateEvents.js';
import { count, min, reducer, sum } from '../../../src/operators/aggregates/measures.js';
import { type StreamItem, toStreamItem } from '../../../src/pipeline/StreamItem.js';
import { toLambdaRecord } from '../../../src/runtime/sources/live/toLambdaRecord.js';
import type { EmulatorHarness } from '../../helpers/emulatorHarness.js';
import { lambdaRecord } from '../../helpers/factories.js';
import {
  byKey,
  createdSecondsOf,
  createKeyedTable,
  createTable,
  type Order,
  paddedSequenceOf,
  type Row,
  scanAll,
  startMapping,
  waitForDrain,
} from '../../helpers/operatorRuns.js';
import { useOrderAggregation } from '../../helpers/orderAggregation.js';
import { streamRecords } from '../../helpers/streamRecords.js';

const SEED = Number(process.env.EDDY_SEED ?? 20260111);

const minuteOf = (seconds = 0): string => new Date(seconds * 1000).toISOString().slice(0, 16);

/**
 * Per event name and status, per event name, and per minute; records of orders without a customer (created by
 * an update) count towards nothing, which filters them out.
 */
const keysOf = (record: StreamItem<Order>): string[] | undefined => {
  const image = record.newImage ?? record.oldImage;
  if (image?.customer === undefined) return undefined;
  return [
    `${record.eventName}#${image.status ?? 'none'}`,
    record.eventName,
    `minute#${minuteOf(record.approximateCreationDateTime)}`,
  ];
};

/** The largest total a record carried: a reducer with no remove, whose add commutes. */
const largest = reducer<StreamItem<Order>, number | null>({
  initial: null,
  add: (state, record) => {
    const total = record.newImage?.total;
    return total === undefined ? state : Math.max(state ?? total, total);
  },
});

const perEvent = (tableName: string, client: EmulatorHarness['dynamodb'], ledgerName?: string) =>
  aggregateEvents<Order>({
    client,
    tableName,
    key: keysOf,
    measures: {
      events: count(),
      total: sum((record) => record.newImage?.total),
      smallest: min((record) => record.newImage?.total),
      largest,
    },
    ledgerTtl: { attribute: 'expiresAt', seconds: 2 * 86_400 },
    ...(ledgerName === undefined ? {} : { ledgerName }),
  });

const itemsOf = (records: readonly _Record[], streamArn: string): StreamItem<Order>[] =>
  records.map((record) => toStreamItem<Order>(toLambdaRecord(record, streamArn)));

/** The aggregates recomputed from the stream's records: each record once. */
const recompute = (items: readonly StreamItem<Order>[]): Record<string, Row> => {
  const rows = new Map<string, Row>();
  for (const item of items) {
    for (const key of keysOf(item) ?? []) {
      const row = rows.get(key) ?? { pk: key, events: 0, total: 0 };
      const total = item.newImage?.total;
      row.events += 1;
      row.total += total ?? 0;
      if (total !== undefined) {
        row.smallest = Math.min(row.smallest ?? total, total);
        row.largest = Math.max(row.largest ?? total, total);
      }
      rows.set(key, row);
    }
  }
  return byKey([...rows.values()], 'pk');
};

/** What readers see: aggregate rows (not ledger rows) and their measures. */
const readAggregates = async (tableName: string): Promise<Record<string, Row>> =>
  byKey(
    (await scanAll(setup.h.dynamodb, tableName))
      .filter((row) => !String(row.pk).startsWith('eddy#'))
      .map(({ pk, events, total, smallest, largest }) => ({
        pk,
        events,
        // A sum nothing has added to yet is absent (REMOVE records carry no new image here).
        total: total ?? 0,
        ...(smallest === undefined ? {} : { smallest }),
        ...(largest === undefined || largest === null ? {} : { largest }),
      })),
    'pk',
  );

const ledgerRows = async (tableName: string): Promise<Row[]> =>
  (await scanAll(setup.h.dynamodb, tableName)).filter((row) => String(row.pk).startsWith('eddy#'));

const setup = useOrderAggregation({
  seed: SEED,
  tableName: 'order-events',
  mappingId: 'events',
  operator: perEvent,
});

describe('aggregateEvents under at-least-once delivery', () => {
  it(`counts every record once: equals a recomputation from the stream (seed ${SEED})`, async () => {
    expect(setup.redeliveries.concurrentDuplicates).toBeGreaterThan(0);
    expect(setup.redeliveries.sequentialDuplicates).toBeGreaterThan(0);
    expect(setup.redeliveries.reportedFailures + setup.redeliveries.crashes).toBeGreaterThan(0);
    expect(setup.unexpectedErrors()).toEqual([]);
    const items = itemsOf(await streamRecords(setup.h.streams, setup.sourceStream), setup.sourceStream);
    const expected = recompute(items);
    // The workload has records of every kind, and some that count towards nothing.
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['INSERT', 'MODIFY', 'REMOVE']));
    expect(items.some((item) => keysOf(item) === undefined)).toBe(true);
    expect(await readAggregates('order-events')).toEqual(expected);
  });

  it("keeps one ledger row per counted source item, at its last counted record's sequence number, with its TTL", async () => {
    const records = await streamRecords(setup.h.streams, setup.sourceStream);
    const last = new Map<string, _Record>();
    for (const record of records) {
      const item = toStreamItem<Order>(toLambdaRecord(record, setup.sourceStream));
      if (keysOf(item) !== undefined) last.set(record.dynamodb?.Keys?.id?.S as string, record);
    }
    expect(
      Object.fromEntries(
        (await ledgerRows('order-events')).map((row) => [row.pk, [row.eddy_source_sequence, row.expiresAt]]),
      ),
    ).toEqual(
      Object.fromEntries(
        [...last].map(([id, record]) => [
          `eddy#events#events#us-east-1/orders#[["id",{"S":"${id}"}]]`,
          [paddedSequenceOf(record), createdSecondsOf(record) + 2 * 86_400],
        ]),
      ),
    );
  });

  it('replaying the stream from TRIM_HORIZON with fresh checkpoints changes nothing', async () => {
    const before = byKey(await scanAll(setup.h.dynamodb, 'order-events'), 'pk');
    const { run } = setup.start('order-events', 'replay', SEED + 2);
    await waitForDrain(setup.h.streams, setup.sourceStream, run, 60_000);
    // Not a row written: every record was skipped at its ledger row (revisions unchanged too).
    expect(byKey(await scanAll(setup.h.dynamodb, 'order-events'), 'pk')).toEqual(before);
    expect(setup.unexpectedErrors()).toEqual([]);
  });

  it('two workers reading the whole stream at once into an empty table count each record once', async () => {
    // As when a lease moves while its old owner is still processing, but for every batch of every shard.
    await createKeyedTable(setup.h.dynamodb, 'order-events-two-workers', 'pk');
    const first = setup.start('order-events-two-workers', 'worker-1', SEED + 3);
    const second = setup.start('order-events-two-workers', 'worker-2', SEED + 4);
    await waitForDrain(setup.h.streams, setup.sourceStream, first.run, 60_000);
    await waitForDrain(setup.h.streams, setup.sourceStream, second.run, 60_000);
    expect(setup.unexpectedErrors()).toEqual([]);
    expect(await readAggregates('order-events-two-workers')).toEqual(await readAggregates('order-events'));
  });

  it('keeps its ledger apart from aggregate and from another ledgerName on the same table', async () => {
    await createKeyedTable(setup.h.dynamodb, 'shared-stats', 'pk');
    const byStatus = defineStreamHandler<Order>(
      aggregate<Order>({
        client: setup.h.dynamodb,
        tableName: 'shared-stats',
        key: (order) => `status#${order.status ?? 'none'}`,
        measures: { orders: count() },
      }),
      { onRecordError: (error) => setup.recordErrors.push(error) },
    );
    const perEventAgain = defineStreamHandler<Order>(perEvent('shared-stats', setup.h.dynamodb, 'again'), {
      onRecordError: (error) => setup.recordErrors.push(error),
    });
    const runs = [
      startMapping(setup.h, {
        streamArn: setup.sourceStream,
        mappingId: 'shared-aggregate',
        handler: byStatus,
      }),
      setup.start('shared-stats', 'shared-events', SEED + 5).run,
      startMapping(setup.h, {
        streamArn: setup.sourceStream,
        mappingId: 'shared-again',
        handler: perEventAgain,
      }),
    ];
    for (const run of runs) await waitForDrain(setup.h.streams, setup.sourceStream, run, 60_000);
    expect(setup.unexpectedErrors()).toEqual([]);
    // Both event aggregations counted every record (they write the same keys: twice each), and aggregate its items.
    const once = await readAggregates('order-events');
    const shared = await readAggregates('shared-stats');
    for (const [key, row] of Object.entries(once)) {
      expect(shared[key]?.events, key).toBe(2 * row.events);
      expect(shared[key]?.total, key).toBe(2 * row.total);
    }
    const orders = await scanAll(setup.h.dynamodb, 'orders');
    const paid = orders.filter((order) => order.status === 'PAID').length;
    expect(
      (await scanAll(setup.h.dynamodb, 'shared-stats')).find((row) => row.pk === 'status#PAID')?.orders,
    ).toBe(paid);
    const ledgers = (await ledgerRows('shared-stats')).map((row) => String(row.pk).split('#', 3).join('#'));
    expect(new Set(ledgers)).toEqual(
      new Set(['eddy#applied#us-east-1/orders', 'eddy#events#events', 'eddy#events#again']),
    );
  });
});

describe('aggregateEvents, one invocation at a time', () => {
  const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000';
  const event = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
  const run = (
    tableName: string,
    options: { key?: (r: StreamItem) => string | string[] | undefined } = {},
  ) => {
    const errors: unknown[] = [];
    const handler = defineStreamHandler(
      aggregateEvents({
        client: setup.h.dynamodb,
        tableName,
        key: options.key ?? ((r) => r.eventName),
        measures: { events: count() },
      }),
      { onRecordError: (error) => errors.push(error) },
    );
    return { handler, errors };
  };
  const seq = (n: number) => String(100000000000000000000n + BigInt(n));
  const insert = (id: string, n: number) => lambdaRecord('INSERT', { id }, { newImage: { id } }, seq(n));

  it('works on a KEYS_ONLY stream, and an upstream filter leaves records out', async () => {
    const stream = (await createKeyedTable(setup.h.dynamodb, 'keys-only', 'id', 'KEYS_ONLY')) as string;
    await createKeyedTable(setup.h.dynamodb, 'keys-only-events', 'pk');
    for (const id of ['a', 'b', 'c']) {
      await setup.h.dynamodb.send(new PutItemCommand({ TableName: 'keys-only', Item: marshall({ id }) }));
      await setup.h.dynamodb.send(
        new PutItemCommand({ TableName: 'keys-only', Item: marshall({ id, v: 1 }) }),
      );
    }
    const records = (await streamRecords(setup.h.streams, stream)).map((r) => toLambdaRecord(r, stream));
    const errors: unknown[] = [];
    const handler = defineStreamHandler(
      (items) =>
        items.pipe(
          filter((item) => item.keys.id !== 'c'),
          aggregateEvents({
            client: setup.h.dynamodb,
            tableName: 'keys-only-events',
            key: (r) => [r.eventName, `id#${r.keys.id}`],
            measures: { events: count() },
          }),
        ),
      { onRecordError: (error) => errors.push(error) },
    );
    expect(await handler(event(...records))).toEqual({ batchItemFailures: [] });
    expect(await handler(event(...records.slice(2)))).toEqual({ batchItemFailures: [] });
    expect(errors).toEqual([]);
    const rows = byKey(await scanAll(setup.h.dynamodb, 'keys-only-events'), 'pk');
    expect(rows.INSERT?.events).toBe(2);
    expect(rows.MODIFY?.events).toBe(2);
    expect(rows['id#a']?.events).toBe(2);
    expect(rows['id#c']).toBeUndefined();
  });

  it('splits a batch over more than 100 actions into several transactions, and a redelivery adds nothing', async () => {
    await createKeyedTable(setup.h.dynamodb, 'wide-events', 'pk');
    const { handler, errors } = run('wide-events', { key: (r) => `id#${r.keys.id}` });
    const records = Array.from({ length: 130 }, (_, i) => insert(`w${i}`, i + 1));
    await handler(event(...records));
    await handler(event(...records.slice(40, 90)));
    expect(errors).toEqual([]);
    const rows = (await scanAll(setup.h.dynamodb, 'wide-events')).filter(
      (r) => !String(r.pk).startsWith('eddy#'),
    );
    expect(rows).toHaveLength(130);
    expect(rows.every((row) => row.events === 1)).toBe(true);
  });

  it('copies of a batch run at once count it once: with count and sum, the ledger condition alone guards', async () => {
    // count and sum read no aggregate row (ADD), so no revision check stands between concurrent copies.
    await createKeyedTable(setup.h.dynamodb, 'duplicate-events', 'pk');
    const { handler, errors } = run('duplicate-events', { key: () => 'all' });
    const records = Array.from({ length: 10 }, (_, i) => insert(`d${i % 4}`, i + 1));
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => handler(event(...structuredClone(records)))),
    );
    // Copies that lost the race read the ledger again and found nothing left to do.
    expect(responses).toEqual(Array.from({ length: 8 }, () => ({ batchItemFailures: [] })));
    expect(errors).toEqual([]);
    expect(byKey(await scanAll(setup.h.dynamodb, 'duplicate-events'), 'pk').all?.events).toBe(10);
  });

  it('a record of an item is skipped once a later record of the item is counted, even out of a stale batch', async () => {
    await createKeyedTable(setup.h.dynamodb, 'stale-events', 'pk');
    const { handler } = run('stale-events', { key: () => 'all' });
    const [r1, r2, r3] = [insert('s', 1), insert('s', 2), insert('s', 3)] as [
      DynamoDBRecord,
      DynamoDBRecord,
      DynamoDBRecord,
    ];
    await handler(event(r1, r2));
    await handler(event(r3));
    // A duplicate of the first batch, running late (after the next one): nothing to add.
    await Promise.all([handler(event(r1, r2)), handler(event(r2, r3))]);
    const rows = byKey(await scanAll(setup.h.dynamodb, 'stale-events'), 'pk');
    expect(rows.all?.events).toBe(3);
  });

  it('fails a record whose key begins with eddy#, and its item’s later records, and counts the rest', async () => {
    await createKeyedTable(setup.h.dynamodb, 'bad-key-events', 'pk');
    const { handler, errors } = run('bad-key-events', {
      key: (r) => (r.keys.id === 'bad' && r.sequenceNumber === seq(2) ? 'eddy#mine' : 'ok'),
    });
    const response = await handler(
      event(insert('good', 1), insert('bad', 2), insert('bad', 3), insert('good', 4)),
      {} as never,
      () => {},
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seq(2) }, { itemIdentifier: seq(3) }] });
    expect((errors[0] as Error).message).toBe(
      `aggregateEvents: key() gave "eddy#mine" for record ${seq(2)}; aggregate keys are non-empty strings not ` +
        'beginning with "eddy#" (that prefix is for the ledger rows)',
    );
    expect(byKey(await scanAll(setup.h.dynamodb, 'bad-key-events'), 'pk').ok?.events).toBe(2);
  });

  it('says what key schema the table needs when it has a sort key, or is missing', async () => {
    await createTable(setup.h.dynamodb, {
      TableName: 'sorted-events',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    const sorted = run('sorted-events');
    const response = await sorted.handler(event(insert('x', 1)));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seq(1) }] });
    expect((sorted.errors[0] as Error).message).toMatch(
      /^aggregateEvents: the aggregates table "sorted-events" must have a string partition key "pk" and no sort key .*DynamoDB said: ValidationException: The provided key element does not match the schema/,
    );
    const missing = run('no-such-table');
    await missing.handler(event(insert('x', 1)));
    expect((missing.errors[0] as Error).message).toMatch(
      /^aggregateEvents: the aggregates table "no-such-table" was not found; create it with a string partition key "pk" and no sort key/,
    );
  });

  it('keeps the ledger row of an item whose key is too long for a partition key under its SHA-256', async () => {
    await createKeyedTable(setup.h.dynamodb, 'long-key-events', 'pk');
    const { handler, errors } = run('long-key-events', { key: () => 'all' });
    const id = 'x'.repeat(2040);
    await handler(event(insert(id, 1), insert(id, 2)));
    await handler(event(insert(id, 2)));
    expect(errors).toEqual([]);
    const rows = byKey(await scanAll(setup.h.dynamodb, 'long-key-events'), 'pk');
    expect(rows.all?.events).toBe(2);
    expect(Object.keys(rows).filter((pk) => pk.startsWith('eddy#'))).toEqual([
      expect.stringMatching(/^eddy#events#events#us-east-1\/orders#sha256:[0-9a-f]{64}$/),
    ]);
  });

  it('takes the ledger row from the stream ARN: the same item key in two tables counts twice', async () => {
    await createKeyedTable(setup.h.dynamodb, 'two-sources-events', 'pk');
    const { handler } = run('two-sources-events', { key: () => 'all' });
    const other = { ...insert('same', 2), eventSourceARN: ARN.replace('table/orders', 'table/invoices') };
    await handler(event(insert('same', 1), other as DynamoDBRecord));
    await handler(event(insert('same', 1), other as DynamoDBRecord));
    expect(byKey(await scanAll(setup.h.dynamodb, 'two-sources-events'), 'pk').all?.events).toBe(2);
  });
});
