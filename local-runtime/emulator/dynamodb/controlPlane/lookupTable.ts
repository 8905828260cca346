import { onRollback, recordingUndo } from '../../atomic/requestScope.js';
import { AwsServiceError, resourceInUseException, resourceNotFoundException } from '../../errors.js';
import type { OperationContext } from '../../operation.js';
import type { Region } from '../../Region.js';
import { Constraints } from '../../validation/Constraints.js';
import type { Table } from '../Table.js';
import { type TableState, type TableStatus, tableStateOf } from './TableState.js';

/** A table found by name, in any status: a DELETING table is still found until it is gone. */
interface TableLookup {
  readonly table: Table;
  readonly state: TableState;
  readonly status: TableStatus;
}

/** Forgets deleted tables whose DELETING status is over. */
const purgeDeletedTables = (region: Region, now: number): void => {
  for (const [name, deleting] of region.deletingTables) {
    if (deleting.goneAt <= now) region.deletingTables.delete(name);
  }
};

/**
 * The table named `name` and its status at the context's clock, or undefined when there is none.
 *
 * The control plane changes a table's settings only through the state a lookup found, so the lookup keeps
 * them: if the request fails, its rollback puts them back (see `atomically`).
 */
const findTable = (region: Region, name: string, context: OperationContext): TableLookup | undefined => {
  // What a lookup finds may be changed: the journal compares the settings after the request.
  region.effects?.settingsTouched();
  const now = context.clock.now();
  const table = region.tables.get(name);
  if (table !== undefined) {
    const state = tableStateOf(region, table);
    if (recordingUndo()) onRollback(state.restorer());
    return { table, state, status: state.status(now, context.tableStatusDelayMs) };
  }
  purgeDeletedTables(region, now);
  const deleting = region.deletingTables.get(name);
  if (deleting === undefined) return undefined;
  if (recordingUndo()) onRollback(deleting.state.restorer());
  return { table: deleting.table, state: deleting.state, status: 'DELETING' };
};

/**
 * Validates `TableName` and finds the table in any status, answering a missing table as the control plane
 * does ("Requested resource not found: Table: <name> not found").
 */
const lookupTable = (input: Record<string, unknown>, context: OperationContext): TableLookup => {
  const constraints = new Constraints();
  constraints.tableName('tableName', input.TableName);
  constraints.check();
  const name = input.TableName as string;
  const found = findTable(context.region, name, context);
  if (found === undefined)
    throw resourceNotFoundException(`Requested resource not found: Table: ${name} not found`);
  return found;
};

/**
 * The ResourceInUseException UpdateTable and DeleteTable answer while a table is busy, worded per status as
 * DynamoDB words it.
 */
const tableInUseException = (name: string, status: TableStatus): AwsServiceError =>
  resourceInUseException(
    `Attempt to change a resource which is still in use: ${
      status === 'CREATING'
        ? `Table is being created: ${name}`
        : status === 'DELETING'
          ? `Table is being deleted: ${name}`
          : `Table: ${name} is in the process of being updated.`
    }`,
  );

/** AccessDeniedException, as DynamoDB answers requests for another account's resources. */
const accessDeniedException = (message = 'Access is denied') =>
  new AwsServiceError('AccessDeniedException', message, { namespace: 'com.amazon.coral.service' });

export type { TableLookup };
export { accessDeniedException, findTable, lookupTable, purgeDeletedTables, tableInUseException };
