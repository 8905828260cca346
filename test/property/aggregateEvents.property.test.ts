import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineStreamHandler } from '../../src/handler/defineStreamHandler.js';
import { AggregateConflictError } from '../../src/operators/aggregates/AggregateConflictError.js';
import { aggregateEvents } from '../../src/operators/aggregates/aggregateEvents.js';
import { count, type Measure, reducer, sum } from '../../src/operators/aggregates/measures.js';
import type { StreamItem } from '../../src/pipeline/StreamItem.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { lambdaRecord } from '../helpers/factories.js';
import { byKey, createKeyedTable, type Row, scanAll, seededRandom } from '../helpers/operatorRuns.js';

/**
 * Random event histories delivered as badly as Lambda may (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html):
 * items spread over concurrent lanes that keep each item's order, random batch sizes, copies of a batch run at
 * once, stale batches run again late, batches reported failed from a random record on, crashes after the
 * effects landed followed by the first half of the batch (bisection), and lanes replayed from their start (a
 * lost checkpoint). The aggregates must equal a model that counts each record once, and each item's ledger row
 * must hold its last counted record. Sequence numbers cross from 21 to 22 digits, so text order would be wrong.
 */

const SEED = Number(process.env.EDDY_SEED ?? 20260111);
// Each run creates a table and makes a few dozen requests over HTTP: 30 runs take seconds.
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 30);

interface Event {
  readonly item: number;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly status: 'NEW' | 'PAID';
  readonly total: number;
}

type Order = { id: string; status: string; total: number };

const events = fc.array(
  fc.record({
    item: fc.integer({ min: 0, max: 5 }),
    eventName: fc.constantFrom('INSERT' as const, 'MODIFY' as const, 'REMOVE' as const),
    status: fc.constantFrom('NEW' as const, 'PAID' as const),
    total: fc.integer({ min: 0, max: 50 }),
  }),
  { minLength: 1, maxLength: 40 },
);

/** Just below 10^21, so the run's sequence numbers go from 21 digits to 22. */
const FIRST_SEQUENCE = 10n ** 21n - 15n;
const sequenceOf = (index: number): string => String(FIRST_SEQUENCE + BigInt(index));

const recordOf = (event: Event, index: number): DynamoDBRecord => {
  const image = { id: `i${event.item}`, status: event.status, total: event.total };
  return lambdaRecord(
    event.eventName,
    { id: image.id },
    {
      ...(event.eventName === 'REMOVE' ? {} : { newImage: image }),
      ...(event.eventName === 'INSERT' ? {} : { oldImage: image }),
    },
    sequenceOf(index),
  );
};

/** Records with a total of 0 count towards nothing (filtered out); the others towards two keys. */
const keysOf = (record: StreamItem<Order>): string[] | undefined => {
  const image = record.newImage ?? record.oldImage;
  if (image === undefined || image.total === 0) return undefined;
  return [`${record.eventName}#${image.status}`, 'all'];
};

const largest = reducer<StreamItem<Order>, number | null>({
  initial: null,
  add: (state, record) => Math.max(state ?? 0, (record.newImage ?? record.oldImage)?.total ?? 0),
});

/** Each record once. */
const model = (history: readonly Event[], reads: boolean): Record<string, Row> => {
  const rows = new Map<string, Row>();
  for (const event of history) {
    if (event.total === 0) continue;
    for (const key of [`${event.eventName}#${event.status}`, 'all']) {
      const row = rows.get(key) ?? { pk: key, events: 0, total: 0, ...(reads ? { largest: 0 } : {}) };
      row.events += 1;
      if (event.eventName !== 'REMOVE') row.total += event.total;
      if (reads) row.largest = Math.max(row.largest, event.total);
      rows.set(key, row);
    }
  }
  return byKey([...rows.values()], 'pk');
};

type Handler = (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse>;

/**
 * Delivers one lane's records as the adversary chooses, until its checkpoint passes the last one; honours the
 * handler's partial batch response as Lambda does (the next batch starts at the first failed record).
 */
const driveLane = async (records: readonly DynamoDBRecord[], handle: Handler, random: () => number) => {
  const past: DynamoDBRecord[][] = [];
  let position = 0;
  let bisectTo: number | undefined;
  let replays = 0;
  while (position < records.length) {
    const size = bisectTo ?? 1 + Math.floor(random() * 5);
    bisectTo = undefined;
    const batch = records.slice(position, position + size);
    const roll = random();
    let response: DynamoDBBatchResponse;
    if (roll < 0.15) {
      [, response] = await Promise.all([handle(batch), handle(batch)]);
    } else if (roll < 0.3 && past.length > 0) {
      const stale = past[Math.floor(random() * past.length)] as DynamoDBRecord[];
      [response] = await Promise.all([handle(batch), handle(stale)]);
    } else {
      response = await handle(batch);
    }
    past.push(batch);
    const failed = response.batchItemFailures.map((failure) =>
      batch.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier),
    );
    let next = position + (failed.length > 0 ? Math.min(...failed) : batch.length);
    const fault = random();
    if (fault < 0.1) {
      // Crashed after its effects landed: the batch comes again, bisected.
      next = position;
      bisectTo = Math.max(1, Math.floor(batch.length / 2));
    } else if (fault < 0.2) {
      next = Math.min(next, position + Math.floor(random() * batch.length));
    } else if (fault < 0.23 && replays < 2) {
      replays += 1;
      next = 0;
    }
    position = next;
  }
};

let h: EmulatorHarness;
let run = 0;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('aggregateEvents against a model, under adversarial redelivery', () => {
  it('counts each record exactly once, whatever the delivery', async () => {
    await fc.assert(
      fc.asyncProperty(
        events,
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.noShrink(fc.integer()),
        async (history, laneCount, reads, adversarySeed) => {
          const tableName = `event-model-${run++}`;
          await createKeyedTable(h.dynamodb, tableName, 'pk');
          const errors: unknown[] = [];
          const measures: Record<string, Measure<StreamItem<Order>>> = {
            events: count(),
            total: sum((record) => record.newImage?.total),
            // A measure that is read before it is written: concurrent writers race on the aggregate rows too.
            ...(reads ? { largest } : {}),
          };
          const handler = defineStreamHandler<Order>(
            aggregateEvents<Order>({ client: h.dynamodb, tableName, key: keysOf, measures }),
            { onRecordError: (error) => errors.push(error) },
          );
          const handle: Handler = (records) => handler({ Records: structuredClone([...records]) });
          const records = history.map(recordOf);
          const random = seededRandom(adversarySeed);
          await Promise.all(
            Array.from({ length: laneCount }, (_, lane) =>
              driveLane(
                records.filter((_, i) => (history[i] as Event).item % laneCount === lane),
                handle,
                seededRandom(Math.floor(random() * 2 ** 31)),
              ),
            ),
          );
          expect(errors.filter((error) => !(error instanceof AggregateConflictError))).toEqual([]);
          const rows = await scanAll(h.dynamodb, tableName);
          const aggregates = rows
            .filter((row) => !String(row.pk).startsWith('eddy#'))
            .map(({ pk, events: n, total, largest: most }) => ({
              pk,
              events: n,
              total: total ?? 0,
              ...(reads ? { largest: most } : {}),
            }));
          expect(byKey(aggregates, 'pk')).toEqual(model(history, reads));
          const lastCounted = new Map<string, string>();
          history.forEach((event, i) => {
            if (event.total !== 0) lastCounted.set(`i${event.item}`, sequenceOf(i).padStart(40, '0'));
          });
          expect(
            Object.fromEntries(
              rows
                .filter((row) => String(row.pk).startsWith('eddy#'))
                .map((row) => [row.pk, row.eddy_source_sequence]),
            ),
          ).toEqual(
            Object.fromEntries(
              [...lastCounted].map(([id, sequence]) => [
                `eddy#events#events#us-east-1/orders#[["id",{"S":"${id}"}]]`,
                sequence,
              ]),
            ),
          );
        },
      ),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });
});
