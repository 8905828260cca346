import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { concatMap, from, mergeMap, type OperatorFunction, toArray } from 'rxjs';
import type { RecordOutcome } from '../../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../../pipeline/StreamItem.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { type CollectionTtl, checkCollectionTtl } from '../collectionTtl.js';
import { checkMeasures, type Measures, readsRows } from './aggregateRow.js';
import { applyExactlyOnce, type Contribution, type ExactlyOnceSettings } from './applyExactlyOnce.js';

// Why aggregateEvents counts each event exactly once
//
// Lambda delivers stream records at least once: a batch can be redelivered whole (a crash, a timeout, a
// duplicate invocation), from a failed record on (ReportBatchItemFailures), in halves (BisectBatchOnFunctionError),
// and the whole stream again (a mapping recreated at TRIM_HORIZON). What it does keep is the order of each
// item's records: a shard is read in order, and with ParallelizationFactor > 1 "Lambda still ensures in-order
// processing at the item (partition and sort key) level"
// (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html); a parent shard is processed before its children
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html), and an item's sequence
// numbers grow from one record to the next.
//
// So per source item a single number is enough: the sequence number of its last counted record (the ledger
// row, in the aggregates table). The invariant: an item's records at or below its ledger have been counted (or
// count towards no key), and none above it. It holds because
//   1. a record is counted only in the same TransactWriteItems that moves its item's ledger up to it, under the
//      condition that the ledger still holds the value read before: the aggregate rows and the ledger change
//      together or not at all, and of two writers that read the same ledger (a duplicate invocation, a lane of
//      a worker that just lost its lease, the SDK retrying a transaction whose answer was lost although it
//      landed) only one succeeds; the other reads again and finds nothing to do;
//   2. a record at or below its item's ledger is skipped, so redeliveries, duplicates and replays add nothing;
//   3. a record above the ledger has not been counted, since the item's records arrive in order and a record
//      that fails makes the item's later records in the batch fail too (they come again, after it).
// Records that count towards no key move no ledger: counting them again would add nothing either way.
// Sequence numbers have up to 40 digits and are stored zero-padded, so they compare as numbers, in conditions too.
//
// `aggregate` rests on the same ledger and argument; only what a record contributes differs (there its images,
// the old one out and the new one in; here the record itself, once). The ledger is kept per source item, not per
// aggregate key: records of different items reach an aggregate key out of order (shards, lanes), and a per-key
// mark would drop them. Its rows live under their own prefix, so `aggregate` and `aggregateEvents` over the same
// source can share a table.

/** Ledger rows share the table with the aggregates, under keys that begin with this (then the ledger's name). */
const LEDGER_PREFIX = 'eddy#events#';

/** A ledger name: it is part of every ledger row's key, so it is short and has no separators. */
const LEDGER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The options of {@link aggregateEvents}.
 *
 * @example
 * const options: AggregateEventsOptions<Order> = {
 *   client: new DynamoDBClient({}),
 *   tableName: 'order-events',
 *   key: (record) => `${record.eventName}#${(record.newImage ?? record.oldImage)?.status}`,
 *   measures: { events: count() },
 * };
 */
interface AggregateEventsOptions<T extends Item> {
  readonly client: DynamoDBClient;
  /** The aggregates table: a string partition key (`keyAttribute`) and no sort key. */
  readonly tableName: string;
  /**
   * The aggregate key(s) a record counts towards, from anything in the record (its event name, images, keys,
   * `approximateCreationDateTime`): a string, several (a record can count towards `INSERT#PAID` and `all`), or
   * undefined for none, which also filters records out. Keys must not begin with `eddy#`. Derive keys from the
   * record only, never from the clock, so a rebuild from the stream gives the same rows.
   */
  readonly key: (record: StreamItem<T>) => string | readonly string[] | undefined;
  /**
   * The measures over each key's records, by attribute name: `count()`, `sum((record) => …)`, `min(…)`,
   * `max(…)` or a `reducer({ initial, add })` (no `remove` needed: events are only ever added).
   */
  readonly measures: Measures<StreamItem<T>>;
  /** The table's partition key attribute. @default 'pk' */
  readonly keyAttribute?: string;
  /**
   * Lets the table's TTL collect a source item's ledger row this long after its last counted record (at least
   * 24 hours, the stream's retention). Without it the table keeps one small ledger row per source item ever
   * counted. @default ledger rows are kept
   */
  readonly ledgerTtl?: CollectionTtl;
  /**
   * Keeps this aggregation's ledger apart from others that write to the same table from the same source table:
   * give each its own name (letters, digits, `_`, `.`, `-`). Two mappings that share a name and a table share
   * the ledger, and each would skip the records the other counted. @default 'events'
   */
  readonly ledgerName?: string;
  /**
   * What the backoff sleeps on when a write lost a race with a concurrent writer and is read and tried again
   * (20 ms doubling up to 1 s, with full jitter, at most 10 writes): a test gives a `ManualClock` and moves time
   * instead of waiting. @default systemClock
   */
  readonly clock?: Clock;
}

/**
 * Counts and sums stream events (every INSERT, MODIFY and REMOVE that reaches it) per key of your choosing, in
 * a DynamoDB table, exactly once although Lambda delivers records at least once: "orders created per status
 * per hour", "deletes per table per day", "revenue of INSERTs per customer".
 *
 * Where {@link aggregate} keeps aggregates of a table's current items (a MODIFY moves an item from one key to
 * another), `aggregateEvents` counts the records themselves: each record adds to the keys `key(record)` gives,
 * and nothing is ever taken back. Leave records out with `key` returning undefined, or with an operator before
 * it (`ofEventName('INSERT')`, `notTtlExpiry()`, `filter(…)`). Works with any StreamViewType (`key` and the
 * measures see the images the stream carries). For counts per time bucket it is an alternative to
 * `windowedAggregate`: any bucket (a key from `approximateCreationDateTime`), no tumbling window or its state,
 * and rows that grow as records arrive rather than when a window closes.
 *
 * **Exactly once.** The table keeps, per source item, the sequence number of the item's last counted record (a
 * ledger row, key `eddy#events#<ledgerName>#<region>/<table>#<item key>`). A batch's records are counted in
 * TransactWriteItems that also move their items' ledger rows, conditional on the ledger rows as read, so a
 * record is counted together with its sequence number or not at all, and a redelivered, duplicated or replayed
 * record (at or below its item's ledger) is skipped. Because Lambda keeps each item's records in order (also
 * across ParallelizationFactor lanes and shard splits), that one number per item is the whole ledger. Within a
 * batch the records are folded: one transaction carries the ledger rows of up to 100 items and one update per
 * aggregate key (count and sum by ADD without a read; min, max and reducers are read, merged and written under
 * the row's `eddy_revision`). A transaction that a concurrent writer beat is read and tried again, up to 10
 * times; then its records fail (`AggregateConflictError`) and are delivered again. Records that count towards
 * no key write nothing, not even their ledger.
 *
 * What it cannot count: a record Lambda discards (after `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds`)
 * is not counted, and re-driving it later after a newer record of the same item was counted skips it. Events
 * that happened before the mapping's starting position are not in the stream: start at TRIM_HORIZON to count
 * from the stream's oldest record (24 hours back).
 *
 * **Measures.** `count()` and `sum(…)` are exact and never read a row. `min(…)` and `max(…)` work but keep a
 * count per distinct value (in `eddy_state_<name>`), which must fit the row's 400 KB: fine for a status or a
 * small range, not for every order total ever. For an unbounded maximum write a reducer with no `remove`:
 * `reducer({ initial: null, add: (m, r) => (r.newImage?.total === undefined ? m : Math.max(m ?? -Infinity,
 * r.newImage.total)) })`. Any reducer is applied exactly once per record; for the same result whatever order
 * records of different items arrive in, its `add` must commute (`add(add(s, x), y) = add(add(s, y), x)`).
 *
 * Reading: GetItem on the aggregate key gives the measures as attributes (a sum that nothing has added to yet
 * is absent: read it as 0). A Scan should skip the ledger rows: `FilterExpression: 'NOT begins_with(pk,
 * :ledger)'` with `:ledger = 'eddy#'`. A key beginning with `eddy#` fails its record; a table that is missing
 * or has another key schema fails the batch's records with an error that says what the table needs.
 *
 * ```
 * records:   --I(o1 PAID)--M(o1 PAID→SHIPPED)--I(o2 PAID)--M(o1…) (redelivered)--R(o2)--|
 * INSERT:    --1-------------------------------2-------------------------------------------
 * MODIFY:    ---------------1---------------------------(skipped: o1's ledger is past it)--
 * REMOVE:    ------------------------------------------------------------------------1-----
 * ```
 *
 * @example
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { defineStreamHandler } from 'eddy';
 * import { aggregateEvents, count, sum } from 'eddy/dynamodb';
 *
 * type Order = { id: string; status: string; total: number };
 * const client = new DynamoDBClient({});
 * const hourOf = (seconds = 0) => new Date(seconds * 1000).toISOString().slice(0, 13); // 2026-01-01T10
 *
 * // Events per event name, status and hour, and the totals they carried.
 * export const handler = defineStreamHandler<Order>(
 *   aggregateEvents<Order>({
 *     client,
 *     tableName: 'order-events',
 *     key: (record) => {
 *       const status = (record.newImage ?? record.oldImage)?.status ?? 'none';
 *       return `${record.eventName}#${status}#${hourOf(record.approximateCreationDateTime)}`;
 *     },
 *     measures: { events: count(), total: sum((record) => record.newImage?.total) },
 *     ledgerTtl: { attribute: 'expiresAt', seconds: 2 * 86_400 },
 *   }),
 * );
 * // GetItem { pk: 'INSERT#PAID#2026-01-01T10' } → { events: 42, total: 3150, eddy_revision: 7 }
 */
const aggregateEvents = <T extends Item = Item>(
  options: AggregateEventsOptions<T>,
): OperatorFunction<StreamItem<T>, RecordOutcome> => {
  const settings = settingsOf(options);
  return (items) =>
    items.pipe(
      toArray(),
      concatMap((batch) => from(applyExactlyOnce(batch, settings))),
      mergeMap((outcomes) => outcomes),
    );
};

/** Checks the options once, when the operator is made, and turns them into the engine's settings. */
const settingsOf = <T extends Item>(
  options: AggregateEventsOptions<T>,
): ExactlyOnceSettings<T, StreamItem<T>> => {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('aggregateEvents: give options { client, tableName, key, measures }');
  }
  const { client, tableName, key, measures, ledgerTtl } = options;
  const keyAttribute = options.keyAttribute ?? 'pk';
  const ledgerName = options.ledgerName ?? 'events';
  if (typeof client?.send !== 'function') {
    throw new TypeError('aggregateEvents: client must be a DynamoDBClient (from @aws-sdk/client-dynamodb)');
  }
  if (typeof tableName !== 'string' || tableName === '') {
    throw new TypeError('aggregateEvents: tableName must name the aggregates table');
  }
  if (typeof keyAttribute !== 'string' || keyAttribute === '') {
    throw new TypeError("aggregateEvents: keyAttribute must name the table's partition key attribute");
  }
  if (typeof key !== 'function') {
    throw new TypeError('aggregateEvents: key must be a function from a record to its aggregate key(s)');
  }
  if (typeof ledgerName !== 'string' || !LEDGER_NAME.test(ledgerName)) {
    throw new TypeError(
      `aggregateEvents: ledgerName ${JSON.stringify(ledgerName)} must be 1 to 64 letters, digits, "_", "." or "-"`,
    );
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function' || typeof clock.sleep !== 'function') {
    throw new TypeError('aggregateEvents: clock must be a Clock (systemClock, or a ManualClock in tests)');
  }
  checkMeasures(measures, [keyAttribute], 'aggregateEvents');
  checkCollectionTtl(ledgerTtl, 'aggregateEvents: ledgerTtl');
  return {
    operator: 'aggregateEvents',
    client,
    tableName,
    keyAttribute,
    measures,
    readsRows: readsRows(measures),
    ledgerPrefix: `${LEDGER_PREFIX}${ledgerName}#`,
    ledgerTtl,
    clock,
    contributionsOf: (item) => contributionsOf(item, key, measures),
  };
};

/** The aggregate keys a record counts towards, each once, with the record as the measures' value. */
const contributionsOf = <T extends Item>(
  item: StreamItem<T>,
  key: AggregateEventsOptions<T>['key'],
  measures: Measures<StreamItem<T>>,
): Contribution<StreamItem<T>>[] => {
  // A snapshot record is an item's state, not a change: there is no event to count.
  if (item.snapshot === true) return [];
  const given = key(item);
  const keys = given === undefined ? [] : typeof given === 'string' ? [given] : [...given];
  for (const k of keys) {
    if (typeof k !== 'string' || k === '' || k.startsWith('eddy#')) {
      throw new TypeError(
        `aggregateEvents: key() gave ${JSON.stringify(k)} for record ${item.sequenceNumber}; aggregate keys ` +
          'are non-empty strings not beginning with "eddy#" (that prefix is for the ledger rows)',
      );
    }
  }
  const contributions = [...new Set(keys)].map((k) => ({ key: k, sign: 1 as const, value: item }));
  // A measure that throws on a record fails this record (and its item's later ones) here, not the whole chunk.
  if (contributions.length > 0) {
    for (const measure of Object.values(measures)) measure.add(measure.initial, item);
  }
  return contributions;
};

export type { AggregateEventsOptions };
export { aggregateEvents };
