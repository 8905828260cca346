import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineWindowedHandler } from '../../../src/handler/defineWindowedHandler.js';
import { count, max, sum } from '../../../src/operators/aggregates/measures.js';
import { windowedAggregate } from '../../../src/operators/aggregates/windowedAggregate.js';
import { snapshotRecordOf } from '../../../src/runtime/sources/snapshot/snapshotRecord.js';
import { ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import {
  createKeyedTable,
  createTable,
  type Order,
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
import { STREAM_ARN, windowEvent } from '../../helpers/windowEvents.js';

const SEED = Number(process.env.EDDY_SEED ?? 20260103);

/** Per window: how many orders were written (put or updated) per status, their amount and the largest. */
const perWindow = (tableName: string, client: EmulatorHarness['dynamodb']) =>
  windowedAggregate<Order>({
    client,
    tableName,
    key: (record) =>
      record.eventName === 'REMOVE' ? undefined : `status#${record.newImage?.status ?? 'none'}`,
    measures: {
      writes: count(),
      amount: sum((record) => record.newImage?.total),
      largest: max((record) => record.newImage?.total),
    },
  });

/** The windows recomputed from the stream's records and their creation times (1-second windows). */
const recompute = (records: readonly _Record[]): Record<string, Row> => {
  const rows = new Map<string, Row>();
  for (const record of records) {
    if (record.eventName === 'REMOVE') continue;
    const image = record.dynamodb?.NewImage;
    const key = `status#${image?.status?.S ?? 'none'}`;
    const created = record.dynamodb?.ApproximateCreationDateTime as Date;
    const start = new Date(Math.floor(created.getTime() / 1000) * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const row = rows.get(`${key}@${start}`) ?? { writes: 0, amount: 0 };
    const total = image?.total?.N === undefined ? undefined : Number(image.total.N);
    row.writes += 1;
    row.amount += total ?? 0;
    if (total !== undefined) row.largest = Math.max(row.largest ?? total, total);
    rows.set(`${key}@${start}`, row);
  }
  return Object.fromEntries([...rows].sort(([a], [b]) => (a < b ? -1 : 1)));
};

const readWindows = async (tableName: string): Promise<Record<string, Row>> =>
  Object.fromEntries(
    (await scanAll(h.dynamodb, tableName))
      .map(
        ({ pk, windowStart, writes, amount, largest }) =>
          [
            `${pk}@${windowStart}`,
            { writes, amount, ...(largest === undefined ? {} : { largest }) },
          ] as const,
      )
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

let h: EmulatorHarness;
let sourceStream: string;
/**
 * The emulator (records' creation times) and the mappings (windows closing, retries' backoff) share one clock
 * that only the test moves: windows are made by moving it, never by waiting.
 */
const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
/** Drains a run, moving the clock on 100 ms per look so that the last window closes and backoffs end. */
const drain = (run: Parameters<typeof waitForDrain>[2]) =>
  waitForDrain(h.streams, sourceStream, run, 30_000, () => clock.advance(100));
let redeliveries: Redeliveries;

const createWindowTable = (tableName: string) =>
  createTable(h.dynamodb, {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'windowStart', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'windowStart', KeyType: 'RANGE' },
    ],
  });

const runWindows = (tableName: string, mappingId: string, seed: number) =>
  startRedelivered(h, defineWindowedHandler(perWindow(tableName, h.dynamodb)), {
    streamArn: sourceStream,
    mappingId,
    seed,
    // Windowed state must not count records reported as failed, so only duplicates and crashes are injected.
    partialFailures: false,
    config: { BatchSize: 4, TumblingWindowInSeconds: 1 },
    clock,
  });

beforeAll(async () => {
  // Two shards: each window's row adds up both shards' parts.
  h = await startHarness({ streams: { shardCount: 2 }, clock });
  sourceStream = (await createKeyedTable(h.dynamodb, 'orders', 'id', 'NEW_IMAGE')) as string;
  await createWindowTable('orders-per-second');
  const { run, counts } = runWindows('orders-per-second', 'windows', SEED);
  const random = seededRandom(SEED + 1);
  // Writes spread over about three seconds of the clock, so over several windows.
  for (let burst = 0; burst < 6; burst++) {
    await writeOrders(h.dynamodb, 'orders', random, 25);
    clock.advance(450);
  }
  await drain(run);
  redeliveries = counts;
}, 60_000);
afterEach(() => stopMappings());
afterAll(() => h.close());

describe('windowedAggregate under at-least-once delivery', () => {
  it(`writes each window's aggregates once, across shards, retries and duplicates (seed ${SEED})`, async () => {
    expect(redeliveries.concurrentDuplicates + redeliveries.sequentialDuplicates).toBeGreaterThan(0);
    const expected = recompute(await streamRecords(h.streams, sourceStream));
    expect(Object.keys(expected).length).toBeGreaterThan(3);
    expect(await readWindows('orders-per-second')).toEqual(expected);
  });

  it('replaying the stream from TRIM_HORIZON with fresh checkpoints adds nothing', async () => {
    const before = await scanAll(h.dynamodb, 'orders-per-second');
    const { run } = runWindows('orders-per-second', 'replay', SEED + 2);
    await drain(run);
    expect(await scanAll(h.dynamodb, 'orders-per-second')).toEqual(before);
  });

  it('rebuilding into an empty table from TRIM_HORIZON gives the same windows, cut into other parts', async () => {
    await createWindowTable('orders-per-second-rebuilt');
    const { run } = runWindows('orders-per-second-rebuilt', 'rebuild', SEED + 3);
    await drain(run);
    expect(await readWindows('orders-per-second-rebuilt')).toEqual(await readWindows('orders-per-second'));
  });

  it("counts no snapshot record of a bootstrap: an item's state is not an event of the window (as aggregateEvents)", async () => {
    await createWindowTable('snapshot-windows');
    const handler = defineWindowedHandler(perWindow('snapshot-windows', h.dynamodb));
    const image = (id: string, total: number) => ({
      id: { S: id },
      status: { S: 'NEW' },
      total: { N: String(total) },
    });
    const snapshot = (id: string, total: number, sequenceNumber: string) =>
      snapshotRecordOf({
        keys: { id: { S: id } },
        image: image(id, total),
        sequenceNumber,
        origin: 'segment-0',
        eventSourceARN: STREAM_ARN,
        approximateCreationDateTime: 1_767_225_600,
        streamViewType: 'NEW_IMAGE',
      });
    const change = {
      ...snapshot('o3', 7, '000000000000000000300'),
      eventID: 'change-1',
    };
    const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:00:01Z' };
    const response = await handler(
      windowEvent(
        [snapshot('o1', 100, '000000000000000000100'), snapshot('o2', 50, '000000000000000000200'), change],
        {
          window,
          shardId: 'eddy-snapshot-segment-0',
          isFinalInvokeForWindow: true,
        },
      ),
    );
    expect(response.batchItemFailures).toEqual([]);
    // Only the record that is not a snapshot record counts.
    expect(await readWindows('snapshot-windows')).toEqual({
      [`status#NEW@${window.start}`]: { writes: 1, amount: 7, largest: 7 },
    });
  });
});
