import { AwsServiceError, validationException } from '../../../errors.js';
import type { Operation } from '../../../operation.js';
import type { Region } from '../../../Region.js';
import { Constraints } from '../../../validation/Constraints.js';
import { chargeItemWrite } from '../../capacity/chargeItemWrite.js';
import {
  type CapacityUsage,
  consumedCapacitiesMember,
  itemReadUnits,
  RETURN_CONSUMED_CAPACITY,
  usageFor,
} from '../../capacity/consumedCapacity.js';
import { keyIdentity } from '../../keyIdentity.js';
import type { Table } from '../../Table.js';
import { parseStatement } from '../parseStatement.js';
import { type ItemRead, planItemRead } from '../planItemRead.js';
import { planStatementWrite } from '../planStatementWrite.js';
import { runWrite, type StatementWrite } from '../runWrite.js';
import { projectItem } from '../selectProjection.js';
import { statementParameters } from '../statementParameters.js';
import { checkStatementRequests, type StatementRequest } from '../statementRequests.js';

/** At most 25 statements in one batch. */
const MAX_STATEMENTS = 25;

const STATEMENT_KINDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

/** One statement of the batch, planned, or the error that answers it. */
type Planned =
  | { readonly kind: 'read'; readonly read: ItemRead; readonly request: StatementRequest }
  | { readonly kind: 'write'; readonly write: StatementWrite; readonly request: StatementRequest }
  | { readonly kind: 'failed'; readonly error: AwsServiceError };

/** The BatchStatementError codes of DynamoDB's exceptions: the name without `Exception`. */
const errorCode = (error: AwsServiceError): string =>
  error.name === 'ValidationException' ? 'ValidationError' : error.name.replace(/Exception$/, '');

/** A statement's failure as its entry of Responses: `Error {Code, Message, Item?}`, and the table if known. */
const errorResponse = (error: AwsServiceError, table?: Table): Record<string, unknown> => {
  const item = error.members.Item;
  const message = error.hasMessage ? error.message : error.members.Message;
  return {
    Error: {
      Code: errorCode(error),
      ...(message === undefined ? {} : { Message: message }),
      ...(item === undefined ? {} : { Item: item }),
    },
    ...(table === undefined ? {} : { TableName: table.name }),
  };
};

/** Reads and plans one statement; its problems become its own answer, not the batch's. */
const planStatement = (request: StatementRequest, region: Region): Planned => {
  try {
    const first = /^\s*([A-Za-z]+)/.exec(request.Statement)?.[1]?.toUpperCase();
    if (first === undefined || !STATEMENT_KINDS.has(first)) {
      throw validationException(
        'Invalid operation. Only select, insert, update and delete operations are valid',
      );
    }
    const parsed = parseStatement(request.Statement);
    const parameters = statementParameters(request.Parameters, parsed);
    const context = { text: parsed.text, parameters };
    const { statement } = parsed;
    if (statement.kind === 'select') {
      const invalid = () => validationException('Only single item select is supported');
      return { kind: 'read', read: planItemRead(statement, region, context, invalid), request };
    }
    if (statement.kind === 'exists') {
      throw validationException(
        'Invalid operation. Only select, insert, update and delete operations are valid',
      );
    }
    return { kind: 'write', write: planStatementWrite(statement, parsed, region, parameters), request };
  } catch (error) {
    if (error instanceof AwsServiceError) return { kind: 'failed', error };
    throw error;
  }
};

/**
 * The batch's own rules, before anything runs: reads and writes are not mixed, and no two statements name one
 * item (DynamoDB's messages).
 */
const checkBatch = (planned: readonly Planned[]): void => {
  const reads = planned.some((entry) => entry.kind === 'read');
  const writes = planned.some((entry) => entry.kind === 'write');
  if (reads && writes) {
    throw validationException('Read and write requests together in the same batch is not supported.');
  }
  const seen = new Set<string>();
  for (const entry of planned) {
    if (entry.kind === 'failed') continue;
    const { table, key } = entry.kind === 'read' ? entry.read : entry.write;
    const identity = keyIdentity(table.name, key);
    if (seen.has(identity)) throw validationException('Provided list of item keys contains duplicates');
    seen.add(identity);
  }
};

/**
 * Up to 25 statements, all reads (each a SELECT of one item by its full key) or all writes (INSERT, UPDATE,
 * DELETE), each answered on its own: a statement that fails (its condition, a duplicate INSERT, a malformed
 * statement, an unknown table) gets `Error {Code, Message}` in its place in Responses and the others still
 * run. Writes go through the same single-item write path as ExecuteStatement, one stream record per change.
 */
const batchExecuteStatement: Operation = (input, { region }) => {
  const constraints = new Constraints();
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  const requests = checkStatementRequests(constraints, 'statements', input.Statements, MAX_STATEMENTS);
  const planned = requests.map((request) => planStatement(request, region));
  checkBatch(planned);

  const usages = new Map<string, CapacityUsage>();
  // Capacity is only counted when the response reports it: the counts have no other reader.
  const { ReturnConsumedCapacity: capacityMode } = input;
  const counted = capacityMode === 'TOTAL' || capacityMode === 'INDEXES';
  const responses = planned.map((entry): Record<string, unknown> => {
    if (entry.kind === 'failed') return errorResponse(entry.error);
    if (entry.kind === 'read') {
      const { table, key, list } = entry.read;
      const item = table.getItem(key);
      const consistency = entry.request.ConsistentRead === true ? 'strong' : 'eventual';
      if (counted) usageFor(usages, table.name).addRead(itemReadUnits(item, consistency));
      if (item === undefined) return { TableName: table.name };
      return { TableName: table.name, Item: list === undefined ? item : projectItem(list, item) };
    }
    const { write, request } = entry;
    try {
      const outcome = runWrite(write, {
        ...(request.ReturnValuesOnConditionCheckFailure === undefined
          ? {}
          : { ReturnValuesOnConditionCheckFailure: request.ReturnValuesOnConditionCheckFailure }),
      });
      if (counted) {
        chargeItemWrite(
          usageFor(usages, write.table.name),
          write.table,
          outcome.key,
          outcome.existing,
          outcome.next,
        );
      }
      return { TableName: write.table.name, ...(outcome.item === undefined ? {} : { Item: outcome.item }) };
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      const known =
        error.name === 'ConditionalCheckFailedException' || error.name === 'DuplicateItemException';
      return errorResponse(error, known ? write.table : undefined);
    }
  });
  return { Responses: responses, ...consumedCapacitiesMember(capacityMode, usages.values()) };
};

export { batchExecuteStatement };
