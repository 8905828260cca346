import type { Operation } from '../../operation.js';
import { requireTable } from '../requireTable.js';
import { tableDescription } from '../tableDescription.js';

/** Deletes a table. Its stream is disabled, not forgotten: AWS keeps stream data readable for 24 hours. */
const deleteTable: Operation = (input, { region }) => {
  const table = requireTable(region, input, true);
  const description = tableDescription(table, region, 'DELETING');
  region.latestStreams.get(table.name)?.disable();
  region.latestStreams.delete(table.name);
  table.setChangeListener(undefined);
  region.tables.delete(table.name);
  return { TableDescription: description };
};

export { deleteTable };
