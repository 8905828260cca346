import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { concatMap, from, mergeMap, type OperatorFunction, toArray } from 'rxjs';
import type { RecordOutcome } from '../../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../../pipeline/StreamItem.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { type CollectionTtl, checkCollectionTtl } from '../collectionTtl.js';
import { requireNewAndOldImages } from '../StreamViewTypeError.js';
import { AggregateConflictError } from './AggregateConflictError.js';
import { checkMeasures, type Measures, readsRows } from './aggregateRow.js';
import { applyExactlyOnce, type Contribution, type ExactlyOnceSettings } from './applyExactlyOnce.js';

/** Ledger rows share the table with the aggregates, under keys that begin with this. */
const LEDGER_PREFIX = 'eddy#applied#';

/**
 * The totals table, the key each item counts under, the measures kept per key, and the ledger's TTL.
 *
 * @example
 * aggregate<Order>({
 *   client,
 *   tableName: 'customer-totals',
 *   keyAttribute: 'customerId',
 *   key: (order) => order.customerId,
 *   measures: { orders: count(), totalCents: sum((order: Order) => order.cents) },
 *   ledgerTtl: { attribute: 'expiresAt', seconds: 7 * 24 * 60 * 60 },
 * });
 */
interface AggregateOptions<T extends Item> {
  readonly client: DynamoDBClient;
  /** The aggregates table: a string partition key (`keyAttribute`) and no sort key. */
  readonly tableName: string;
  /**
   * The aggregate key(s) an item counts towards, from one of its images: a string, several (an item can count
   * towards `status#PAID` and `all`), or undefined for none. Keys must not begin with `eddy#`.
   */
  readonly key: (image: T) => string | readonly string[] | undefined;
  /** The measures, by attribute name: `count()`, `sum(…)`, `min(…)`, `max(…)` or a `reducer(…)`. */
  readonly measures: Measures<T>;
  /** The table's partition key attribute. @default 'pk' */
  readonly keyAttribute?: string;
  /**
   * Lets the table's TTL collect a source item's ledger row this long after its last change. Without it the
   * table keeps one small ledger row per source item ever seen. @default ledger rows are kept
   */
  readonly ledgerTtl?: CollectionTtl;
  /**
   * What the backoff sleeps on when a write lost a race with a concurrent writer and is read and tried again
   * (20 ms doubling up to 1 s, with full jitter, at most 10 writes): a test gives a `ManualClock` and moves time
   * instead of waiting. @default systemClock
   */
  readonly clock?: Clock;
}

/**
 * Keeps keyed aggregates (count, sum, min, max, your own reducers) of a table's items in a DynamoDB table,
 * with an exactly-once effect although records arrive at least once. It aggregates the items as they are now;
 * to count the changes themselves (orders created per hour, deletes per day), use `aggregateEvents`.
 *
 * **The algebra.** An item counts towards the aggregate keys `key(image)` gives for its image. A record's
 * contribution follows from the record alone: an INSERT adds the new image, a MODIFY takes the old image out
 * (from the old image's keys) and adds the new one (to the new image's keys), a REMOVE takes the old image out.
 * An item's records therefore telescope to its current image, and as long as `remove` undoes `add` and both
 * commute (see `Measure`), every aggregate equals a recomputation over the table's items whatever order the
 * items' records land in. min and max stay exact under MODIFY and REMOVE by keeping the multiset of values.
 * TTL deletes count as deletes (leave them out with `notTtlExpiry()` if they should not). The aggregate must
 * see every item from its INSERT: start the mapping at TRIM_HORIZON of a stream as old as the table.
 *
 * **Exactly once.** The table keeps, per source item, the sequence number of the item's last applied record
 * (a ledger row, key `eddy#applied#<region>/<table>#<item key>`). A record is applied in one
 * TransactWriteItems with its ledger row, which is conditional on the ledger being as read, so a record is
 * counted together with its sequence number or not at all, and a redelivered or duplicated record (sequence
 * at or below the ledger's) is skipped. The applied sequence is kept per source item rather than per
 * aggregate key because only an item's records come in order: records of different items reach an aggregate
 * key out of order across shards and ParallelizationFactor lanes, and a per-key high-water mark would drop
 * them. Within a batch the records are folded: one transaction carries the ledger rows of up to 100 items and
 * one update per aggregate key (count and sum by ADD without a read; min, max and reducers are read, merged and
 * written under the row's `eddy_revision`). A transaction that a concurrent writer beat is read and tried again
 * after a backoff on `clock` (20 ms doubling up to 1 s, full jitter), up to 10 times; then its records fail
 * (`AggregateConflictError`) and are delivered again.
 *
 * Reading: GetItem on the aggregate key (`{ pk: 'status#PAID' }`) gives the measures as attributes. Keys whose
 * items have all gone keep their row with count 0. A Scan should skip the ledger rows:
 * `FilterExpression: 'NOT begins_with(pk, :ledger)'` with `:ledger = 'eddy#'`.
 *
 * Needs StreamViewType NEW_AND_OLD_IMAGES: a record from any other stream fails with a `StreamViewTypeError`.
 *
 * ```
 * records:   --I(o1 PAID 10)--M(o1 PAID→SHIPPED 10)--I(o2 PAID 5)--I(o1…) (duplicate)--|
 * PAID:      --count 1, sum 10--count 0, sum 0--------count 1, sum 5---(skipped)
 * SHIPPED:   ---------------------count 1, sum 10
 * ```
 *
 * @example
 * aggregate<Order>({
 *   client,
 *   tableName: 'order-stats',
 *   key: (order) => [`status#${order.status}`, 'all'],
 *   measures: { orders: count(), revenue: sum((o) => o.total), largest: max((o) => o.total) },
 * })
 */
const aggregate = <T extends Item = Item>(
  options: AggregateOptions<T>,
): OperatorFunction<StreamItem<T>, RecordOutcome> => {
  const keyAttribute = options.keyAttribute ?? 'pk';
  checkMeasures(options.measures, [keyAttribute], 'aggregate', 'remove');
  checkCollectionTtl(options.ledgerTtl, 'aggregate: ledgerTtl');
  const settings: ExactlyOnceSettings<T, T> = {
    operator: 'aggregate',
    client: options.client,
    tableName: options.tableName,
    keyAttribute,
    measures: options.measures,
    readsRows: readsRows(options.measures),
    ledgerPrefix: LEDGER_PREFIX,
    ledgerTtl: options.ledgerTtl,
    clock: options.clock ?? systemClock,
    contributionsOf: (item) => contributionsOf(item, options),
  };
  return (items) =>
    items.pipe(
      toArray(),
      concatMap((batch) => from(applyExactlyOnce(batch, settings))),
      mergeMap((outcomes) => outcomes),
    );
};

/** The signed images a record adds to or takes from each aggregate key. */
const contributionsOf = <T extends Item>(
  item: StreamItem<T>,
  options: AggregateOptions<T>,
): Contribution<T>[] => {
  requireNewAndOldImages(item, 'aggregate');
  const contributions: Contribution<T>[] = [];
  if (item.eventName !== 'INSERT' && item.oldImage !== undefined) {
    for (const key of keysOf(item.oldImage, options))
      contributions.push({ key, sign: -1, value: item.oldImage });
  }
  if (item.eventName !== 'REMOVE' && item.newImage !== undefined) {
    for (const key of keysOf(item.newImage, options))
      contributions.push({ key, sign: 1, value: item.newImage });
  }
  // A measure that throws on an image fails this record (and its item's later ones) here, not the whole chunk.
  for (const { sign, value } of contributions) {
    for (const measure of Object.values(options.measures)) {
      if (sign === 1) measure.add(measure.initial, value);
      else measure.remove?.(measure.initial, value);
    }
  }
  return contributions;
};

const keysOf = <T extends Item>(image: T, options: AggregateOptions<T>): string[] => {
  const given = options.key(image);
  const keys = given === undefined ? [] : typeof given === 'string' ? [given] : [...given];
  for (const key of keys) {
    if (typeof key !== 'string' || key === '' || key.startsWith('eddy#')) {
      throw new TypeError(
        `aggregate: key() gave ${JSON.stringify(key)}; aggregate keys are non-empty strings not beginning with "eddy#"`,
      );
    }
  }
  return [...new Set(keys)];
};

export type { AggregateOptions };
export { AggregateConflictError, aggregate };
