import { resourceNotFoundException } from '../../errors.js';
import type { Region } from '../../Region.js';
import type { Table } from '../Table.js';
import type { Identifier } from './ast.js';

/**
 * The table a statement names. A statement's table name is not checked against the TableName pattern first,
 * as the API members are: any name that is not a table is simply not found.
 */
const tableOf = (region: Region, name: Identifier): Table => {
  const table = region.tables.get(name.name);
  if (table === undefined) throw resourceNotFoundException();
  return table;
};

export { tableOf };
