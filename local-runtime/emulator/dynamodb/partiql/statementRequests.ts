import type { Constraints } from '../../validation/Constraints.js';
import { checkLength } from '../collectionConstraints.js';

/** A statement is at most 8 KB. */
const MAX_STATEMENT_LENGTH = 8192;

/** One entry of BatchExecuteStatement's Statements or ExecuteTransaction's TransactStatements. */
interface StatementRequest {
  readonly Statement: string;
  readonly Parameters?: unknown;
  readonly ConsistentRead?: unknown;
  readonly ReturnValuesOnConditionCheckFailure?: unknown;
}

/** The constraints on one statement's members, named as DynamoDB names them (`statements.1.member.statement`). */
const checkStatementMembers = (constraints: Constraints, member: string, request: unknown): void => {
  const entry = (request ?? {}) as Record<string, unknown>;
  constraints.notNull(`${member}.statement`, entry.Statement);
  constraints.length(`${member}.statement`, entry.Statement, 1, MAX_STATEMENT_LENGTH);
  checkLength(constraints, `${member}.parameters`, entry.Parameters, 1, Number.POSITIVE_INFINITY);
  constraints.oneOf(
    `${member}.returnValuesOnConditionCheckFailure`,
    entry.ReturnValuesOnConditionCheckFailure,
    ['ALL_OLD', 'NONE'],
  );
};

/**
 * The constraints on a list of statements (`statements` of a batch, `transactStatements` of a transaction):
 * present, 1 to `max` of them, each with its own members' constraints. Returns the list once it is checked.
 */
const checkStatementRequests = (
  constraints: Constraints,
  member: string,
  value: unknown,
  max: number,
): StatementRequest[] => {
  constraints.notNull(member, value);
  checkLength(constraints, member, value, 1, max);
  const requests = Array.isArray(value) ? value : [];
  requests.forEach((request, i) => {
    checkStatementMembers(constraints, `${member}.${i + 1}.member`, request);
  });
  constraints.check();
  return requests as StatementRequest[];
};

export type { StatementRequest };
export { checkStatementMembers, checkStatementRequests, MAX_STATEMENT_LENGTH };
