import {
  type CancellationReason,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  type Put,
  PutItemCommand,
  TransactionCanceledException,
  TransactionConflictException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { concatMap, from, mergeMap, type OperatorFunction, toArray } from 'rxjs';
import { BatchOutcomes } from '../pipeline/BatchOutcomes.js';
import type { RecordOutcome } from '../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import { backoffDelay } from '../retry/RetryPolicy.js';
import { type Clock, systemClock } from '../time/clock.js';
import { LOST_RACE_RETRY } from './aggregates/lostRace.js';

/**
 * How `project` writes a batch's rows: `'each'` (one conditional PutItem per record, the default) or
 * `'transactions'` (up to 100 rows per TransactWriteItems, at twice the write capacity).
 *
 * @example
 * project({ client, tableName: 'order-view', view, writes: 'transactions' });
 */
type ProjectWrites = 'each' | 'transactions';

const WRITE_MODES: readonly ProjectWrites[] = ['each', 'transactions'];

/** Throws a clear error for a `writes` setting that is not one of the modes. */
const checkProjectWrites = (writes: unknown): void => {
  if (writes !== undefined && !WRITE_MODES.includes(writes as ProjectWrites)) {
    throw new RangeError(
      `project: writes is ${JSON.stringify(writes)}; use 'each' (one conditional PutItem per record, the ` +
        "default) or 'transactions' (up to 100 rows per TransactWriteItems, twice the write capacity)",
    );
  }
};

/** TransactWriteItems takes at most 100 actions and 4 MB in all. */
const MAX_TRANSACTION_ITEMS = 100;
/** Below the 4 MB request limit, with room for the request's own JSON around the rows. */
const MAX_TRANSACTION_BYTES = 3_500_000;
/** How many transactions of one batch are in flight at once: they hold different rows, so order is moot. */
const TRANSACTIONS_IN_FLIGHT = 4;

/** One view row to write: the put of an item's last record in the batch, and the records it stands for. */
interface PendingRow<T extends Item> {
  put: Put;
  bytes: number;
  readonly records: StreamItem<T>[];
}

/** Cancellation reasons that only mean "send again": nothing of this row was wrong. */
const RETRYABLE_REASONS = new Set(['None', 'TransactionConflict', 'ThrottlingError', undefined]);

/**
 * `project` with `writes: 'transactions'`: collects the invocation's records, computes every record's put (a
 * record whose put cannot be made fails, with its item's later records), keeps per item the put of its last
 * good record, and writes those rows in transactions of up to 100. A row that a transaction's cancellation
 * reasons say was refused by its condition (`ConditionalCheckFailed`: the view holds a newer record) is
 * settled; the rest are sent again after a backoff on `clock` (`LOST_RACE_RETRY`), and fail when the attempts
 * run out, to be delivered again. The guarantees are `project`'s: every write is conditional on the row
 * reflecting an older record, so a resent, duplicate or replayed row never moves a row backwards.
 * @internal
 */
const projectInTransactions =
  <T extends Item>(
    options: { readonly client: DynamoDBClient; readonly clock?: Clock },
    putOf: (item: StreamItem<T>) => Put,
  ): OperatorFunction<StreamItem<T>, RecordOutcome> =>
  (items) =>
    items.pipe(
      toArray(),
      concatMap((batch) => from(applyRows(batch, options.client, options.clock ?? systemClock, putOf))),
      mergeMap((outcomes) => outcomes),
    );

const applyRows = async <T extends Item>(
  batch: readonly StreamItem<T>[],
  client: DynamoDBClient,
  clock: Clock,
  putOf: (item: StreamItem<T>) => Put,
): Promise<RecordOutcome[]> => {
  const outcomes = new BatchOutcomes<T>();
  const rows = new Map<string, PendingRow<T>>();
  for (const item of batch) {
    if (outcomes.failIfEarlierFailed(item)) continue;
    let put: Put;
    try {
      put = putOf(item);
    } catch (error) {
      outcomes.fail(item, error);
      continue;
    }
    // Records of one item arrive in stream order: the last one's row is the row they all end in.
    const bytes = JSON.stringify(put.Item).length;
    const row = rows.get(item.itemKey);
    if (row === undefined) rows.set(item.itemKey, { put, bytes, records: [item] });
    else {
      row.put = put;
      row.bytes = bytes;
      row.records.push(item);
    }
  }
  const chunks = chunksOf([...rows.values()]);
  let next = 0;
  const worker = async () => {
    for (let chunk = chunks[next++]; chunk !== undefined; chunk = chunks[next++]) {
      try {
        await writeChunk(chunk, client, clock, {
          failRow: (row, error) => {
            for (const item of row.records) outcomes.fail(item, error);
          },
          // The view holds a newer record than the row's last: every record of the row was already passed.
          settleRow: (row) => {
            for (const item of row.records) outcomes.supersede(item);
          },
        });
      } catch (error) {
        for (const row of chunk) for (const item of row.records) outcomes.fail(item, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(TRANSACTIONS_IN_FLIGHT, chunks.length) }, worker));
  return outcomes.outcomes(batch);
};

/** What becomes of a row that is not written: it fails (with its item's records), or it was already passed. */
interface RowSettlement<T extends Item> {
  readonly failRow: (row: PendingRow<T>, error: unknown) => void;
  readonly settleRow: (row: PendingRow<T>) => void;
}

/** Rows in groups that each fit one transaction (100 actions, under 4 MB). */
const chunksOf = <T extends Item>(rows: readonly PendingRow<T>[]): PendingRow<T>[][] => {
  const chunks: PendingRow<T>[][] = [];
  let chunk: PendingRow<T>[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (
      chunk.length === MAX_TRANSACTION_ITEMS ||
      (chunk.length > 0 && bytes + row.bytes > MAX_TRANSACTION_BYTES)
    ) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += row.bytes;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
};

/**
 * Writes a chunk's rows: one transaction, and after a cancellation another one at once with the rows that
 * were not refused by their condition, until none is left. A conflict with another transaction (or throttling)
 * waits a LOST_RACE_RETRY backoff first, and when its attempts run out the rows still unwritten fail, as they
 * do on any other error. A row the cancellation names as invalid fails alone (`failRow`), and a transaction
 * refused as a whole (ValidationException: a row too large, two rows for one view key) is written row by row
 * instead, so that, as with `writes: 'each'`, one bad row fails only its own item's records.
 */
const writeChunk = async <T extends Item>(
  chunk: readonly PendingRow<T>[],
  client: DynamoDBClient,
  clock: Clock,
  settle: RowSettlement<T>,
): Promise<void> => {
  let rows = chunk;
  for (let lostRaces = 0; ; ) {
    try {
      await client.send(
        new TransactWriteItemsCommand({ TransactItems: rows.map((row) => ({ Put: row.put })) }),
      );
      return;
    } catch (error) {
      if ((error as { name?: string }).name === 'ValidationException') {
        await writeEach(rows, client, settle);
        return;
      }
      let lostRace = error instanceof TransactionConflictException;
      if (error instanceof TransactionCanceledException) {
        const resend = rowsToResend(rows, error, settle);
        if (resend.length === 0) return;
        // Only refusals and bystanders: send the others again at once. Anything else waits, as a lost race.
        lostRace = resend.length === rows.length || (error.CancellationReasons ?? []).some(isContended);
        rows = resend;
      } else if (!lostRace) throw error;
      if (lostRace) {
        lostRaces += 1;
        if (lostRaces >= LOST_RACE_RETRY.maxAttempts) throw error;
        await clock.sleep(backoffDelay(LOST_RACE_RETRY, lostRaces, Math.random));
      }
    }
  }
};

/** The rows as `writes: 'each'` writes them: one conditional PutItem each, a refusal by the condition settled. */
const writeEach = async <T extends Item>(
  rows: readonly PendingRow<T>[],
  client: DynamoDBClient,
  settle: RowSettlement<T>,
): Promise<void> => {
  await Promise.all(
    rows.map(async (row) => {
      try {
        await client.send(new PutItemCommand(row.put));
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) settle.settleRow(row);
        else settle.failRow(row, error);
      }
    }),
  );
};

const isContended = (reason: CancellationReason): boolean =>
  reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError';

/**
 * The rows of a cancelled transaction to send again: those whose reason is `None` (they were fine; another
 * row cancelled the transaction), a conflict with another transaction or throttling. A row refused by its
 * condition is settled (the view already reflects a newer record). A row with any other reason (a validation
 * error, say) fails, with an error that names the reason.
 */
const rowsToResend = <T extends Item>(
  rows: readonly PendingRow<T>[],
  error: TransactionCanceledException,
  settle: RowSettlement<T>,
): PendingRow<T>[] => {
  const reasons: readonly (CancellationReason | undefined)[] = error.CancellationReasons ?? [];
  if (reasons.length !== rows.length) throw error;
  const resend: PendingRow<T>[] = [];
  rows.forEach((row, index) => {
    const reason = reasons[index];
    if (reason?.Code === 'ConditionalCheckFailed') {
      settle.settleRow(row);
      return;
    }
    if (RETRYABLE_REASONS.has(reason?.Code)) resend.push(row);
    else {
      const refusal = new Error(
        `project: TransactWriteItems refused the view row ${JSON.stringify(row.put.Item)?.slice(0, 200)}: ` +
          `${reason?.Code}${reason?.Message === undefined ? '' : ` (${reason.Message})`}`,
        { cause: error },
      );
      settle.failRow(row, refusal);
    }
  });
  return resend;
};

export type { ProjectWrites };
export { checkProjectWrites, projectInTransactions };
