import { resourceNotFoundException } from '../errors.js';
import type { Constraints } from '../validation/Constraints.js';
import { requireTable, type TableScope } from './requireTable.js';
import type { Table } from './Table.js';

const TABLE_ARN = /^arn:[^:]+:dynamodb:([^:]*):([^:]*):table\/([^/]+)$/;

/**
 * Checks a table reference in a batch or transaction: a table name, or (as DynamoDB accepts since tables have
 * resource policies) a table ARN, up to 1024 characters.
 */
const checkTableReference = (constraints: Constraints, member: string, value: unknown): void => {
  if (typeof value === 'string' && value.startsWith('arn:')) {
    constraints.length(member, value, 1, 1024);
    return;
  }
  constraints.tableName(member, value);
};

/** The table a name or an ARN refers to, in this region and account; ResourceNotFoundException otherwise. */
const tableByReference = (scope: TableScope, reference: string): Table => {
  if (!reference.startsWith('arn:')) return requireTable(scope, { TableName: reference });
  const match = TABLE_ARN.exec(reference);
  const { region } = scope;
  if (match === null || match[1] !== region.name || match[2] !== region.accountId)
    throw resourceNotFoundException();
  return requireTable(scope, { TableName: match[3] });
};

export { checkTableReference, tableByReference };
