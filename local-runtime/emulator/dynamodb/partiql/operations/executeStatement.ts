import { validationException } from '../../../errors.js';
import type { Operation } from '../../../operation.js';
import { Constraints } from '../../../validation/Constraints.js';
import { RETURN_CONSUMED_CAPACITY } from '../../capacity/consumedCapacity.js';
import { checkLength } from '../../collectionConstraints.js';
import { atLeast, expectTypes } from '../../reads/readRequest.js';
import { decodeNextToken } from '../nextToken.js';
import { parseStatement } from '../parseStatement.js';
import { planSelect } from '../planSelect.js';
import { planStatementWrite } from '../planStatementWrite.js';
import { readSelect } from '../readSelect.js';
import { runWrite } from '../runWrite.js';
import { statementParameters } from '../statementParameters.js';
import { MAX_STATEMENT_LENGTH } from '../statementRequests.js';

/** The request's own constraints, checked before the statement is read. */
const checkRequest = (input: Record<string, unknown>): void => {
  expectTypes(input, ['Limit'], ['ConsistentRead']);
  const constraints = new Constraints();
  constraints.notNull('statement', input.Statement);
  constraints.length('statement', input.Statement, 1, MAX_STATEMENT_LENGTH);
  checkLength(constraints, 'parameters', input.Parameters, 1, Number.POSITIVE_INFINITY);
  constraints.length('nextToken', input.NextToken, 1, 32768);
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  atLeast(constraints, 'limit', input.Limit, 1);
  constraints.oneOf('returnValuesOnConditionCheckFailure', input.ReturnValuesOnConditionCheckFailure, [
    'ALL_OLD',
    'NONE',
  ]);
  constraints.check();
};

/**
 * One PartiQL statement. A SELECT reads a page as Query (when its WHERE clause pins the partition key) or Scan
 * would, with Limit, ConsistentRead and NextToken paging. INSERT, UPDATE and DELETE each write one item through
 * the path of PutItem, UpdateItem and DeleteItem, so stream records, indexes, ConsumedCapacity and
 * ReturnValuesOnConditionCheckFailure are theirs; INSERT fails with DuplicateItemException when the item
 * exists, UPDATE with ConditionalCheckFailedException when it does not. A write answers `Items: []`, or the
 * item its RETURNING clause asks for.
 */
const executeStatement: Operation = (input, { region }) => {
  checkRequest(input);
  const parsed = parseStatement(input.Statement as string);
  const parameters = statementParameters(input.Parameters, parsed);
  const context = { text: parsed.text, parameters };
  const { statement } = parsed;
  switch (statement.kind) {
    case 'select': {
      const consistentRead = input.ConsistentRead === true;
      const plan = planSelect(statement, region, context, consistentRead);
      return readSelect(plan, {
        ...(typeof input.Limit === 'number' ? { limit: Math.floor(input.Limit) } : {}),
        ...(typeof input.NextToken === 'string' ? { startKey: decodeNextToken(input.NextToken) } : {}),
        returnConsumedCapacity: input.ReturnConsumedCapacity,
        consistentRead,
      });
    }
    case 'exists':
      throw validationException('EXISTS can only be used in ExecuteTransaction write requests.');
    default: {
      const { item, report } = runWrite(planStatementWrite(statement, parsed, region, parameters), input);
      return { Items: item === undefined ? [] : [item], ...report };
    }
  }
};

export { executeStatement };
