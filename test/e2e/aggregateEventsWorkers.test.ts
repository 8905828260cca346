import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { type StreamItem, toStreamItem } from '../../src/pipeline/StreamItem.js';
import { toLambdaRecord } from '../../src/runtime/sources/live/toLambdaRecord.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import {
  byKey,
  createKeyedTable,
  type Order,
  type Row,
  scanAll,
  seededRandom,
  writeOrders,
} from '../helpers/operatorRuns.js';
import { kill, spawnWorker } from '../helpers/spawnWorker.js';
import { streamRecords } from '../helpers/streamRecords.js';
import { waitFor } from '../helpers/waitFor.js';

const SEED = Number(process.env.EDDY_SEED ?? 20260112);

let h: EmulatorHarness | undefined;
const workers: ChildProcess[] = [];
afterAll(async () => {
  for (const w of workers) await kill(w);
  await h?.close();
});

/** Starts an eventCountWorker process and resolves once its mapping runs. */
const spawnCounter = async (
  harness: EmulatorHarness,
  streamArn: string,
  id: string,
): Promise<ChildProcess> => {
  const child = await spawnWorker(
    {
      EDDY_ENDPOINT: harness.running.endpoint,
      EDDY_STREAM_ARN: streamArn,
      EDDY_WORKER_ID: id,
      EDDY_AGGREGATES_TABLE: 'order-events',
      EDDY_LEASE_MS: '1000',
    },
    'eventCountWorker',
  );
  workers.push(child);
  return child;
};

/** Each record once, per event name and in all. */
const recompute = (items: readonly StreamItem<Order>[]): Record<string, Row> => {
  const rows = new Map<string, Row>();
  for (const item of items) {
    for (const key of [item.eventName, 'all']) {
      const row = rows.get(key) ?? { pk: key, events: 0, total: 0 };
      row.events += 1;
      row.total += item.newImage?.total ?? 0;
      rows.set(key, row);
    }
  }
  return byKey([...rows.values()], 'pk');
};

const readAggregates = async (harness: EmulatorHarness): Promise<Record<string, Row>> =>
  byKey(
    (await scanAll(harness.dynamodb, 'order-events'))
      .filter((row) => !String(row.pk).startsWith('eddy#'))
      .map(({ pk, events, total }) => ({ pk, events, total: total ?? 0 })),
    'pk',
  );

describe('aggregateEvents in worker processes sharing a stream through leases', () => {
  it(`counts each record once across a SIGKILL mid-workload and a lease takeover (seed ${SEED})`, async () => {
    h = await startHarness({ streams: { shardCount: 3 } });
    const harness = h;
    const streamArn = (await createKeyedTable(
      harness.dynamodb,
      'orders',
      'id',
      'NEW_AND_OLD_IMAGES',
    )) as string;
    await createKeyedTable(harness.dynamodb, 'order-events', 'pk');
    const [first] = [
      await spawnCounter(harness, streamArn, 'a'),
      await spawnCounter(harness, streamArn, 'b'),
    ];
    const random = seededRandom(SEED);
    await writeOrders(harness.dynamodb, 'orders', random, 200, 20);
    // Killed while it is (most likely) counting: its leases expire and the others take its shards over,
    // re-reading from its last checkpoint the records it may already have counted.
    await kill(first as ChildProcess, 'SIGKILL');
    await spawnCounter(harness, streamArn, 'c');
    await writeOrders(harness.dynamodb, 'orders', random, 200, 20);

    const items = (await streamRecords(harness.streams, streamArn)).map((record) =>
      toStreamItem<Order>(toLambdaRecord(record, streamArn)),
    );
    const expected = recompute(items);
    await waitFor(
      async () => (await readAggregates(harness)).all?.events >= items.length,
      `the workers to count all ${items.length} records`,
      45_000,
    );
    // Stopped gracefully, so any batch still in flight has landed before the last look.
    for (const worker of workers.slice(1)) await kill(worker, 'SIGTERM');
    expect(await readAggregates(harness)).toEqual(expected);
  });
});
