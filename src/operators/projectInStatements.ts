import {
  BatchExecuteStatementCommand,
  type BatchExecuteStatementCommandOutput,
  type BatchStatementRequest,
  type BatchStatementResponse,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { OperatorFunction } from 'rxjs';
import type { RecordOutcome } from '../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import { sendTakingJson } from '../records/sendTakingJson.js';
import { withJsonBody } from '../records/withJsonBody.js';
import { nextStatement, type StatementStep } from './nextStatement.js';
import {
  type PendingRow,
  type RowSettlement,
  type ViewPut,
  writeEach,
  writeRowsInChunks,
} from './viewRows.js';
import { VIEW_SHAPE_ATTRIBUTE, viewShape } from './viewShape.js';
import { viewStatementOf } from './viewStatement.js';

/** BatchExecuteStatement takes at most 25 statements (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html). */
const MAX_STATEMENTS = 25;
/** Rows' JSON per request, well below DynamoDB's request size limit. */
const MAX_STATEMENT_BYTES = 3_500_000;
/** How many requests of one batch are in flight at once (100 rows): they hold different rows. */
const REQUESTS_IN_FLIGHT = 4;

/** Errors that say BatchExecuteStatement will not serve this caller: the role lacks PartiQL, or the endpoint. */
const UNAVAILABLE = new Set(['AccessDeniedException', 'UnknownOperationException', 'UnrecognizedOperation']);

/**
 * `project` with `writes: 'statements'` (the default): collects the invocation's records into one row per
 * source item (its last record's row, as `'transactions'` does) and writes the rows as PartiQL statements, 25
 * per BatchExecuteStatement, four requests in flight. Each statement is a single conditional write billed as
 * one (1 write capacity unit per KB of row), so a batch costs what `'each'` costs, or less when an item has
 * several records in it, in a twenty-fifth of the round trips.
 *
 * An item whose first record in the batch is an INSERT (snapshot records included) gets an INSERT; an item
 * that changed or was deleted gets an UPDATE conditioned on the row reflecting an older record and having the
 * same attribute names, or, when the row its old image makes has other names (a tombstone, an attribute gained
 * or lost), a `reshape` that also removes what the new row lacks, conditioned on that row's names (see
 * `viewStatementOf`, `firstStep`); a deleted item without an old image goes straight to PutItem. A statement that fails
 * and whose returned row holds this record or a newer one is settled, as a refused PutItem is. A row of
 * another shape is overwritten by a second statement conditioned on being exactly that row, a missing row is
 * INSERTed, an INSERT that finds a row becomes an UPDATE (`nextStatement`), all the chunk's follow-ups in one
 * more request; what is still unwritten after three rounds, and every other failure (throttling, a row without
 * a shape), falls back to the row's conditional PutItem, which decides exactly as `'each'` does. So the
 * guarantees are `project`'s, whatever the statements did.
 *
 * A role without `dynamodb:PartiQLInsert` and `dynamodb:PartiQLUpdate` on the view table (or an endpoint
 * without PartiQL) gets AccessDeniedException: the operator then writes every row with PutItem, says so once
 * on the console, and keeps working at `'each'`'s pace.
 * @internal
 */
const projectInStatements = <T extends Item>(
  options: { readonly client: DynamoDBClient; readonly tableName: string },
  putOf: (item: StreamItem<T>) => ViewPut,
  sequenceAttribute: string,
): OperatorFunction<StreamItem<T>, RecordOutcome> => {
  const state: StatementsState = { unavailable: false };
  return writeRowsInChunks(
    putOf,
    { maxRows: MAX_STATEMENTS, maxBytes: MAX_STATEMENT_BYTES, inFlight: REQUESTS_IN_FLIGHT },
    async (chunk, settle) => {
      const rest = state.unavailable
        ? chunk
        : await writeStatements(chunk, options, sequenceAttribute, settle, state);
      if (rest.length > 0) await writeEach(rest, options.client, settle);
    },
  );
};

/** Whether BatchExecuteStatement was refused for good, so that later batches go straight to PutItem. */
interface StatementsState {
  unavailable: boolean;
}

/** How many BatchExecuteStatement rounds a chunk gets (a follow-up for the rows refused), before PutItem. */
const MAX_ROUNDS = 3;

/**
 * Writes the chunk's rows as statements, in rounds: the first round sends each row's first statement
 * (`firstStep`); a refused statement may call for another (`nextStatement`: a `replace` of an older row of
 * another shape, an INSERT where no row was, an UPDATE where an INSERT found one), sent together in the next
 * round. Settles the rows written or found passed, and returns the rows left for PutItem.
 */
const writeStatements = async <T extends Item>(
  chunk: readonly PendingRow<T>[],
  options: { readonly client: DynamoDBClient; readonly tableName: string },
  sequenceAttribute: string,
  settle: RowSettlement<T>,
  state: StatementsState,
): Promise<PendingRow<T>[]> => {
  const rest: PendingRow<T>[] = [];
  let pending: { readonly row: PendingRow<T>; readonly step: StatementStep }[] = [];
  for (const row of chunk) {
    const step = firstStep(row);
    if (step === undefined) rest.push(row);
    else pending.push({ row, step });
  }
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0 && !state.unavailable; round += 1) {
    const sent: {
      readonly row: PendingRow<T>;
      readonly step: StatementStep;
      readonly request: BatchStatementRequest;
    }[] = [];
    for (const { row, step } of pending) {
      const request = viewStatementOf(
        step.kind,
        { put: row.put, keyNames: row.keyNames, sequenceAttribute },
        step.replaced,
      );
      if (request === undefined) rest.push(row);
      else sent.push({ row, step, request });
    }
    pending = [];
    if (sent.length === 0) break;
    let responses: readonly BatchStatementResponse[] | undefined;
    try {
      // The statements and their answers as JSON, without the SDK's serializer and deserializer (their walks
      // over every parameter cost more than the rest of a row's way); a stub client answers through the SDK.
      const command = withJsonBody(
        new BatchExecuteStatementCommand({ Statements: sent.map(({ request }) => request) }),
        { Statements: [] },
      );
      const output = await sendTakingJson<BatchExecuteStatementCommandOutput>(
        options.client,
        command,
        (parsed) => {
          responses = parsed.Responses as BatchStatementResponse[] | undefined;
          return {};
        },
      );
      responses ??= output.Responses;
    } catch (error) {
      const { name, message } = error as { name?: string; message?: string };
      if (UNAVAILABLE.has(name ?? '')) giveUp(state, options.tableName, `${name}: ${message}`);
      rest.push(...sent.map(({ row }) => row));
      break;
    }
    sent.forEach(({ row, step }, index) => {
      const response = responses?.[index];
      if (response === undefined) {
        rest.push(row);
        return;
      }
      const verdict = nextStatement(step, response.Error, sequenceOf(row), sequenceAttribute);
      switch (verdict.kind) {
        case 'done':
          return;
        case 'settled':
          settle.settleRow(row);
          return;
        case 'next':
          pending.push({ row, step: verdict.step });
          return;
        case 'unavailable':
          // IAM may refuse statement by statement (PartiQLInsert allowed, PartiQLUpdate not): the same for good.
          giveUp(state, options.tableName, `AccessDenied: ${response.Error?.Message ?? ''}`);
          rest.push(row);
          return;
        default:
          rest.push(row);
      }
    });
  }
  // Rows still owed a statement after the last round go to PutItem too.
  rest.push(...pending.map(({ row }) => row));
  return rest;
};

/** Writes every later row with PutItem, and says why once. */
const giveUp = (state: StatementsState, tableName: string, reason: string): void => {
  if (state.unavailable) return;
  state.unavailable = true;
  console.warn(
    `project: BatchExecuteStatement on ${tableName} was refused (${reason}); writing each row with PutItem ` +
      "from now on. Allow dynamodb:PartiQLInsert and dynamodb:PartiQLUpdate on the view table, or set writes: 'each'.",
  );
};

/**
 * A row's first statement: INSERT for an item whose first record here is an INSERT (it had no row before it,
 * unless the stream is being replayed); for one that changed or was deleted, an UPDATE when its row keeps the
 * attribute names of the row before the batch (the old image's), a `reshape` of that row when they differ (a
 * tombstone for a live row, a live row for a tombstone, an attribute gained or lost). Without an old image, a
 * deleted item's tombstone goes to PutItem, as an UPDATE would find another shape.
 */
const firstStep = <T extends Item>(row: PendingRow<T>): StatementStep | undefined => {
  if (row.records[0]?.eventName === 'INSERT') return { kind: 'insert' };
  const shape = row.put.Item?.[VIEW_SHAPE_ATTRIBUTE];
  if (row.priorNames === undefined || shape?.S === undefined) {
    return row.records.at(-1)?.eventName === 'REMOVE' ? undefined : { kind: 'update' };
  }
  const priorShape = viewShape(row.priorNames);
  if (priorShape === shape.S) return { kind: 'update' };
  return { kind: 'reshape', replaced: { shape: { S: priorShape }, names: row.priorNames } };
};

/** The zero-padded sequence of the row's last record, which its writes are conditioned on. */
const sequenceOf = <T extends Item>(row: PendingRow<T>): string =>
  row.put.ExpressionAttributeValues?.[':seq']?.S ?? '';

export { projectInStatements };
