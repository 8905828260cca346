import type { AttributeMap } from '../../../../../src/records/attributeValue.js';
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
import { keyOf } from '../../keySchema.js';
import type { Table } from '../../Table.js';
import { parseStatement } from '../parseStatement.js';
import { type ItemRead, planItemRead } from '../planItemRead.js';
import { planWrite, type WritePlan } from '../planWrite.js';
import { runWrite } from '../runWrite.js';
import { projectItem } from '../selectProjection.js';
import { statementParameters } from '../statementParameters.js';
import { checkStatementRequests, type StatementRequest } from '../statementRequests.js';

/** At most 25 statements in one batch. */
const MAX_STATEMENTS = 25;

const STATEMENT_KINDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

/** One statement of the batch, planned, or the error that answers it. */
type Planned =
  | { readonly kind: 'read'; readonly read: ItemRead; readonly request: StatementRequest }
  | { readonly kind: 'write'; readonly plan: WritePlan; readonly request: StatementRequest }
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
    const context = { text: parsed.text, parameters: statementParameters(request.Parameters, parsed) };
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
    return { kind: 'write', plan: planWrite(statement, region, context), request };
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
    const { table, key } = entry.kind === 'read' ? entry.read : writtenKey(entry.plan);
    const identity = keyIdentity(table.name, key);
    if (seen.has(identity)) throw validationException('Provided list of item keys contains duplicates');
    seen.add(identity);
  }
};

/** The item a write names: an INSERT by the key attributes of its item, the others by their Key. */
const writtenKey = ({ table, kind, request }: WritePlan): { table: Table; key: AttributeMap } => ({
  table,
  key:
    kind === 'insert'
      ? keyOf(table.definition.keySchema, request.Item as AttributeMap)
      : (request.Key as AttributeMap),
});

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
  const responses = planned.map((entry): Record<string, unknown> => {
    if (entry.kind === 'failed') return errorResponse(entry.error);
    if (entry.kind === 'read') {
      const { table, key, list } = entry.read;
      const item = table.getItem(key);
      const consistency = entry.request.ConsistentRead === true ? 'strong' : 'eventual';
      usageFor(usages, table.name).addRead(itemReadUnits(item, consistency));
      if (item === undefined) return { TableName: table.name };
      return { TableName: table.name, Item: list === undefined ? item : projectItem(list, item) };
    }
    const { plan, request } = entry;
    try {
      const outcome = runWrite(plan, {
        ...(request.ReturnValuesOnConditionCheckFailure === undefined
          ? {}
          : { ReturnValuesOnConditionCheckFailure: request.ReturnValuesOnConditionCheckFailure }),
      });
      chargeItemWrite(
        usageFor(usages, plan.table.name),
        plan.table,
        outcome.key,
        outcome.existing,
        outcome.next,
      );
      return { TableName: plan.table.name, ...(outcome.item === undefined ? {} : { Item: outcome.item }) };
    } catch (error) {
      if (!(error instanceof AwsServiceError)) throw error;
      const known =
        error.name === 'ConditionalCheckFailedException' || error.name === 'DuplicateItemException';
      return errorResponse(error, known ? plan.table : undefined);
    }
  });
  return { Responses: responses, ...consumedCapacitiesMember(input.ReturnConsumedCapacity, usages.values()) };
};

export { batchExecuteStatement };
