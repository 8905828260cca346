import type { Operation } from '../../operation.js';
import { lookupTable } from '../controlPlane/lookupTable.js';
import { tableDescription } from '../tableDescription.js';

/** The table in its current status: CREATING, UPDATING and DELETING last EmulatorOptions.tableStatusDelayMs. */
const describeTable: Operation = (input, context) => {
  const { table, status } = lookupTable(input, context);
  return { Table: tableDescription(table, context.region, { status, now: context.clock.now() }) };
};

export { describeTable };
