import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineStreamHandler } from '../../../src/handler/defineStreamHandler.js';
import { defineWindowedHandler } from '../../../src/handler/defineWindowedHandler.js';
import { AggregateConflictError, aggregate } from '../../../src/operators/aggregates/aggregate.js';
import { aggregateEvents } from '../../../src/operators/aggregates/aggregateEvents.js';
import { count, max, min } from '../../../src/operators/aggregates/measures.js';
import { windowedAggregate } from '../../../src/operators/aggregates/windowedAggregate.js';
import type { StreamItem } from '../../../src/pipeline/StreamItem.js';
import { type Clock, ManualClock } from '../../../src/time/clock.js';
import { beforeCommand } from '../../helpers/beforeCommand.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { lambdaRecord } from '../../helpers/factories.js';
import { byKey, createKeyedTable, createTable, scanAll } from '../../helpers/operatorRuns.js';
import { settleOnClock } from '../../helpers/settleOnClock.js';
import { waitFor } from '../../helpers/waitFor.js';
import { windowEvent } from '../../helpers/windowEvents.js';

// A write that loses an optimistic-concurrency race (another writer changed a row between the read and the
// conditional write) is read and written again after a backoff on the operator's clock: 20 ms doubling up to 1 s,
// full jitter, 10 writes in all (src/operators/aggregates/lostRace.ts). Here the other writer is real: a second
// handler on its own client writes the same aggregate row just before the first one's write goes out.

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const seq = (n: number) => String(100000000000000000000n + BigInt(n));
const insert = (id: string, n: number, total = n) =>
  lambdaRecord('INSERT', { id }, { newImage: { id, total } }, seq(n));
const event = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

/** The most a jittered wait before write `n + 1` can be: below 20 ms × 2^(n-1), at most 1 s. */
const ceilingOf = (n: number) => Math.min(1_000, 20 * 2 ** (n - 1));

const clientConfigOf = (harness: EmulatorHarness) => ({
  endpoint: harness.running.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/** A client of the harness's emulator that, before each of `commands`, lets `other` write first. */
const racedClient = (commands: readonly string[], other: () => Promise<void>) => {
  const client = h.clientsFor('us-east-1').dynamodb;
  let writes = 0;
  beforeCommand(client, commands, async () => {
    writes += 1;
    await other();
  });
  return { client, writes: () => writes };
};

/** aggregateEvents counting per 'all' with a min, which is read before it is written (under a revision). */
const eventsHandler = (client: DynamoDBClient, tableName: string, clock?: Clock) => {
  const errors: unknown[] = [];
  const handler = defineStreamHandler(
    aggregateEvents<{ total?: number }>({
      client,
      tableName,
      key: () => 'all',
      measures: {
        events: count(),
        smallest: min((record: StreamItem<{ total?: number }>) => record.newImage?.total),
      },
      ...(clock === undefined ? {} : { clock }),
    }),
    { onRecordError: (error) => errors.push(error) },
  );
  return { handler, errors };
};

describe('aggregateEvents and aggregate after a lost race', () => {
  it('read again and write again once the clock has moved past the backoff', async () => {
    await createKeyedTable(h.dynamodb, 'race-once', 'pk');
    const other = eventsHandler(h.dynamodb, 'race-once');
    let interfered = false;
    const raced = racedClient(['TransactWriteItemsCommand'], async () => {
      if (interfered) return;
      interfered = true;
      await other.handler(event(insert('b', 10)));
    });
    const clock = new ManualClock();
    const { handler, errors } = eventsHandler(raced.client, 'race-once', clock);
    const running = handler(event(insert('a', 1), insert('a', 2)));
    const { outcome, waits } = await settleOnClock(clock, running);
    expect(outcome).toEqual({ status: 'fulfilled', value: { batchItemFailures: [] } });
    expect(errors).toEqual([]);
    // Two writes, with one backoff on the clock between them, under the first wait's ceiling.
    expect(raced.writes()).toBe(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeLessThan(ceilingOf(1));
    // The second write read the row as the other writer left it: both writers counted.
    expect(byKey(await scanAll(h.dynamodb, 'race-once'), 'pk').all).toMatchObject({ events: 3, smallest: 1 });
  });

  it('do not write again before the clock moves', async () => {
    await createKeyedTable(h.dynamodb, 'race-waits', 'pk');
    const other = eventsHandler(h.dynamodb, 'race-waits');
    const raced = racedClient(['TransactWriteItemsCommand'], async () => {
      if (raced.writes() === 1) await other.handler(event(insert('b', 10)));
    });
    const clock = new ManualClock();
    const { handler } = eventsHandler(raced.client, 'race-waits', clock);
    const running = handler(event(insert('a', 1)));
    await waitFor(() => clock.nextWakeUp() !== undefined, 'the backoff after the lost race');
    // Sleeping on the clock: one write so far, and only the other writer's record counted.
    expect(raced.writes()).toBe(1);
    expect(byKey(await scanAll(h.dynamodb, 'race-waits'), 'pk').all?.events).toBe(1);
    clock.set(clock.nextWakeUp() as number);
    expect(await running).toEqual({ batchItemFailures: [] });
    expect(raced.writes()).toBe(2);
    expect(byKey(await scanAll(h.dynamodb, 'race-waits'), 'pk').all?.events).toBe(2);
  });

  it('give up after 10 writes with an AggregateConflictError, the records failed and nothing applied', async () => {
    await createKeyedTable(h.dynamodb, 'race-lost', 'pk');
    const other = eventsHandler(h.dynamodb, 'race-lost');
    // Before every write of the first handler, the other one counts a new item's record into the same row.
    const raced = racedClient(['TransactWriteItemsCommand'], async () => {
      await other.handler(event(insert(`b${raced.writes()}`, 100 + raced.writes())));
    });
    const clock = new ManualClock();
    const { handler, errors } = eventsHandler(raced.client, 'race-lost', clock);
    const { outcome, waits } = await settleOnClock(clock, handler(event(insert('a', 1), insert('a', 2))));
    expect(outcome).toEqual({
      status: 'fulfilled',
      value: { batchItemFailures: [{ itemIdentifier: seq(1) }, { itemIdentifier: seq(2) }] },
    });
    expect(raced.writes()).toBe(10);
    // A backoff between each two writes, each under its ceiling: 20, 40, 80, … ms, never above 1 s.
    expect(waits).toHaveLength(9);
    waits.forEach((wait, i) => {
      expect(wait).toBeLessThan(ceilingOf(i + 1));
    });
    expect(errors[0]).toBeInstanceOf(AggregateConflictError);
    expect(errors[0]).toMatchObject({ attempts: 10, operator: 'aggregateEvents' });
    expect((errors[0] as Error).message).toBe(
      "aggregateEvents: concurrent writers changed the rows of this batch's aggregate keys or ledger 10 times in " +
        'a row; its records fail and will be delivered again',
    );
    const rows = byKey(await scanAll(h.dynamodb, 'race-lost'), 'pk');
    expect(rows.all?.events).toBe(10);
    expect(Object.keys(rows).filter((pk) => pk.includes('"a"'))).toEqual([]);
  });

  it('aggregate takes the same clock: a lost race is retried after the backoff', async () => {
    await createKeyedTable(h.dynamodb, 'race-items', 'pk');
    const measures = { orders: count(), largest: max((order: { total?: number }) => order.total) };
    const other = defineStreamHandler(
      aggregate({ client: h.dynamodb, tableName: 'race-items', key: () => 'all', measures }),
    );
    const raced = racedClient(['TransactWriteItemsCommand'], async () => {
      if (raced.writes() === 1) await other(event(insert('b', 10, 50)));
    });
    const clock = new ManualClock();
    const handler = defineStreamHandler(
      aggregate({ client: raced.client, tableName: 'race-items', key: () => 'all', measures, clock }),
    );
    const { outcome, waits } = await settleOnClock(clock, handler(event(insert('a', 1, 7))));
    expect(outcome).toEqual({ status: 'fulfilled', value: { batchItemFailures: [] } });
    expect(waits).toHaveLength(1);
    expect(byKey(await scanAll(h.dynamodb, 'race-items'), 'pk').all).toMatchObject({
      orders: 2,
      largest: 50,
    });
  });
});

describe('aggregateEvents on a transient error', () => {
  it('leaves it to the SDK client: no backoff on its own clock, the records fail and come again', async () => {
    // The SDK retries throttling, 5xx and network errors itself
    // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html); with maxAttempts 1 it
    // does not, so what the operator does on its own shows.
    await createKeyedTable(h.dynamodb, 'transient-events', 'pk');
    const client = new DynamoDBClient({ ...clientConfigOf(h), maxAttempts: 1 });
    const clock = new ManualClock();
    const { handler, errors } = eventsHandler(client, 'transient-events', clock);
    h.running.emulator.control.failNext('TransactWriteItems', 1, 'internalError');
    const { outcome, waits } = await settleOnClock(clock, handler(event(insert('a', 1), insert('a', 2))));
    expect(outcome).toEqual({
      status: 'fulfilled',
      value: { batchItemFailures: [{ itemIdentifier: seq(1) }, { itemIdentifier: seq(2) }] },
    });
    expect(waits).toEqual([]);
    expect(errors[0]).toMatchObject({ name: 'InternalServerError' });
    expect(errors[0]).not.toBeInstanceOf(AggregateConflictError);
    // Delivered again, the records count once.
    expect(await handler(event(insert('a', 1), insert('a', 2)))).toEqual({ batchItemFailures: [] });
    expect(byKey(await scanAll(h.dynamodb, 'transient-events'), 'pk').all?.events).toBe(2);
    client.destroy();
  });
});

describe('windowedAggregate after a lost race', () => {
  const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:01:00Z' };
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
  /** Per window, the records and the largest total: max is read and merged, so written under a revision. */
  const windowHandler = (client: DynamoDBClient, tableName: string, clock?: Clock) =>
    defineWindowedHandler(
      windowedAggregate<{ total?: number }>({
        client,
        tableName,
        key: () => 'all',
        measures: { records: count(), largest: max((record) => record.newImage?.total) },
        ...(clock === undefined ? {} : { clock }),
      }),
    );
  /** A shard's final invocation of the window, with its records. */
  const final = (shardId: string, ...records: DynamoDBRecord[]) =>
    windowEvent(records, { window, shardId, isFinalInvokeForWindow: true });

  it("another shard's part written in between: read again, merged, written once the clock moves", async () => {
    await createWindowTable('window-race');
    const other = windowHandler(h.dynamodb, 'window-race');
    const raced = racedClient(['UpdateItemCommand'], async () => {
      if (raced.writes() === 1) await other(final('shard-b', insert('b', 10, 50)));
    });
    const clock = new ManualClock();
    const handler = windowHandler(raced.client, 'window-race', clock);
    const { outcome, waits } = await settleOnClock(
      clock,
      handler(final('shard-a', insert('a', 1, 7), insert('a', 2, 9))),
    );
    expect(outcome.status).toBe('fulfilled');
    expect(raced.writes()).toBe(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeLessThan(ceilingOf(1));
    const [row] = await scanAll(h.dynamodb, 'window-race');
    expect(row).toMatchObject({ pk: 'all', windowStart: window.start, records: 3, largest: 50 });
  });

  it('gives up after 10 writes with an AggregateConflictError, and the invocation fails', async () => {
    await createWindowTable('window-race-lost');
    const other = windowHandler(h.dynamodb, 'window-race-lost');
    const raced = racedClient(['UpdateItemCommand'], async () => {
      await other(final(`shard-b${raced.writes()}`, insert('b', 100 + raced.writes())));
    });
    const clock = new ManualClock();
    const handler = windowHandler(raced.client, 'window-race-lost', clock);
    const { outcome, waits } = await settleOnClock(clock, handler(final('shard-a', insert('a', 1))));
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(AggregateConflictError);
    expect(error).toMatchObject({ attempts: 10, operator: 'windowedAggregate' });
    expect((error as Error).message).toBe(
      "windowedAggregate: concurrent writers (other shards, duplicate invocations) changed the window's row 10 " +
        "times in a row; the window's final invocation fails and will be retried",
    );
    expect(raced.writes()).toBe(10);
    expect(waits).toHaveLength(9);
    const [row] = await scanAll(h.dynamodb, 'window-race-lost');
    // The other shards' ten parts, and not this one's.
    expect(row?.records).toBe(10);
    expect(row?.['eddy_applied_shard-a']).toBeUndefined();
  });
});
