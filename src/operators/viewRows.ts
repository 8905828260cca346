import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  type Put,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { concatMap, from, mergeMap, type OperatorFunction, toArray } from 'rxjs';
import { BatchOutcomes } from '../pipeline/BatchOutcomes.js';
import type { RecordOutcome } from '../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';

/**
 * One view row to write: the put of an item's last record in the batch, the records it stands for, and what
 * the batched write modes need besides (the row's size, the view key's attribute names).
 * @internal
 */
interface PendingRow<T extends Item> {
  put: Put;
  bytes: number;
  /** The view key's attribute names (the row's other attributes are what a PartiQL UPDATE sets). */
  keyNames: readonly string[];
  /** The attribute names of the row the item's first record here expects to replace (see `ViewPut`). */
  readonly priorNames: readonly string[] | undefined;
  readonly records: StreamItem<T>[];
}

/** A record's conditional put and its view key's attribute names. @internal */
interface ViewPut {
  readonly put: Put;
  readonly keyNames: readonly string[];
  /**
   * The attribute names of the row that the item's image before this record makes (its old image's row, or
   * its tombstone), when known: `'statements'` then reshapes that row in one statement. A function, asked only
   * of an item's first record in the batch (the others' rows are the batch's own).
   */
  readonly priorNames?: () => readonly string[] | undefined;
}

/**
 * What becomes of a row that is not written: it fails (with its item's records), or it was already passed.
 * @internal
 */
interface RowSettlement<T extends Item> {
  readonly failRow: (row: PendingRow<T>, error: unknown) => void;
  readonly settleRow: (row: PendingRow<T>) => void;
}

/**
 * The batch's rows, one per source item: computes every record's put (a record whose put cannot be made fails,
 * with its item's later records) and keeps per item the put of its last good record. Records of one item
 * arrive in stream order, so the last one's row is the row they all end in: writing only it leaves the view as
 * writing each in turn would.
 * @internal
 */
const collectRows = <T extends Item>(
  batch: readonly StreamItem<T>[],
  outcomes: BatchOutcomes<T>,
  putOf: (item: StreamItem<T>) => ViewPut,
): PendingRow<T>[] => {
  const rows = new Map<string, PendingRow<T>>();
  for (const item of batch) {
    if (outcomes.failIfEarlierFailed(item)) continue;
    let viewPut: ViewPut;
    try {
      viewPut = putOf(item);
    } catch (error) {
      outcomes.fail(item, error);
      continue;
    }
    const { put, keyNames, priorNames } = viewPut;
    const bytes = JSON.stringify(put.Item).length;
    const row = rows.get(item.itemKey);
    // The row before the batch is the one the item's first record here replaces.
    if (row === undefined) {
      rows.set(item.itemKey, { put, bytes, keyNames, priorNames: priorNames?.(), records: [item] });
    } else {
      row.put = put;
      row.bytes = bytes;
      row.keyNames = keyNames;
      row.records.push(item);
    }
  }
  return [...rows.values()];
};

/** Settlement that fails or supersedes every record a row stands for. @internal */
const settlementOf = <T extends Item>(outcomes: BatchOutcomes<T>): RowSettlement<T> => ({
  failRow: (row, error) => {
    for (const item of row.records) outcomes.fail(item, error);
  },
  // The view holds a newer record than the row's last: every record of the row was already passed.
  settleRow: (row) => {
    for (const item of row.records) outcomes.supersede(item);
  },
});

/**
 * Rows in groups of at most `maxRows` rows and `maxBytes` of row JSON (a group of one may exceed it), in
 * order.
 * @internal
 */
const chunksOf = <R extends { readonly bytes: number }>(
  rows: readonly R[],
  maxRows: number,
  maxBytes: number,
): R[][] => {
  const chunks: R[][] = [];
  let chunk: R[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (chunk.length === maxRows || (chunk.length > 0 && bytes + row.bytes > maxBytes)) {
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
 * Runs `write` over the chunks, at most `inFlight` at once; a chunk whose write throws fails its rows. The
 * chunks hold different rows, so the order they land in is moot.
 * @internal
 */
const writeChunks = async <T extends Item>(
  chunks: readonly (readonly PendingRow<T>[])[],
  inFlight: number,
  settle: RowSettlement<T>,
  write: (chunk: readonly PendingRow<T>[]) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    for (let chunk = chunks[next++]; chunk !== undefined; chunk = chunks[next++]) {
      try {
        await write(chunk);
      } catch (error) {
        for (const row of chunk) settle.failRow(row, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, chunks.length) }, worker));
};

/** A request's limits (rows, bytes of row JSON) and how many requests of one batch are in flight. @internal */
interface ChunkLimits {
  readonly maxRows: number;
  readonly maxBytes: number;
  readonly inFlight: number;
}

/**
 * The part `project`'s batched write modes share: collects the invocation's records into one row per source
 * item (`collectRows`), cuts the rows into chunks within `limits`, hands each chunk to `write` (which settles
 * or fails its rows; a chunk whose `write` throws fails them all), and emits one outcome per record, in order.
 * @internal
 */
const writeRowsInChunks = <T extends Item>(
  putOf: (item: StreamItem<T>) => ViewPut,
  limits: ChunkLimits,
  write: (chunk: readonly PendingRow<T>[], settle: RowSettlement<T>) => Promise<void>,
): OperatorFunction<StreamItem<T>, RecordOutcome> => {
  const applyBatch = async (batch: readonly StreamItem<T>[]): Promise<RecordOutcome[]> => {
    const outcomes = new BatchOutcomes<T>();
    const settle = settlementOf(outcomes);
    const chunks = chunksOf(collectRows(batch, outcomes, putOf), limits.maxRows, limits.maxBytes);
    await writeChunks(chunks, limits.inFlight, settle, (chunk) => write(chunk, settle));
    return outcomes.outcomes(batch);
  };
  return (items) =>
    items.pipe(
      toArray(),
      concatMap((batch) => from(applyBatch(batch))),
      mergeMap((outcomes) => outcomes),
    );
};

/**
 * The rows as `writes: 'each'` writes them: one conditional PutItem each, all at once, a refusal by the
 * condition settled (the view holds a newer record).
 * @internal
 */
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

export type { PendingRow, RowSettlement, ViewPut };
export { writeEach, writeRowsInChunks };
