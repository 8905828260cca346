import { resourceNotFoundException } from '../errors.js';
import type { Region } from '../Region.js';
import { Constraints } from '../validation/Constraints.js';
import type { Table } from './Table.js';

/** Validates `TableName` and finds the table, answering as DynamoDB does when it does not exist. */
const requireTable = (region: Region, input: Record<string, unknown>, notFoundDetail = false): Table => {
  const constraints = new Constraints();
  constraints.tableName('tableName', input.TableName);
  constraints.check();
  const name = input.TableName as string;
  const table = region.tables.get(name);
  if (table === undefined) {
    // DescribeTable and DeleteTable name the table; item operations do not.
    throw resourceNotFoundException(
      notFoundDetail
        ? `Requested resource not found: Table: ${name} not found`
        : 'Requested resource not found',
    );
  }
  return table;
};

export { requireTable };
