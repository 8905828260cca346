import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { purgeDeletedTables } from '../controlPlane/lookupTable.js';

/**
 * Table names in alphabetical order, paged by Limit (1-100) and ExclusiveStartTableName. Tables still being
 * deleted are listed until they are gone, as on AWS.
 */
const listTables: Operation = (input, { region, clock }) => {
  const constraints = new Constraints();
  constraints.range('limit', input.Limit, 1, 100);
  if (input.ExclusiveStartTableName !== undefined)
    constraints.tableName('exclusiveStartTableName', input.ExclusiveStartTableName);
  constraints.check();
  purgeDeletedTables(region, clock.now());
  const limit = (input.Limit as number | undefined) ?? 100;
  const start = input.ExclusiveStartTableName as string | undefined;
  const names = [...region.tables.keys(), ...region.deletingTables.keys()]
    .sort()
    .filter((name) => start === undefined || name > start);
  const page = names.slice(0, limit);
  return {
    TableNames: page,
    ...(names.length > limit ? { LastEvaluatedTableName: page.at(-1) } : {}),
  };
};

export { listTables };
