import { resourceNotFoundException } from '../errors.js';
import type { OperationContext } from '../operation.js';
import { Constraints } from '../validation/Constraints.js';
import { tableStateOf } from './controlPlane/TableState.js';
import type { Table } from './Table.js';

/** What finding a table for an item operation takes: the region, and the clock and delay its status comes from. */
type TableScope = Pick<OperationContext, 'region' | 'clock' | 'tableStatusDelayMs'>;

/**
 * Validates `TableName` and finds the table for an item operation, answering as DynamoDB does when there is
 * none. A table still CREATING is not there yet for item operations, and a DELETING one has already left
 * `region.tables`: DynamoDB answers both as it answers a missing table (dynalite's db/index.js getTable, whose
 * tests were recorded against DynamoDB: "should return ResourceNotFoundException if table is being created").
 */
const requireTable = (scope: TableScope, input: Record<string, unknown>, notFoundDetail = false): Table => {
  const constraints = new Constraints();
  constraints.tableName('tableName', input.TableName);
  constraints.check();
  const name = input.TableName as string;
  const table = scope.region.tables.get(name);
  if (table === undefined || creating(scope, table)) {
    // DescribeTable and DeleteTable name the table; item operations do not.
    throw resourceNotFoundException(
      notFoundDetail
        ? `Requested resource not found: Table: ${name} not found`
        : 'Requested resource not found',
    );
  }
  return table;
};

const creating = (scope: TableScope, table: Table): boolean =>
  scope.tableStatusDelayMs > 0 &&
  tableStateOf(scope.region, table).status(scope.clock.now(), scope.tableStatusDelayMs) === 'CREATING';

export type { TableScope };
export { requireTable };
