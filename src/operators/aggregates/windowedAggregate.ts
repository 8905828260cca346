import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { concatMap, filter, map, type Observable, reduce } from 'rxjs';
import { failRecord } from '../../pipeline/failRecord.js';
import type { Item, StreamItem } from '../../pipeline/StreamItem.js';
import type { WindowInvocation, WindowPipeline } from '../../pipeline/WindowPipeline.js';
import { retrying } from '../../retry/retrying.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { sortableSequence } from '../sortableSequence.js';
import { AggregateConflictError } from './AggregateConflictError.js';
import {
  checkMeasures,
  type Measures,
  measureUpdate,
  REVISION_ATTRIBUTE,
  readsRows,
  stateIn,
} from './aggregateRow.js';
import { isLostRace, LOST_RACE_RETRY } from './lostRace.js';

/**
 * The attribute of a window row that holds, for one shard, the sequence number of the last record of that shard
 * the row has counted (zero-padded): `eddy_applied_<shardId>`.
 */
const appliedAttribute = (shardId: string): string => `eddy_applied_${shardId}`;

/**
 * A shard's records for one aggregate key and window were added to the row in part already, by a run that cut
 * the window into other parts: the part at hand cannot be taken apart, so it is refused rather than counted
 * twice or not at all.
 *
 * @example
 * if (error instanceof WindowOverlapError) console.error(error.message); // a window that overlaps one already written
 */
class WindowOverlapError extends Error {
  constructor(key: string, window: string, shardId: string, part: KeyPart, applied: string) {
    super(
      `windowedAggregate: window ${window}, aggregate key ${JSON.stringify(key)}, shard ${shardId}: the row ` +
        `counts this shard's records up to ${applied.replace(/^0+/, '')}, which falls inside this part ` +
        `(${part.first.replace(/^0+/, '')} to ${part.last.replace(/^0+/, '')}); a run published part of the ` +
        'window and the stream was replayed from inside it with other cuts. Parts cannot be taken apart.',
    );
    this.name = 'WindowOverlapError';
  }
}

/**
 * The table per-window totals go to, the key each record counts under and the measures kept.
 *
 * @example
 * export const handler = defineWindowedHandler(
 *   windowedAggregate<Order>({
 *     client,
 *     tableName: 'hourly-totals',
 *     key: (item) => item.newImage?.customerId,
 *     measures: { orders: count() },
 *   }),
 * );
 */
interface WindowedAggregateOptions<T extends Item> {
  readonly client: DynamoDBClient;
  /**
   * The table of window rows: partition key `keyAttribute` (string), sort key `windowAttribute` (string, the
   * window's start), so a Query on an aggregate key lists its windows in order.
   */
  readonly tableName: string;
  /** The aggregate key(s) a record counts towards, or undefined for none. Keys are non-empty strings. */
  readonly key: (item: StreamItem<T>) => string | readonly string[] | undefined;
  /** The measures, by attribute name, over the window's records: `count()`, `sum(…)`, `min(…)`, `max(…)`, … */
  readonly measures: Measures<StreamItem<T>>;
  /** @default 'pk' */
  readonly keyAttribute?: string;
  /** @default 'windowStart' */
  readonly windowAttribute?: string;
  /**
   * What the backoff sleeps on when a row write lost a race with another shard's (or a duplicate invocation's)
   * and is read and tried again (20 ms doubling up to 1 s, with full jitter, at most 10 writes; then the
   * invocation fails with an `AggregateConflictError`): a test gives a `ManualClock` and moves time instead of
   * waiting. @default systemClock
   */
  readonly clock?: Clock;
}

/** One aggregate key's part of a window on one shard: its measure states and the records it covers. */
interface KeyPart {
  /** The zero-padded sequence numbers of the first and last record counted. */
  first: string;
  last: string;
  measures: Record<string, unknown>;
}

/**
 * The state a windowed aggregate carries from invocation to invocation of a window: each key's part.
 *
 * @example
 * const handler = defineWindowedHandler<WindowAggregateState, Order>(windowedAggregate<Order>(options));
 */
interface WindowAggregateState {
  keys?: Record<string, KeyPart>;
}

/**
 * Aggregates the records of each tumbling window (`TumblingWindowInSeconds`) per key, and writes one row per
 * aggregate key and window on the window's final invocation: a window pipeline for `defineWindowedHandler`.
 *
 * Each record counts once, as an event: `key` and the measures take the record itself (its event name, images,
 * time), so "orders created per minute" is `key: (r) => r.eventName === 'INSERT' ? 'created' : undefined`.
 *
 * **Snapshot records are skipped** (`StreamItem.snapshot`: the rows `bootstrap` / `eddy bootstrap` emits, INSERTs
 * stamped with the bootstrap's cut): such a record is an item's state, not something that happened in a window,
 * so counting it would put every existing item into the window of the cut second. As with `aggregateEvents`,
 * only the stream's records (the changes since the cut) count; a table's history before its stream's 24 h
 * cannot be recovered from its contents.
 *
 * **During the window** the measures fold the records into the window's state, which Lambda hands from one
 * invocation to the next and keeps through failures and retries (a failed invocation is retried with the state
 * it was given), so the state counts each record of the window once. It must stay under Lambda's 1 MB per
 * shard: it holds every aggregate key's measure states and first and last sequence numbers, and reducer states
 * must be JSON.
 *
 * **On the final invocation** each aggregate key's part is added to its row `{ pk: key, windowStart }` (and
 * `windowEnd`). Each shard has its own window, so a row adds up several shards' parts. With each part the row
 * records, per shard, the last record it has counted (`eddy_applied_<shardId>`), in the same conditional
 * UpdateItem (the condition: the row has not counted this shard that far), so a retried, duplicated or replayed
 * final invocation adds nothing twice, even when a replay cuts the window into other parts than the first run
 * (a replay reads windows long closed, so the runtime closes one after every batch). count and sum are added
 * with ADD; min, max and reducers are read, merged (their `merge`) and written under the row's `eddy_revision`;
 * a write that another shard's beat is read and tried again after a backoff on `clock`, up to 10 times, then the
 * final invocation fails with an `AggregateConflictError` (and Lambda retries it).
 * The one case it refuses, with a `WindowOverlapError`, is a part the row holds only some records of: a run
 * published part of a window (a window ended early, at the 1 MB cap or by records read after it closed), and
 * the stream was then replayed from inside that window with other cuts.
 *
 * ```
 * shard A, window 10:00:  --r1--r2--|final  → row (k, 10:00) += A's part if applied_A < r1; applied_A = r2
 * shard B, window 10:00:  --r3------|final  → row (k, 10:00) += B's part if applied_B < r3; applied_B = r3
 * final retried on A:                      → applied_A = r2 ≥ r2: nothing is added twice
 * ```
 *
 * @example
 * export const handler = defineWindowedHandler(
 *   windowedAggregate<Order>({
 *     client,
 *     tableName: 'orders-per-minute',
 *     key: (record) => (record.eventName === 'INSERT' ? record.newImage?.status : undefined),
 *     measures: { orders: count(), revenue: sum((r) => r.newImage?.total) },
 *   }),
 * );
 */
const windowedAggregate = <T extends Item = Item>(
  options: WindowedAggregateOptions<T>,
): WindowPipeline<WindowAggregateState, T> => {
  const keyAttribute = options.keyAttribute ?? 'pk';
  const windowAttribute = options.windowAttribute ?? 'windowStart';
  checkMeasures(options.measures, [keyAttribute, windowAttribute, 'windowEnd'], 'windowedAggregate', 'merge');
  const settings = {
    ...options,
    keyAttribute,
    windowAttribute,
    readsRows: readsRows(options.measures),
    clock: options.clock ?? systemClock,
  };
  return (records, invocation) => {
    const folded: Observable<WindowAggregateState> = records.pipe(
      // A snapshot record is an item's state, not an event of the window: there is nothing to count.
      filter((item) => item.snapshot !== true),
      map((item) => ({ item, keys: keysOf(item, settings) })),
      filter((entry): entry is { item: StreamItem<T>; keys: string[] } => entry.keys !== undefined),
      reduce((state, { item, keys }) => addRecord(state, item, keys, settings.measures), invocation.state),
    );
    return invocation.isFinalInvokeForWindow
      ? folded.pipe(
          concatMap(async (state) => {
            await publish(state, invocation, settings);
            return state;
          }),
        )
      : folded;
  };
};

type Settings<T extends Item> = WindowedAggregateOptions<T> & {
  readonly keyAttribute: string;
  readonly windowAttribute: string;
  readonly readsRows: boolean;
  readonly clock: Clock;
};

/** A record's aggregate keys; undefined (and the record reported as failed) when `key` throws or gives a bad key. */
const keysOf = <T extends Item>(item: StreamItem<T>, settings: Settings<T>): string[] | undefined => {
  try {
    const given = settings.key(item);
    const keys = given === undefined ? [] : typeof given === 'string' ? [given] : [...given];
    for (const key of keys) {
      if (typeof key !== 'string' || key === '') {
        throw new TypeError(
          `windowedAggregate: key() gave ${JSON.stringify(key)}; keys are non-empty strings`,
        );
      }
    }
    return [...new Set(keys)];
  } catch (error) {
    failRecord(item, error);
    return undefined;
  }
};

/** Folds one record into the window's state (in place: the handler gives the pipeline its own copy). */
const addRecord = <T extends Item>(
  state: WindowAggregateState,
  item: StreamItem<T>,
  keys: readonly string[],
  measures: Measures<StreamItem<T>>,
): WindowAggregateState => {
  const sequence = sortableSequence(item.sequenceNumber);
  state.keys ??= {};
  for (const key of keys) {
    const part = state.keys[key] ?? { first: sequence, last: sequence, measures: {} };
    state.keys[key] = part;
    part.last = sequence;
    for (const [name, measure] of Object.entries(measures)) {
      part.measures[name] = measure.add(name in part.measures ? part.measures[name] : measure.initial, item);
    }
  }
  return state;
};

/** Adds each aggregate key's part of the window to its row, once. */
const publish = async <T extends Item>(
  state: WindowAggregateState,
  invocation: WindowInvocation<WindowAggregateState>,
  settings: Settings<T>,
): Promise<void> => {
  for (const [key, part] of Object.entries(state.keys ?? {})) {
    await addPart(key, part, invocation, settings);
  }
};

/**
 * Adds one key's part to its window row, conditional on the row not having counted this shard's records that
 * far: the row's mark for the shard is below the part's first record. A part the row already holds is skipped.
 */
const addPart = async <T extends Item>(
  key: string,
  part: KeyPart,
  invocation: WindowInvocation<WindowAggregateState>,
  settings: Settings<T>,
): Promise<void> => {
  const { client, tableName, keyAttribute, windowAttribute, measures } = settings;
  const { window, shardId } = invocation;
  const Key = marshall({ [keyAttribute]: key, [windowAttribute]: window.start });
  const applied = appliedAttribute(shardId);
  const read = async () => {
    const { Item: found } = await client.send(
      new GetItemCommand({ TableName: tableName, Key, ConsistentRead: true }),
    );
    return found === undefined ? undefined : unmarshall(found);
  };
  /** Whether the row holds the part already; throws when it holds some of it. */
  const holds = (row: Record<string, unknown> | undefined): boolean => {
    const mark = row?.[applied] as string | undefined;
    if (mark === undefined || mark < part.first) return false;
    if (mark >= part.last) return true;
    throw new WindowOverlapError(key, window.start, shardId, part, mark);
  };
  let attempts = 0;
  const attempt = async (): Promise<void> => {
    attempts += 1;
    const row = settings.readsRows ? await read() : undefined;
    if (holds(row)) return;
    const before = new Map<string, unknown>();
    const after = new Map<string, unknown>();
    for (const [name, measure] of Object.entries(measures)) {
      const value = name in part.measures ? part.measures[name] : measure.initial;
      if (measure.additive === true) {
        before.set(name, 0);
        after.set(name, value);
      } else {
        const stored = stateIn(row, name, measure);
        before.set(name, stored);
        after.set(name, measure.merge?.(stored, value));
      }
    }
    const update = measureUpdate(measures, before, after, {
      set: { windowEnd: window.end, [applied]: part.last },
    });
    if (update === undefined) return;
    // Measures that were read are written only over the revision they were read at.
    const revision = !settings.readsRows
      ? { condition: '', values: {} }
      : row === undefined
        ? { condition: ' AND attribute_not_exists(#rev)', values: {} }
        : { condition: ' AND #rev = :rev', values: marshall({ ':rev': row[REVISION_ATTRIBUTE] ?? 0 }) };
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key,
          ...update,
          ConditionExpression: `(attribute_not_exists(#applied) OR #applied < :first)${revision.condition}`,
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#applied': applied },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ...marshall({ ':first': part.first }),
            ...revision.values,
          },
        }),
      );
    } catch (error) {
      // Either the row holds the part (done), or another shard wrote the row since it was read (merge again).
      const mayHold = error instanceof ConditionalCheckFailedException && !settings.readsRows;
      if (mayHold && holds(await read())) return;
      throw error;
    }
  };
  try {
    await retrying(attempt, { policy: LOST_RACE_RETRY, clock: settings.clock, retryOn: isLostRace });
  } catch (error) {
    throw isLostRace(error) ? new AggregateConflictError(attempts, error, 'windowedAggregate') : error;
  }
};

export type { KeyPart, WindowAggregateState, WindowedAggregateOptions };
export { WindowOverlapError, windowedAggregate };
