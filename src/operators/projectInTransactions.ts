import {
  type CancellationReason,
  type DynamoDBClient,
  TransactionCanceledException,
  TransactionConflictException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { OperatorFunction } from 'rxjs';
import type { RecordOutcome } from '../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import { backoffDelay } from '../retry/RetryPolicy.js';
import { type Clock, systemClock } from '../time/clock.js';
import { LOST_RACE_RETRY } from './aggregates/lostRace.js';
import {
  type PendingRow,
  type RowSettlement,
  type ViewPut,
  writeEach,
  writeRowsInChunks,
} from './viewRows.js';

/** TransactWriteItems takes at most 100 actions and 4 MB in all. */
const MAX_TRANSACTION_ITEMS = 100;
/** Below the 4 MB request limit, with room for the request's own JSON around the rows. */
const MAX_TRANSACTION_BYTES = 3_500_000;
/** How many transactions of one batch are in flight at once: they hold different rows, so order is moot. */
const TRANSACTIONS_IN_FLIGHT = 4;

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
const projectInTransactions = <T extends Item>(
  options: { readonly client: DynamoDBClient; readonly clock?: Clock },
  putOf: (item: StreamItem<T>) => ViewPut,
): OperatorFunction<StreamItem<T>, RecordOutcome> => {
  const clock = options.clock ?? systemClock;
  return writeRowsInChunks(
    putOf,
    { maxRows: MAX_TRANSACTION_ITEMS, maxBytes: MAX_TRANSACTION_BYTES, inFlight: TRANSACTIONS_IN_FLIGHT },
    (chunk, settle) => writeChunk(chunk, options.client, clock, settle),
  );
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

export { projectInTransactions };
