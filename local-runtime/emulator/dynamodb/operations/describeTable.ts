import type { Operation } from '../../operation.js';
import { requireTable } from '../requireTable.js';
import { tableDescription } from '../tableDescription.js';

const describeTable: Operation = (input, { region }) => ({
  Table: tableDescription(requireTable(region, input, true), region),
});

export { describeTable };
