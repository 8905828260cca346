import type { AttributeMap } from '../../../../../src/records/attributeValue.js';
import { AwsServiceError, validationException } from '../../../errors.js';
import type { Operation, OperationContext } from '../../../operation.js';
import { Constraints } from '../../../validation/Constraints.js';
import { RETURN_CONSUMED_CAPACITY } from '../../capacity/consumedCapacity.js';
import { compileExpressions, evaluateCondition } from '../../expressions/index.js';
import { transactGetItems } from '../../operations/transactGetItems.js';
import { transactWriteItems } from '../../operations/transactWriteItems.js';
import type { Statement } from '../ast.js';
import { parseStatement } from '../parseStatement.js';
import { type ItemRead, planItemRead } from '../planItemRead.js';
import { planWrite, type WritePlan } from '../planWrite.js';
import { prepareStatementWrite } from '../runWrite.js';
import { projectItem } from '../selectProjection.js';
import { DUPLICATE_ITEM_MESSAGE } from '../statementErrors.js';
import { statementParameters } from '../statementParameters.js';
import { checkStatementRequests, type StatementRequest } from '../statementRequests.js';
import { withStatementMessages } from '../withStatementMessages.js';

/** At most 100 statements in one transaction. */
const MAX_STATEMENTS = 100;

/** The TransactWriteItems action each kind of write statement is. */
const ACTIONS: Readonly<Record<WritePlan['kind'], string>> = {
  insert: 'Put',
  update: 'Update',
  delete: 'Delete',
  check: 'ConditionCheck',
};

type Planned =
  | { readonly kind: 'read'; readonly read: ItemRead }
  | { readonly kind: 'write'; readonly plan: WritePlan; readonly request: StatementRequest };

/**
 * Plans statement `index`. What is wrong with the statement as written (its grammar, its table) is reported as
 * it is; what is wrong with it against its table is reported as DynamoDB does for a transaction,
 * `Validation failed in TransactStatements[i]: …`.
 */
const planStatement = (request: StatementRequest, index: number, context: OperationContext): Planned => {
  const parsed = parseStatement(request.Statement);
  const parameters = statementParameters(request.Parameters, parsed);
  const values = { text: parsed.text, parameters };
  const statement: Statement = parsed.statement;
  try {
    if (statement.kind === 'select') {
      const invalid = () =>
        validationException(
          'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
        );
      return { kind: 'read', read: planItemRead(statement, context.region, values, invalid) };
    }
    if (statement.kind !== 'exists' && statement.returning !== undefined) {
      throw validationException('RETURNING clause is not supported in ExecuteTransaction.');
    }
    const plan = planWrite(statement, context.region, values);
    // Compiled here too, so that a fault of this statement's expressions is reported as this statement's.
    withStatementMessages(() =>
      plan.kind === 'check' ? compileExpressions(plan.request) : prepareStatementWrite(plan),
    );
    return { kind: 'write', plan, request };
  } catch (error) {
    if (error instanceof AwsServiceError && error.name === 'ValidationException') {
      throw validationException(`Validation failed in TransactStatements[${index}]: ${error.message}`);
    }
    throw error;
  }
};

type CancellationReason = Record<string, unknown> & { readonly Code: string };

/**
 * An UPDATE that sets a key attribute is a ValidationError, unless its WHERE clause fails first (the item is
 * not there, or its condition does not hold): DynamoDB checks a statement's condition before what it sets.
 */
const conditionFirst = (
  plan: WritePlan,
  reason: CancellationReason,
  request: StatementRequest | undefined,
): CancellationReason => {
  const write = prepareStatementWrite(plan);
  const existing = plan.table.getItem(write.key);
  if (
    write.fault === undefined ||
    write.condition === undefined ||
    evaluateCondition(write.condition, existing)
  ) {
    return reason;
  }
  const withItem = request?.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && existing !== undefined;
  return {
    Code: 'ConditionalCheckFailed',
    Message: 'The conditional request failed',
    ...(withItem ? { Item: existing } : {}),
  };
};

/**
 * A cancelled transaction, in the words of ExecuteTransaction: an INSERT whose item exists is a ValidationError
 * "Duplicate primary key exists in table" (not the failed condition it runs as), and a failed EXISTS is "The
 * conditional request failed." (DynamoDB Local's wording, which has the full stop).
 */
const statementCancellation = (
  error: AwsServiceError,
  plans: readonly WritePlan[],
  requests: readonly StatementRequest[],
): AwsServiceError => {
  const reasons = (error.members.CancellationReasons as CancellationReason[]).map((reason, i) => {
    const plan = plans[i] as WritePlan;
    const { kind } = plan;
    if (reason.Code === 'ValidationError' && kind === 'update')
      return conditionFirst(plan, reason, requests[i]);
    if (reason.Code !== 'ConditionalCheckFailed') return reason;
    if (kind === 'insert') return { Code: 'ValidationError', Message: DUPLICATE_ITEM_MESSAGE };
    if (kind === 'check') return { ...reason, Message: 'The conditional request failed.' };
    return reason;
  });
  return new AwsServiceError('TransactionCanceledException', undefined, {
    members: {
      CancellationReasons: reasons,
      Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
    },
  });
};

/** A transaction of writes: the TransactWriteItems request the statements are, run by TransactWriteItems. */
const runWrites = (
  planned: readonly Extract<Planned, { kind: 'write' }>[],
  input: Record<string, unknown>,
  context: OperationContext,
): Record<string, unknown> => {
  const plans = planned.map(({ plan }) => plan);
  const transactItems = planned.map(({ plan, request }) => ({
    [ACTIONS[plan.kind]]: {
      ...plan.request,
      ...(request.ReturnValuesOnConditionCheckFailure === undefined || plan.kind === 'insert'
        ? {}
        : { ReturnValuesOnConditionCheckFailure: request.ReturnValuesOnConditionCheckFailure }),
    },
  }));
  try {
    const result = withStatementMessages(() =>
      transactWriteItems(
        {
          TransactItems: transactItems,
          ...(input.ClientRequestToken === undefined ? {} : { ClientRequestToken: input.ClientRequestToken }),
          ...(input.ReturnConsumedCapacity === undefined
            ? {}
            : { ReturnConsumedCapacity: input.ReturnConsumedCapacity }),
        },
        context,
      ),
    ) as Record<string, unknown>;
    return { Responses: [], ...result };
  } catch (error) {
    if (error instanceof AwsServiceError && error.name === 'TransactionCanceledException') {
      throw statementCancellation(
        error,
        plans,
        planned.map(({ request }) => request),
      );
    }
    throw error;
  }
};

/** A transaction of reads: the TransactGetItems request the SELECTs are, each answer projected by its list. */
const runReads = (
  reads: readonly ItemRead[],
  input: Record<string, unknown>,
  context: OperationContext,
): Record<string, unknown> => {
  const result = transactGetItems(
    {
      TransactItems: reads.map(({ table, key }) => ({ Get: { TableName: table.name, Key: key } })),
      ...(input.ReturnConsumedCapacity === undefined
        ? {}
        : { ReturnConsumedCapacity: input.ReturnConsumedCapacity }),
    },
    context,
  ) as { Responses: { Item?: AttributeMap }[] } & Record<string, unknown>;
  const responses = result.Responses.map((response, i) => {
    const list = reads[i]?.list;
    return response.Item === undefined || list === undefined
      ? response
      : { Item: projectItem(list, response.Item) };
  });
  return { ...result, Responses: responses };
};

/**
 * Up to 100 statements, all or nothing, through the machinery of TransactWriteItems (INSERT a Put that must not
 * find its item, UPDATE an Update that must find it, DELETE a Delete, EXISTS a ConditionCheck) or, for SELECTs
 * of single items, TransactGetItems. So every condition is evaluated before anything is written, a cancelled
 * transaction lists a reason per statement and writes nothing, and a ClientRequestToken makes it idempotent.
 * Reads and writes are not mixed, as DynamoDB requires.
 */
const executeTransaction: Operation = (input, context) => {
  const constraints = new Constraints();
  constraints.length('clientRequestToken', input.ClientRequestToken, 1, 36);
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  const requests = checkStatementRequests(
    constraints,
    'transactStatements',
    input.TransactStatements,
    MAX_STATEMENTS,
  );
  const planned = requests.map((request, i) => planStatement(request, i, context));
  const reads = planned.flatMap((entry) => (entry.kind === 'read' ? [entry.read] : []));
  const writes = planned.flatMap((entry) => (entry.kind === 'write' ? [entry] : []));
  if (reads.length > 0 && writes.length > 0) {
    throw validationException(
      'ExecuteTransaction API does not support both read and write operations in the same request.',
    );
  }
  return reads.length > 0 ? runReads(reads, input, context) : runWrites(writes, input, context);
};

export { executeTransaction };
