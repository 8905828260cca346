import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineStreamHandler } from '../../../src/handler/defineStreamHandler.js';
import { isTombstone } from '../../../src/operators/isTombstone.js';
import { project, SOURCE_SEQUENCE_ATTRIBUTE } from '../../../src/operators/project.js';
import type { ProjectWrites } from '../../../src/operators/projectWrites.js';
import { VIEW_SHAPE_ATTRIBUTE, viewShape } from '../../../src/operators/viewShape.js';
import type { Item } from '../../../src/pipeline/StreamItem.js';
import { invocationStatsOf } from '../../../src/records/invocationStats.js';
import type { StreamHandlerFunction } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { toLambdaRecord } from '../../../src/runtime/sources/live/toLambdaRecord.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { lambdaRecord } from '../../helpers/factories.js';
import {
  byKey,
  createdSecondsOf,
  createKeyedTable,
  type Order,
  paddedSequenceOf,
  type Redeliveries,
  type Row,
  scanAll,
  seededRandom,
  startRedelivered,
  stopMappings,
  waitForDrain,
  writeOrders,
} from '../../helpers/operatorRuns.js';
import { streamRecords } from '../../helpers/streamRecords.js';

const SEED = Number(process.env.EDDY_SEED ?? 20260101);
const TTL = { attribute: 'expiresAt', seconds: 86_400 };

/** The view: orders with a status get a row; an order without one has none (a tombstone). */
const view = (order: Order): Item | undefined =>
  order.status === undefined
    ? undefined
    : { id: order.id, status: order.status, total: order.total ?? 0, customer: order.customer };

/**
 * The view recomputed from the source table, with the bookkeeping `project` documents: each item ever written
 * has a row holding the sequence number of its last record; items gone or without a view row are tombstones
 * whose TTL is the last record's time plus a day.
 */
const expectedView = (source: readonly Row[], records: readonly _Record[]): Record<string, Row> => {
  const items = byKey(source, 'id');
  const last = new Map<string, _Record>();
  for (const record of records) last.set(record.dynamodb?.Keys?.id?.S as string, record);
  const rows: Row[] = [...last].map(([id, record]) => {
    const sequence = paddedSequenceOf(record);
    const order = items[id] as Order | undefined;
    const row = order === undefined ? undefined : view(order);
    if (row !== undefined) return { ...row, [SOURCE_SEQUENCE_ATTRIBUTE]: sequence };
    const createdAt = createdSecondsOf(record);
    return {
      id,
      eddy_deleted: true,
      expiresAt: createdAt + TTL.seconds,
      [SOURCE_SEQUENCE_ATTRIBUTE]: sequence,
    };
  });
  return byKey(rows, 'id');
};

/** Rows without the shape `writes: 'statements'` keeps, after checking it names each row's attributes. */
const withoutShapes = (rows: readonly Row[]): Row[] =>
  rows.map(({ [VIEW_SHAPE_ATTRIBUTE]: shape, ...row }) => {
    expect(shape).toBe(viewShape(Object.keys(row)));
    return row;
  });

let h: EmulatorHarness;
let sourceStream: string;
let records: _Record[];
let redeliveries: Redeliveries;
let transactionRedeliveries: Redeliveries;
let statementRedeliveries: Redeliveries;
const events: DynamoDBStreamEvent[] = [];
const recordErrors: unknown[] = [];

const projection = (tableName: string, writes: ProjectWrites = 'each'): StreamHandlerFunction =>
  defineStreamHandler<Order>(project({ client: h.dynamodb, tableName, view, tombstoneTtl: TTL, writes }), {
    onRecordError: (error) => recordErrors.push(error),
  }) as StreamHandlerFunction;

/** Runs a projection with injected redeliveries from TRIM_HORIZON until it has checkpointed the whole stream. */
const runProjection = async (
  tableName: string,
  mappingId: string,
  seed: number,
  writes: ProjectWrites = 'each',
) =>
  startRedelivered(
    h,
    async (event, context) => {
      // Every event the projection receives, duplicates included: a later test sends an old one again.
      if (writes === 'each') events.push(structuredClone(event));
      return projection(tableName, writes)(event, context);
    },
    { streamArn: sourceStream, mappingId, seed, config: { BatchSize: 5, ParallelizationFactor: 3 } },
  );

beforeAll(async () => {
  h = await startHarness({ streams: { shardCount: 3 } });
  sourceStream = (await createKeyedTable(h.dynamodb, 'orders', 'id', 'NEW_IMAGE')) as string;
  await createKeyedTable(h.dynamodb, 'order-view', 'id');
  await createKeyedTable(h.dynamodb, 'order-view-tx', 'id');
  await createKeyedTable(h.dynamodb, 'order-view-st', 'id');
  // The projection runs while the workload writes: 3 shards, 3 lanes per shard, batches of 5; the same
  // projection with `writes: 'transactions'` beside it, into its own table, under its own redeliveries.
  const { run, counts } = await runProjection('order-view', 'projection', SEED);
  const inTransactions = await runProjection('order-view-tx', 'projection-tx', SEED + 4, 'transactions');
  const inStatements = await runProjection('order-view-st', 'projection-st', SEED + 6, 'statements');
  await writeOrders(h.dynamodb, 'orders', seededRandom(SEED + 1), 250);
  await waitForDrain(h.streams, sourceStream, run);
  await waitForDrain(h.streams, sourceStream, inTransactions.run);
  await waitForDrain(h.streams, sourceStream, inStatements.run);
  redeliveries = counts;
  transactionRedeliveries = inTransactions.counts;
  statementRedeliveries = inStatements.counts;
  records = await streamRecords(h.streams, sourceStream);
}, 60_000);
afterEach(() => stopMappings());
afterAll(() => h.close());

describe('project under at-least-once delivery', () => {
  it(`ends in the view recomputed from the source table, tombstones included (seed ${SEED})`, async () => {
    // The run did redeliver: concurrent and sequential duplicates, reported failures and crashes.
    expect(redeliveries.concurrentDuplicates).toBeGreaterThan(0);
    expect(redeliveries.sequentialDuplicates).toBeGreaterThan(0);
    expect(redeliveries.reportedFailures + redeliveries.crashes).toBeGreaterThan(0);
    expect(recordErrors).toEqual([]);
    const actual = byKey(await scanAll(h.dynamodb, 'order-view'), 'id');
    expect(actual).toEqual(expectedView(await scanAll(h.dynamodb, 'orders'), records));
    // Readers see the source's items with a status, and nothing else, once tombstones are left out.
    const live = Object.values(actual).filter((row) => !isTombstone(row));
    const withStatus = (await scanAll(h.dynamodb, 'orders')).filter((order) => order.status !== undefined);
    expect(live).toHaveLength(withStatus.length);
    expect(Object.values(actual).some(isTombstone)).toBe(true);
  });

  it(`with writes: 'transactions' ends in the same view (seed ${SEED + 4})`, async () => {
    expect(transactionRedeliveries.concurrentDuplicates).toBeGreaterThan(0);
    expect(transactionRedeliveries.sequentialDuplicates).toBeGreaterThan(0);
    expect(recordErrors).toEqual([]);
    expect(byKey(await scanAll(h.dynamodb, 'order-view-tx'), 'id')).toEqual(
      expectedView(await scanAll(h.dynamodb, 'orders'), records),
    );
  });

  it("with writes: 'transactions', an old batch delivered again changes nothing and fails nothing", async () => {
    // Every row of a transaction refused by its condition: the cancellation settles them all as superseded.
    const before = byKey(await scanAll(h.dynamodb, 'order-view-tx'), 'id');
    for (const event of events.slice(0, 20)) {
      const response = await (
        projection('order-view-tx', 'transactions') as (e: DynamoDBStreamEvent) => Promise<unknown>
      )(structuredClone(event));
      expect(response).toEqual({ batchItemFailures: [] });
    }
    expect(byKey(await scanAll(h.dynamodb, 'order-view-tx'), 'id')).toEqual(before);
  });

  it("with writes: 'transactions', a batch whose rows are partly refused writes every other row", async () => {
    // Records 0–59 first, then 30–129 in one event: the transaction is cancelled for the rows 30–59 already
    // hold, and the rows of 60–129 must be sent again without them. The same records one by one, in 'each'
    // mode, into another table: the two views must be equal.
    await createKeyedTable(h.dynamodb, 'order-view-mixed', 'id');
    await createKeyedTable(h.dynamodb, 'order-view-mixed-each', 'id');
    const eventOf = (from: number, to: number): DynamoDBStreamEvent => ({
      Records: records.slice(from, to).map((record) => toLambdaRecord(record, sourceStream)),
    });
    const send = (tableName: string, writes: ProjectWrites, event: DynamoDBStreamEvent) =>
      (projection(tableName, writes) as (e: DynamoDBStreamEvent) => Promise<unknown>)(event);
    expect(await send('order-view-mixed', 'transactions', eventOf(0, 60))).toEqual({ batchItemFailures: [] });
    expect(await send('order-view-mixed', 'transactions', eventOf(30, 130))).toEqual({
      batchItemFailures: [],
    });
    for (let from = 0; from < 130; from += 10) {
      expect(await send('order-view-mixed-each', 'each', eventOf(from, from + 10))).toEqual({
        batchItemFailures: [],
      });
    }
    const mixed = byKey(await scanAll(h.dynamodb, 'order-view-mixed'), 'id');
    expect(Object.keys(mixed).length).toBeGreaterThan(5);
    expect(mixed).toEqual(byKey(await scanAll(h.dynamodb, 'order-view-mixed-each'), 'id'));
  });

  it("with writes: 'transactions', a row DynamoDB refuses fails only its own item's records", async () => {
    await createKeyedTable(h.dynamodb, 'order-view-bad', 'id');
    const event: DynamoDBStreamEvent = {
      Records: records.slice(0, 60).map((record) => toLambdaRecord(record, sourceStream)),
    };
    const ids = event.Records.map((record) => record.dynamodb?.Keys?.id?.S as string);
    const bad = ids[0] as string;
    // Over DynamoDB's 400 KB item limit: the transaction holding it is refused.
    const oversized = (order: Order): Item | undefined =>
      order.id === bad ? { id: bad, blob: 'x'.repeat(410_000) } : view(order);
    const errors: unknown[] = [];
    const handler = defineStreamHandler<Order>(
      project({
        client: h.dynamodb,
        tableName: 'order-view-bad',
        view: oversized,
        tombstoneTtl: TTL,
        writes: 'transactions',
      }),
      { onRecordError: (error) => errors.push(error) },
    ) as (e: DynamoDBStreamEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
    const response = await handler(event);
    const badRecords = event.Records.filter((record) => record.dynamodb?.Keys?.id?.S === bad);
    const badRemoves = badRecords.filter((record) => record.eventName === 'REMOVE');
    expect(badRecords.length - badRemoves.length).toBeGreaterThan(0);
    expect(response.batchItemFailures.length).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThan(0);
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    for (const record of event.Records) {
      if (record.dynamodb?.Keys?.id?.S !== bad)
        expect(failed.has(record.dynamodb?.SequenceNumber as string)).toBe(false);
    }
    // Every other item's row is there, at its last record of the event.
    const rows = byKey(await scanAll(h.dynamodb, 'order-view-bad'), 'id');
    const others = new Set(ids.filter((id) => id !== bad));
    expect(Object.keys(rows).sort()).toEqual([...others].sort());
    for (const id of others) {
      const last = event.Records.filter((record) => record.dynamodb?.Keys?.id?.S === id).at(-1);
      expect(rows[id]?.[SOURCE_SEQUENCE_ATTRIBUTE]).toBe(
        (last?.dynamodb?.SequenceNumber ?? '').padStart(40, '0'),
      );
    }
  });

  it("refuses a writes setting that is not 'statements', 'each' or 'transactions', naming them", () => {
    expect(() => project({ client: h.dynamodb, tableName: 't', view, writes: 'batch' as never })).toThrow(
      /project: writes is "batch"; use 'statements'.*'each'.*'transactions'/,
    );
  });

  it('refuses an old INSERT delivered again after the delete: deletes stay deleted', async () => {
    const tombstones = Object.values(byKey(await scanAll(h.dynamodb, 'order-view'), 'id')).filter(
      isTombstone,
    );
    const deleted = new Set(tombstones.map((row) => row.id as string));
    // The first event that inserted an item that is now a tombstone, sent again as it was.
    const old = events.find((event) =>
      event.Records.some((r) => r.eventName === 'INSERT' && deleted.has(r.dynamodb?.Keys?.id?.S as string)),
    ) as DynamoDBStreamEvent;
    const before = await scanAll(h.dynamodb, 'order-view');
    const response = await (projection('order-view') as (e: DynamoDBStreamEvent) => Promise<unknown>)(
      structuredClone(old),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(byKey(await scanAll(h.dynamodb, 'order-view'), 'id')).toEqual(byKey(before, 'id'));
  });

  it('replaying the stream from TRIM_HORIZON with fresh checkpoints never moves a row backwards', async () => {
    const snapshot = byKey(await scanAll(h.dynamodb, 'order-view'), 'id');
    const { run } = await runProjection('order-view', 'replay', SEED + 2);
    let samples = 0;
    let drained = false;
    const drain = waitForDrain(h.streams, sourceStream, run).then(() => {
      drained = true;
    });
    // While the whole stream goes through again, every read of the view is the final view.
    while (!drained) {
      expect(byKey(await scanAll(h.dynamodb, 'order-view'), 'id')).toEqual(snapshot);
      samples += 1;
    }
    await drain;
    expect(samples).toBeGreaterThan(0);
    expect(byKey(await scanAll(h.dynamodb, 'order-view'), 'id')).toEqual(snapshot);
  });

  it('rebuilding the view into an empty table from TRIM_HORIZON gives the same view', async () => {
    await createKeyedTable(h.dynamodb, 'order-view-rebuilt', 'id');
    const { run } = await runProjection('order-view-rebuilt', 'rebuild', SEED + 3);
    await waitForDrain(h.streams, sourceStream, run);
    expect(byKey(await scanAll(h.dynamodb, 'order-view-rebuilt'), 'id')).toEqual(
      byKey(await scanAll(h.dynamodb, 'order-view'), 'id'),
    );
  });

  it("rebuilding with writes: 'transactions' and batches of 100 gives the same view", async () => {
    await createKeyedTable(h.dynamodb, 'order-view-tx-rebuilt', 'id');
    const { run } = startRedelivered(
      h,
      async (event, context) => projection('order-view-tx-rebuilt', 'transactions')(event, context),
      {
        streamArn: sourceStream,
        mappingId: 'rebuild-tx',
        seed: SEED + 5,
        config: { BatchSize: 100 },
      },
    );
    await waitForDrain(h.streams, sourceStream, run);
    expect(byKey(await scanAll(h.dynamodb, 'order-view-tx-rebuilt'), 'id')).toEqual(
      byKey(await scanAll(h.dynamodb, 'order-view'), 'id'),
    );
  });
});

/**
 * A `project` handler into a fresh view table keyed by `id` (the view drops `note` unless the order is NEW) whose
 * client records the commands it sends: `run` invokes it and returns them, `rowOf` reads a row without its
 * bookkeeping.
 */
const commandsOf = async (table: string) => {
  await createKeyedTable(h.dynamodb, table, 'id');
  const { dynamodb: client } = h.clientsFor('us-east-1');
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  const withNote = (order: Order): Item | undefined =>
    order.status === undefined
      ? undefined
      : { id: order.id, status: order.status, ...(order.status === 'NEW' ? { note: 'fresh' } : {}) };
  const handler = defineStreamHandler<Order>(
    project({ client, tableName: table, view: withNote, tombstoneTtl: TTL }),
  ) as (e: DynamoDBStreamEvent) => Promise<unknown>;
  const run = async (...records: DynamoDBRecord[]) => {
    sent.length = 0;
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    return [...sent];
  };
  const rowOf = async (id: string) => {
    const [row] = (await scanAll(h.dynamodb, table)).filter((r) => r.id === id);
    const { [SOURCE_SEQUENCE_ATTRIBUTE]: _sequence, [VIEW_SHAPE_ATTRIBUTE]: _shape, ...shown } = row ?? {};
    return shown;
  };
  return { run, rowOf };
};

describe("project with writes: 'statements' (PartiQL BatchExecuteStatement)", () => {
  const eventOf = (from: number, to: number): DynamoDBStreamEvent => ({
    Records: records.slice(from, to).map((record) => toLambdaRecord(record, sourceStream)),
  });
  /** A projection with `writes` as given: undefined leaves `project`'s default. */
  const send = (tableName: string, writes: ProjectWrites | undefined, event: DynamoDBStreamEvent) =>
    (
      defineStreamHandler<Order>(
        project({ client: h.dynamodb, tableName, view, tombstoneTtl: TTL, ...(writes && { writes }) }),
      ) as (e: DynamoDBStreamEvent) => Promise<unknown>
    )(event);

  it(`ends in the view recomputed from the source table under redeliveries (seed ${SEED + 6})`, async () => {
    expect(statementRedeliveries.concurrentDuplicates).toBeGreaterThan(0);
    expect(statementRedeliveries.sequentialDuplicates).toBeGreaterThan(0);
    expect(recordErrors).toEqual([]);
    const rows = withoutShapes(await scanAll(h.dynamodb, 'order-view-st'));
    expect(byKey(rows, 'id')).toEqual(expectedView(await scanAll(h.dynamodb, 'orders'), records));
  });

  it('is the default, and a batch partly applied already writes every other row', async () => {
    // Records 0–59, then 30–129 in one event: the statements of 30–59 are refused (a DuplicateItem INSERT, an
    // UPDATE whose row is as new), the rest land. The same records ten at a time in 'each' mode elsewhere.
    await createKeyedTable(h.dynamodb, 'order-view-st-mixed', 'id');
    await createKeyedTable(h.dynamodb, 'order-view-st-each', 'id');
    expect(await send('order-view-st-mixed', undefined, eventOf(0, 60))).toEqual({ batchItemFailures: [] });
    expect(await send('order-view-st-mixed', undefined, eventOf(30, 130))).toEqual({ batchItemFailures: [] });
    for (let from = 0; from < 130; from += 10) {
      expect(await send('order-view-st-each', 'each', eventOf(from, from + 10))).toEqual({
        batchItemFailures: [],
      });
    }
    const mixed = await scanAll(h.dynamodb, 'order-view-st-mixed');
    expect(mixed.length).toBeGreaterThan(5);
    expect(mixed.every((row) => row[VIEW_SHAPE_ATTRIBUTE] !== undefined)).toBe(true);
    expect(byKey(withoutShapes(mixed), 'id')).toEqual(
      byKey(await scanAll(h.dynamodb, 'order-view-st-each'), 'id'),
    );
  });

  it('an old batch delivered again changes nothing, fails nothing, and counts its records as skipped', async () => {
    const before = byKey(await scanAll(h.dynamodb, 'order-view-st'), 'id');
    const event = eventOf(0, 40);
    const handler = defineStreamHandler<Order>(
      project({ client: h.dynamodb, tableName: 'order-view-st', view, tombstoneTtl: TTL }),
    ) as (e: DynamoDBStreamEvent) => Promise<unknown>;
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(invocationStatsOf(event)?.superseded).toHaveLength(40);
    expect(byKey(await scanAll(h.dynamodb, 'order-view-st'), 'id')).toEqual(before);
  });

  it('replaces a row whose attributes change: an attribute the new row lacks is gone', async () => {
    // An UPDATE sets attributes and cannot drop any, so a row of another shape must be replaced by PutItem.
    await createKeyedTable(h.dynamodb, 'order-view-shapes', 'id');
    const withNote = (order: Order): Item | undefined =>
      order.status === undefined
        ? undefined
        : { id: order.id, status: order.status, ...(order.status === 'NEW' ? { note: 'fresh' } : {}) };
    const handler = defineStreamHandler<Order>(
      project({ client: h.dynamodb, tableName: 'order-view-shapes', view: withNote, tombstoneTtl: TTL }),
    ) as (e: DynamoDBStreamEvent) => Promise<unknown>;
    for (let from = 0; from < records.length; from += 25) {
      expect(await handler(eventOf(from, from + 25))).toEqual({ batchItemFailures: [] });
    }
    const rows = byKey(withoutShapes(await scanAll(h.dynamodb, 'order-view-shapes')), 'id');
    const source = byKey(await scanAll(h.dynamodb, 'orders'), 'id');
    let dropped = 0;
    for (const [id, row] of Object.entries(rows)) {
      const order = source[id] as Order | undefined;
      const expected = order === undefined ? undefined : withNote(order);
      if (expected === undefined) expect(isTombstone(row)).toBe(true);
      else {
        const { [SOURCE_SEQUENCE_ATTRIBUTE]: _sequence, ...shown } = row;
        expect(shown).toEqual(expected);
        if (expected.note === undefined) dropped += 1;
      }
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it('follows a refused statement with the one it calls for, in one more request, instead of a PutItem per row', async () => {
    // A shape change (an attribute dropped), an UPDATE with no row, an INSERT over a tombstone: each was a
    // PutItem of its own; now the chunk's follow-ups go out together (nextStatement decides which).
    const { run, rowOf } = await commandsOf('order-view-rounds');
    const a = { id: 'a' };
    expect(await run(lambdaRecord('INSERT', a, { newImage: { ...a, status: 'NEW' } }))).toEqual([
      'BatchExecuteStatement',
    ]);
    expect(await rowOf('a')).toEqual({ id: 'a', status: 'NEW', note: 'fresh' });
    // NEW → PAID drops `note`: the UPDATE is refused (another shape) and a replace removes it.
    expect(await run(lambdaRecord('MODIFY', a, { newImage: { ...a, status: 'PAID' } }))).toEqual([
      'BatchExecuteStatement',
      'BatchExecuteStatement',
    ]);
    expect(await rowOf('a')).toEqual({ id: 'a', status: 'PAID' });
    // A MODIFY of an item the view has no row for (a view started late): the UPDATE finds none, an INSERT.
    expect(await run(lambdaRecord('MODIFY', { id: 'b' }, { newImage: { id: 'b', status: 'PAID' } }))).toEqual(
      ['BatchExecuteStatement', 'BatchExecuteStatement'],
    );
    expect(await rowOf('b')).toEqual({ id: 'b', status: 'PAID' });
    // A delete leaves a tombstone (PutItem); the item inserted again meets it: INSERT, UPDATE, replace.
    expect(await run(lambdaRecord('REMOVE', a))).toEqual(['PutItem']);
    expect(isTombstone(await rowOf('a'))).toBe(true);
    expect(await run(lambdaRecord('INSERT', a, { newImage: { ...a, status: 'NEW' } }))).toEqual([
      'BatchExecuteStatement',
      'BatchExecuteStatement',
      'BatchExecuteStatement',
    ]);
    expect(await rowOf('a')).toEqual({ id: 'a', status: 'NEW', note: 'fresh' });
    // An old record delivered again is settled by the row the refused UPDATE returns: one request, no write.
    const old = lambdaRecord('MODIFY', a, { newImage: { ...a, status: 'PAID' } }, '100');
    expect(await run(old)).toEqual(['BatchExecuteStatement']);
    expect(await rowOf('a')).toEqual({ id: 'a', status: 'NEW', note: 'fresh' });
  });

  it('reshapes the row its old image makes in the first request: shape changes and deletes take one', async () => {
    const { run, rowOf } = await commandsOf('order-view-reshape');
    const a = { id: 'a' };
    const fresh = { ...a, status: 'NEW' };
    const paid = { ...a, status: 'PAID' };
    expect(await run(lambdaRecord('INSERT', a, { newImage: fresh }))).toEqual(['BatchExecuteStatement']);
    // NEW → PAID drops `note`: the old image says which row is there, so one statement removes it.
    expect(await run(lambdaRecord('MODIFY', a, { oldImage: fresh, newImage: paid }))).toEqual([
      'BatchExecuteStatement',
    ]);
    expect(await rowOf('a')).toEqual(paid);
    // A delete with its old image: the tombstone in one statement, no PutItem.
    expect(await run(lambdaRecord('REMOVE', a, { oldImage: paid }))).toEqual(['BatchExecuteStatement']);
    const tombstone = await rowOf('a');
    expect(isTombstone(tombstone)).toBe(true);
    expect(Object.keys(tombstone).sort()).toEqual(['eddy_deleted', 'expiresAt', 'id']);
    // Back from the tombstone (a MODIFY whose old image is a replication tombstone: the view gives no row).
    expect(await run(lambdaRecord('MODIFY', a, { oldImage: a, newImage: fresh }))).toEqual([
      'BatchExecuteStatement',
    ]);
    expect(await rowOf('a')).toEqual({ ...fresh, note: 'fresh' });
    // An old image that does not match the row (the view changed since it was written): the reshape is refused,
    // the row it returns is replaced exactly, and nothing stale survives.
    expect(
      await run(lambdaRecord('MODIFY', a, { oldImage: paid, newImage: { ...a, status: 'SHIPPED' } })),
    ).toEqual(['BatchExecuteStatement', 'BatchExecuteStatement']);
    expect(await rowOf('a')).toEqual({ ...a, status: 'SHIPPED' });
    // An old record delivered again is settled by the row the refused statement returns.
    const old = lambdaRecord('MODIFY', a, { oldImage: paid, newImage: fresh }, '100');
    expect(await run(old)).toEqual(['BatchExecuteStatement']);
    expect(await rowOf('a')).toEqual({ ...a, status: 'SHIPPED' });
  });

  it('without PartiQL permissions writes every row with PutItem and says so once', async () => {
    await createKeyedTable(h.dynamodb, 'order-view-denied', 'id');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      h.running.emulator.control.failNext('BatchExecuteStatement', 1, 'accessDenied');
      const handler = defineStreamHandler<Order>(
        project({ client: h.dynamodb, tableName: 'order-view-denied', view, tombstoneTtl: TTL }),
      ) as (e: DynamoDBStreamEvent) => Promise<unknown>;
      for (let from = 0; from < 130; from += 30) {
        expect(await handler(eventOf(from, Math.min(from + 30, 130)))).toEqual({ batchItemFailures: [] });
      }
      const warnings = warn.mock.calls.map(([message]) => String(message));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /BatchExecuteStatement on order-view-denied was refused \(AccessDeniedException/,
      );
      expect(warnings[0]).toMatch(/dynamodb:PartiQLInsert and dynamodb:PartiQLUpdate/);
    } finally {
      warn.mockRestore();
      h.running.emulator.control.clearFaults();
    }
    await createKeyedTable(h.dynamodb, 'order-view-denied-each', 'id');
    expect(await send('order-view-denied-each', 'each', eventOf(0, 130))).toEqual({ batchItemFailures: [] });
    const denied = withoutShapes(await scanAll(h.dynamodb, 'order-view-denied'));
    expect(byKey(denied, 'id')).toEqual(byKey(await scanAll(h.dynamodb, 'order-view-denied-each'), 'id'));
  });
});
