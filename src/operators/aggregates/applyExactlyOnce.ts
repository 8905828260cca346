import { createHash } from 'node:crypto';
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type Update,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { BatchOutcomes } from '../../pipeline/BatchOutcomes.js';
import type { RecordOutcome } from '../../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../../pipeline/StreamItem.js';
import { parseStreamArn } from '../../records/arn.js';
import { TRANSIENT_RETRY } from '../../retry/RetryPolicy.js';
import { retrying } from '../../retry/retrying.js';
import type { Clock } from '../../time/clock.js';
import { type CollectionTtl, collectionAttributes } from '../collectionTtl.js';
import { SOURCE_SEQUENCE_ATTRIBUTE } from '../project.js';
import { sortableSequence } from '../sortableSequence.js';
import { AggregateConflictError } from './AggregateConflictError.js';
import { type Measures, measureUpdate, REVISION_ATTRIBUTE, type Row, stateIn } from './aggregateRow.js';
import { isLostRace, LOST_RACE_RETRY } from './lostRace.js';

// The exactly-once engine of `aggregate` and `aggregateEvents`. They differ only in what a record contributes
// (signed images of the item, or the record itself as one event); how contributions reach the aggregate rows
// once each is the same, and lives here.

/** TransactWriteItems takes at most 100 actions. */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * What one record adds to (`sign` 1) or takes from (`sign` -1) one aggregate key: `value` is what the measures
 * are given.
 * @internal
 */
interface Contribution<V> {
  readonly key: string;
  readonly sign: 1 | -1;
  readonly value: V;
}

/** @internal */
interface ExactlyOnceSettings<T extends Item, V> {
  /** The operator's name, for messages. */
  readonly operator: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly keyAttribute: string;
  readonly measures: Measures<V>;
  /** Whether any measure is read before it is written. */
  readonly readsRows: boolean;
  /** Ledger row keys begin with this (then `<region>/<table>#<item key>`). */
  readonly ledgerPrefix: string;
  readonly ledgerTtl?: CollectionTtl | undefined;
  /** What the backoffs after a lost race sleep on. */
  readonly clock: Clock;
  /** A record's contributions; throws to fail the record (and its item's later records in the batch). */
  readonly contributionsOf: (item: StreamItem<T>) => Contribution<V>[];
}

/** The records of one source item in a batch that are still to be applied, and its ledger row's key. */
interface Unit<T extends Item, V> {
  readonly ledgerKey: string;
  readonly records: { readonly item: StreamItem<T>; readonly contributions: readonly Contribution<V>[] }[];
  readonly keys: Set<string>;
}

/**
 * Applies a batch once: each source item's records in order, up to the item's first failure, each record
 * together with its item's ledger row (the sequence number of the item's last applied record), records at or
 * below the ledger skipped. Records that contribute nothing are not written at all (nor is their ledger): applying
 * them again is a no-op anyway.
 * @internal
 */
const applyExactlyOnce = async <T extends Item, V>(
  batch: readonly StreamItem<T>[],
  settings: ExactlyOnceSettings<T, V>,
): Promise<RecordOutcome[]> => {
  const outcomes = new BatchOutcomes<T>();
  const units = new Map<string, Unit<T, V>>();
  for (const item of batch) {
    if (outcomes.failIfEarlierFailed(item)) continue;
    try {
      const contributions = settings.contributionsOf(item);
      if (contributions.length === 0) continue;
      const ledgerKey = ledgerKeyOf(item, settings.ledgerPrefix);
      const unit = units.get(ledgerKey) ?? { ledgerKey, records: [], keys: new Set<string>() };
      units.set(ledgerKey, unit);
      unit.records.push({ item, contributions });
      for (const contribution of contributions) unit.keys.add(contribution.key);
    } catch (error) {
      outcomes.fail(item, error);
    }
  }
  const failUnit = (unit: Unit<T, V>, error: unknown): void => {
    for (const { item } of unit.records) outcomes.fail(item, error);
  };
  for (const chunk of chunksOf([...units.values()], failUnit, settings)) {
    try {
      await applyChunk(chunk, settings);
    } catch (error) {
      const explained = explainTableError(error, settings);
      for (const unit of chunk) failUnit(unit, explained);
    }
  }
  return outcomes.outcomes(batch);
};

/** DynamoDB's limit on a partition key value, in bytes. */
const MAX_PARTITION_KEY_BYTES = 2048;

/**
 * A source item's ledger row: per table (region and name, from the stream ARN) and item key. An item key too
 * long to fit a partition key next to the prefix (a source key may itself take 2048 + 1024 bytes) is replaced
 * by its SHA-256.
 */
const ledgerKeyOf = (item: StreamItem, prefix: string): string => {
  const arn = item.record.eventSourceARN ?? '';
  const parts = parseStreamArn(arn);
  const source = parts === undefined ? arn : `${parts.region}/${parts.tableName}`;
  const key = `${prefix}${source}#${item.itemKey}`;
  return Buffer.byteLength(key) <= MAX_PARTITION_KEY_BYTES
    ? key
    : `${prefix}${source}#sha256:${createHash('sha256').update(item.itemKey).digest('hex')}`;
};

/**
 * Groups units so that each group fits one transaction: its ledger rows plus its aggregate keys. A unit that
 * alone does not fit is failed.
 */
const chunksOf = <T extends Item, V>(
  units: readonly Unit<T, V>[],
  failUnit: (unit: Unit<T, V>, error: unknown) => void,
  settings: ExactlyOnceSettings<T, V>,
): Unit<T, V>[][] => {
  const chunks: Unit<T, V>[][] = [];
  let chunk: Unit<T, V>[] = [];
  let keys = new Set<string>();
  for (const unit of units) {
    if (unit.keys.size + 1 > MAX_TRANSACTION_ITEMS) {
      failUnit(
        unit,
        new RangeError(
          `${settings.operator}: the records of item ${unit.ledgerKey.slice(settings.ledgerPrefix.length)} ` +
            `count towards ${unit.keys.size} aggregate keys in one batch; at most ${MAX_TRANSACTION_ITEMS - 1} ` +
            'fit a transaction',
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
const applyChunk = async <T extends Item, V>(
  chunk: readonly Unit<T, V>[],
  settings: ExactlyOnceSettings<T, V>,
): Promise<void> => {
  const { client, tableName, keyAttribute, measures } = settings;
  const aggregateKeys = [...new Set(chunk.flatMap((unit) => [...unit.keys]))];
  let attempts = 0;
  const attempt = async (): Promise<void> => {
    attempts += 1;
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
      // Zero-padded, so text order is the sequence numbers' numeric order.
      const pending = unit.records.filter(
        ({ item }) => applied === undefined || sortableSequence(item.sequenceNumber, item.snapshot) > applied,
      );
      const last = pending.at(-1)?.item;
      if (last === undefined) continue;
      for (const { contributions } of pending) {
        for (const { key, sign, value } of contributions) {
          const state = stateOf(key);
          for (const [name, measure] of Object.entries(measures)) {
            const current = state.get(name);
            state.set(name, sign === 1 ? measure.add(current, value) : measure.remove?.(current, value));
          }
        }
      }
      actions.push(ledgerUpdate(unit.ledgerKey, applied, last, settings));
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
    await write(client, actions);
  };
  try {
    // Each attempt reads again: the rows as the writer that won left them.
    await retrying(attempt, { policy: LOST_RACE_RETRY, clock: settings.clock, retryOn: isLostRace });
  } catch (error) {
    throw isLostRace(error) ? new AggregateConflictError(attempts, error, settings.operator) : error;
  }
};

/**
 * Moves a ledger row from the sequence number read (`applied`, undefined for none) to `last`'s, conditional on
 * it still holding what was read: the transaction's guard against every other writer of the same item.
 */
const ledgerUpdate = <T extends Item, V>(
  ledgerKey: string,
  applied: string | undefined,
  last: StreamItem<T>,
  settings: ExactlyOnceSettings<T, V>,
): Update => {
  const ttl = collectionAttributes(settings.ledgerTtl, last.approximateCreationDateTime ?? Date.now() / 1000);
  const ttlNames = Object.keys(ttl);
  return {
    TableName: settings.tableName,
    Key: marshall({ [settings.keyAttribute]: ledgerKey }),
    UpdateExpression: `SET #seq = :seq${ttlNames.length > 0 ? ', #ttl = :ttl' : ''}`,
    ConditionExpression: applied === undefined ? 'attribute_not_exists(#seq)' : '#seq = :applied',
    ExpressionAttributeNames: {
      '#seq': SOURCE_SEQUENCE_ATTRIBUTE,
      ...(ttlNames.length > 0 ? { '#ttl': ttlNames[0] as string } : {}),
    },
    ExpressionAttributeValues: marshall({
      ':seq': sortableSequence(last.sequenceNumber, last.snapshot),
      ...(applied === undefined ? {} : { ':applied': applied }),
      ...(ttlNames.length > 0 ? { ':ttl': Object.values(ttl)[0] } : {}),
    }),
  };
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

/**
 * DynamoDB's answer to a table that is missing or keyed otherwise than the operator writes ("The provided key
 * element does not match the schema"), said in the operator's terms; other errors as they are.
 */
const explainTableError = <T extends Item, V>(
  error: unknown,
  settings: ExactlyOnceSettings<T, V>,
): unknown => {
  if (!(error instanceof Error)) return error;
  const said = `DynamoDB said: ${error.name}: ${error.message}`;
  if (error.name === 'ResourceNotFoundException') {
    return new Error(
      `${settings.operator}: the aggregates table ${JSON.stringify(settings.tableName)} was not found; create ` +
        `it with a string partition key ${JSON.stringify(settings.keyAttribute)} and no sort key (${said})`,
      { cause: error },
    );
  }
  if (
    error.name === 'ValidationException' &&
    /key element does not match the schema|missing the key|key schema/i.test(error.message)
  ) {
    return new TypeError(
      `${settings.operator}: the aggregates table ${JSON.stringify(settings.tableName)} must have a string ` +
        `partition key ${JSON.stringify(settings.keyAttribute)} and no sort key (set keyAttribute to its ` +
        `partition key's name if it is another string key) (${said})`,
      { cause: error },
    );
  }
  return error;
};

/** Keys a BatchGetItem left unprocessed (throughput or its 16 MB response limit): read again after a backoff. */
class UnprocessedKeys extends Error {}

/**
 * Reads rows by partition key, consistently, in one BatchGetItem, and its unprocessed keys again with the
 * transient-error policy's backoff on the operator's clock, as DynamoDB asks
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
 */
const readRows = async <T extends Item, V>(
  settings: ExactlyOnceSettings<T, V>,
  keys: readonly string[],
): Promise<Map<string, Row>> => {
  const { client, tableName, keyAttribute } = settings;
  const rows = new Map<string, Row>();
  let request: BatchGetItemCommand['input']['RequestItems'] = {
    [tableName]: { Keys: keys.map((key) => marshall({ [keyAttribute]: key })), ConsistentRead: true },
  };
  const remaining = () => request?.[tableName]?.Keys?.length ?? 0;
  if (remaining() === 0) return rows;
  await retrying(
    async () => {
      const response: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({ RequestItems: request }),
      );
      for (const item of response.Responses?.[tableName] ?? []) {
        const row = unmarshall(item);
        rows.set(row[keyAttribute] as string, row);
      }
      request = response.UnprocessedKeys;
      if (remaining() > 0) throw new UnprocessedKeys();
    },
    { policy: TRANSIENT_RETRY, clock: settings.clock, retryOn: (error) => error instanceof UnprocessedKeys },
  );
  return rows;
};

export type { Contribution, ExactlyOnceSettings };
export { applyExactlyOnce };
