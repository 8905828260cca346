import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionCanceledException,
  TransactionConflictException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type Update,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { concatMap, from, mergeMap, type OperatorFunction, toArray } from 'rxjs';
import { EarlierRecordFailedError } from '../../handler/errors.js';
import { InvocationFailures } from '../../handler/InvocationFailures.js';
import type { RecordOutcome } from '../../handler/RecordOutcome.js';
import type { Item, StreamItem } from '../../handler/StreamItem.js';
import { parseStreamArn } from '../../records/arn.js';
import { type CollectionTtl, checkCollectionTtl, collectionAttributes } from '../collectionTtl.js';
import { SOURCE_SEQUENCE_ATTRIBUTE } from '../project.js';
import { requireNewAndOldImages } from '../StreamViewTypeError.js';
import { sortableSequence } from '../sortableSequence.js';
import {
  checkMeasures,
  type Measures,
  measureUpdate,
  REVISION_ATTRIBUTE,
  type Row,
  readsRows,
  stateIn,
} from './aggregateRow.js';

/** Ledger rows share the table with the aggregates, under keys that begin with this. */
const LEDGER_PREFIX = 'eddy#applied#';

/** TransactWriteItems takes at most 100 actions. */
const MAX_TRANSACTION_ITEMS = 100;

/** How often a chunk is tried again when a concurrent writer got there first. */
const MAX_ATTEMPTS = 10;

/**
 * A batch's writes lost the race for their rows to concurrent writers (other lanes, shards or duplicate
 * invocations) every time they were tried. Its records fail and are delivered again, which is safe: they were
 * not applied. Hot aggregate keys with measures that are read before written (min, max, reducers) contend most;
 * count and sum do not read.
 *
 * @example
 * onRecordError: (error) => {
 *   if (error instanceof AggregateConflictError) console.warn(`gave up after ${error.attempts} attempts`);
 * }
 */
class AggregateConflictError extends Error {
  readonly attempts: number;

  constructor(attempts: number, cause: unknown) {
    super(
      `aggregate: concurrent writers changed the rows of this batch's aggregate keys or ledger ${attempts} times ` +
        'in a row; its records fail and will be delivered again',
      { cause },
    );
    this.name = 'AggregateConflictError';
    this.attempts = attempts;
  }
}

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
}

/** What one record adds to or takes from one aggregate key. */
interface Contribution<T> {
  readonly key: string;
  readonly sign: 1 | -1;
  readonly image: T;
}

/** The records of one source item in a batch that are still to be applied, and its ledger row's key. */
interface Unit<T extends Item> {
  readonly ledgerKey: string;
  readonly records: { readonly item: StreamItem<T>; readonly contributions: readonly Contribution<T>[] }[];
  readonly keys: Set<string>;
}

/**
 * Keeps keyed aggregates (count, sum, min, max, your own reducers) of a table's items in a DynamoDB table,
 * with an exactly-once effect although records arrive at least once.
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
 * written under the row's `eddy_revision`). A transaction that a concurrent writer beat is read and tried again,
 * up to 10 times; then its records fail (`AggregateConflictError`) and are delivered again.
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
  const settings = { ...options, keyAttribute, readsRows: readsRows(options.measures) };
  return (items) =>
    items.pipe(
      toArray(),
      concatMap((batch) => from(applyBatch(batch, settings))),
      mergeMap((outcomes) => outcomes),
    );
};

type Settings<T extends Item> = AggregateOptions<T> & {
  readonly keyAttribute: string;
  readonly readsRows: boolean;
};

/** Applies a batch: the records of each item in order, up to the item's first failure. */
const applyBatch = async <T extends Item>(
  batch: readonly StreamItem<T>[],
  settings: Settings<T>,
): Promise<RecordOutcome[]> => {
  const failures = new Map<string, RecordOutcome>();
  const fail = (item: StreamItem<T>, error: unknown) => {
    const invocation = InvocationFailures.of(item);
    invocation?.report(item, error);
    failures.set(item.sequenceNumber, {
      sequenceNumber: item.sequenceNumber,
      itemKey: item.itemKey,
      ok: false,
      error,
    });
  };
  const units = new Map<string, Unit<T>>();
  const failedItems = new Map<string, { readonly sequenceNumber: string; readonly error: unknown }>();
  for (const item of batch) {
    const earlier = failedItems.get(item.itemKey) ?? InvocationFailures.of(item)?.earlierFailure(item);
    if (earlier !== undefined) {
      failedItems.set(item.itemKey, earlier);
      fail(item, new EarlierRecordFailedError(earlier.sequenceNumber, earlier.error));
      continue;
    }
    try {
      const contributions = contributionsOf(item, settings);
      const unit = units.get(item.itemKey) ?? {
        ledgerKey: ledgerKeyOf(item),
        records: [],
        keys: new Set<string>(),
      };
      units.set(item.itemKey, unit);
      unit.records.push({ item, contributions });
      for (const contribution of contributions) unit.keys.add(contribution.key);
    } catch (error) {
      failedItems.set(item.itemKey, { sequenceNumber: item.sequenceNumber, error });
      fail(item, error);
    }
  }
  const failUnit = (unit: Unit<T>, error: unknown): void => {
    for (const { item } of unit.records) fail(item, error);
  };
  for (const chunk of chunksOf([...units.values()], failUnit)) {
    try {
      await applyChunk(chunk, settings);
    } catch (error) {
      for (const unit of chunk) failUnit(unit, error);
    }
  }
  return batch.map(
    (item) =>
      failures.get(item.sequenceNumber) ?? {
        sequenceNumber: item.sequenceNumber,
        itemKey: item.itemKey,
        ok: true,
      },
  );
};

/** The signed images a record adds to or takes from each aggregate key. */
const contributionsOf = <T extends Item>(item: StreamItem<T>, settings: Settings<T>): Contribution<T>[] => {
  requireNewAndOldImages(item, 'aggregate');
  const contributions: Contribution<T>[] = [];
  if (item.eventName !== 'INSERT' && item.oldImage !== undefined) {
    for (const key of keysOf(item.oldImage, settings))
      contributions.push({ key, sign: -1, image: item.oldImage });
  }
  if (item.eventName !== 'REMOVE' && item.newImage !== undefined) {
    for (const key of keysOf(item.newImage, settings))
      contributions.push({ key, sign: 1, image: item.newImage });
  }
  // A measure that throws on an image fails this record (and its item's later ones) here, not the whole chunk.
  for (const { sign, image } of contributions) {
    for (const measure of Object.values(settings.measures)) {
      if (sign === 1) measure.add(measure.initial, image);
      else measure.remove?.(measure.initial, image);
    }
  }
  return contributions;
};

const keysOf = <T extends Item>(image: T, settings: Settings<T>): string[] => {
  const given = settings.key(image);
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

/** A source item's ledger row: per table (region and name, from the stream ARN) and item key. */
const ledgerKeyOf = (item: StreamItem): string => {
  const arn = item.record.eventSourceARN ?? '';
  const parts = parseStreamArn(arn);
  const source = parts === undefined ? arn : `${parts.region}/${parts.tableName}`;
  return `${LEDGER_PREFIX}${source}#${item.itemKey}`;
};

/**
 * Groups units so that each group fits one transaction: its ledger rows plus its aggregate keys. A unit that
 * alone does not fit is failed.
 */
const chunksOf = <T extends Item>(
  units: readonly Unit<T>[],
  failUnit: (unit: Unit<T>, error: unknown) => void,
): Unit<T>[][] => {
  const chunks: Unit<T>[][] = [];
  let chunk: Unit<T>[] = [];
  let keys = new Set<string>();
  for (const unit of units) {
    if (unit.keys.size + 1 > MAX_TRANSACTION_ITEMS) {
      failUnit(
        unit,
        new RangeError(
          `aggregate: the records of item ${unit.ledgerKey.slice(LEDGER_PREFIX.length)} count towards ` +
            `${unit.keys.size} aggregate keys in one batch; at most ${MAX_TRANSACTION_ITEMS - 1} fit a transaction`,
        ),
      );
      continue;
    }
    const merged = new Set([...keys, ...unit.keys]);
    if (chunk.length > 0 && chunk.length + 1 + merged.size > MAX_TRANSACTION_ITEMS) {
      chunks.push(chunk);
      chunk = [];
      keys = new Set(unit.keys);
    } else keys = merged;
    chunk.push(unit);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
};

/**
 * Applies a chunk's records that its ledger rows do not already hold, in one transaction; reads again and
 * retries when a concurrent writer changed a ledger row or an aggregate row in between.
 */
const applyChunk = async <T extends Item>(
  chunk: readonly Unit<T>[],
  settings: Settings<T>,
): Promise<void> => {
  const { client, tableName, keyAttribute, measures } = settings;
  const aggregateKeys = [...new Set(chunk.flatMap((unit) => [...unit.keys]))];
  for (let attempt = 1; ; attempt++) {
    const rows = await readRows(settings, [
      ...chunk.map((unit) => unit.ledgerKey),
      ...(settings.readsRows ? aggregateKeys : []),
    ]);
    const actions: Update[] = [];
    const before = new Map<string, Map<string, unknown>>();
    const after = new Map<string, Map<string, unknown>>();
    const stateOf = (key: string): Map<string, unknown> => {
      let state = after.get(key);
      if (state === undefined) {
        const row = rows.get(key);
        const read = new Map(
          Object.entries(measures).map(([name, m]) => [
            name,
            m.additive === true ? 0 : stateIn(row, name, m),
          ]),
        );
        before.set(key, read);
        state = new Map(read);
        after.set(key, state);
      }
      return state;
    };
    for (const unit of chunk) {
      const applied = rows.get(unit.ledgerKey)?.[SOURCE_SEQUENCE_ATTRIBUTE] as string | undefined;
      const pending = unit.records.filter(
        ({ item }) => applied === undefined || sortableSequence(item.sequenceNumber) > applied,
      );
      const last = pending.at(-1)?.item;
      if (last === undefined) continue;
      for (const { contributions } of pending) {
        for (const { key, sign, image } of contributions) {
          const state = stateOf(key);
          for (const [name, measure] of Object.entries(measures)) {
            const current = state.get(name);
            state.set(name, sign === 1 ? measure.add(current, image) : measure.remove?.(current, image));
          }
        }
      }
      const ttl = collectionAttributes(
        settings.ledgerTtl,
        last.approximateCreationDateTime ?? Date.now() / 1000,
      );
      const ttlNames = Object.keys(ttl);
      actions.push({
        TableName: tableName,
        Key: marshall({ [keyAttribute]: unit.ledgerKey }),
        UpdateExpression: `SET #seq = :seq${ttlNames.length > 0 ? ', #ttl = :ttl' : ''}`,
        ConditionExpression: applied === undefined ? 'attribute_not_exists(#seq)' : '#seq = :applied',
        ExpressionAttributeNames: {
          '#seq': SOURCE_SEQUENCE_ATTRIBUTE,
          ...(ttlNames.length > 0 ? { '#ttl': ttlNames[0] as string } : {}),
        },
        ExpressionAttributeValues: marshall({
          ':seq': sortableSequence(last.sequenceNumber),
          ...(applied === undefined ? {} : { ':applied': applied }),
          ...(ttlNames.length > 0 ? { ':ttl': Object.values(ttl)[0] } : {}),
        }),
      });
    }
    for (const [key, state] of after) {
      const update = measureUpdate(measures, before.get(key) ?? new Map(), state);
      if (update === undefined) continue;
      const row = rows.get(key);
      actions.push({
        TableName: tableName,
        Key: marshall({ [keyAttribute]: key }),
        ...update,
        ...(settings.readsRows
          ? row === undefined
            ? {
                ConditionExpression: 'attribute_not_exists(#rev)',
              }
            : {
                ConditionExpression: '#rev = :rev',
                ExpressionAttributeValues: {
                  ...update.ExpressionAttributeValues,
                  ...marshall({ ':rev': row[REVISION_ATTRIBUTE] ?? 0 }),
                },
              }
          : {}),
      });
    }
    try {
      await write(client, actions);
      return;
    } catch (error) {
      if (!isLostRace(error)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new AggregateConflictError(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * Math.random()));
    }
  }
};

/** Writes the actions: nothing, one conditional UpdateItem, or one transaction. */
const write = async (client: DynamoDBClient, actions: readonly Update[]): Promise<void> => {
  const [only] = actions;
  if (only === undefined) return;
  if (actions.length === 1) {
    await client.send(new UpdateItemCommand(only));
    return;
  }
  const items: TransactWriteItem[] = actions.map((Update) => ({ Update }));
  await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
};

/** Whether a write failed only because another writer changed a row it was conditional on. */
const isLostRace = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  error instanceof TransactionConflictException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).every((reason) =>
      ['None', 'ConditionalCheckFailed', 'TransactionConflict', undefined].includes(reason.Code),
    ));

/** Reads rows by partition key, consistently, in one BatchGetItem (and its unprocessed keys). */
const readRows = async <T extends Item>(
  settings: Settings<T>,
  keys: readonly string[],
): Promise<Map<string, Row>> => {
  const { client, tableName, keyAttribute } = settings;
  const rows = new Map<string, Row>();
  let request: BatchGetItemCommand['input']['RequestItems'] = {
    [tableName]: { Keys: keys.map((key) => marshall({ [keyAttribute]: key })), ConsistentRead: true },
  };
  while (request !== undefined && (request[tableName]?.Keys?.length ?? 0) > 0) {
    const response: BatchGetItemCommandOutput = await client.send(
      new BatchGetItemCommand({ RequestItems: request }),
    );
    for (const item of response.Responses?.[tableName] ?? []) {
      const row = unmarshall(item);
      rows.set(row[keyAttribute] as string, row);
    }
    request = response.UnprocessedKeys;
  }
  return rows;
};

export type { AggregateOptions };
export { AggregateConflictError, aggregate };
