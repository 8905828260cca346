import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { lookupTable, tableInUseException } from '../controlPlane/lookupTable.js';
import { tableDescription } from '../tableDescription.js';

/**
 * Deletes a table. Deletion protection refuses it; so does a table that is still being created or updated.
 * The table leaves the data plane at once; DescribeTable and ListTables show it DELETING for
 * EmulatorOptions.tableStatusDelayMs. Its stream is disabled, not forgotten: AWS keeps stream data readable
 * for 24 hours.
 */
const deleteTable: Operation = (input, context) => {
  const { region, clock } = context;
  const { table, state, status } = lookupTable(input, context);
  const now = clock.now();
  const deleting = { status: 'DELETING' as const, view: 'delete' as const, now };
  // A second DeleteTable while the first one runs succeeds and says DELETING again.
  if (status === 'DELETING') return { TableDescription: tableDescription(table, region, deleting) };
  if (state.deletionProtectionEnabled) {
    throw validationException(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
  }
  if (status !== 'ACTIVE') throw tableInUseException(table.name, status);
  // An encryption change keeps the table ACTIVE but still blocks its deletion.
  if (state.sseUpdating(now)) throw tableInUseException(table.name, 'UPDATING');
  const description = tableDescription(table, region, deleting);
  region.latestStreams.get(table.name)?.disable();
  region.latestStreams.delete(table.name);
  table.setChangeListener(undefined);
  region.tables.delete(table.name);
  region.tableStates.delete(table);
  if (context.tableStatusDelayMs > 0) {
    region.deletingTables.set(table.name, { table, state, goneAt: now + context.tableStatusDelayMs });
  }
  return { TableDescription: description };
};

export { deleteTable };
