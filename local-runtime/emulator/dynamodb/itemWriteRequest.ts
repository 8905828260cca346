import { validationException } from '../errors.js';
import type { Region } from '../Region.js';
import { Constraints } from '../validation/Constraints.js';
import { requireTable } from './requireTable.js';
import type { Table } from './Table.js';

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const;
type ReturnValues = (typeof RETURN_VALUES)[number];

/**
 * The checks every single-item write starts with, in DynamoDB's order: the required member and the
 * ReturnValues enum (front-end validation), then the table, then the ReturnValues this operation allows.
 */
const itemWriteRequest = (
  region: Region,
  input: Record<string, unknown>,
  required: 'item' | 'key',
  allowedReturnValues: readonly ReturnValues[],
): { table: Table; returnValues: ReturnValues } => {
  const constraints = new Constraints();
  constraints.notNull(required, required === 'item' ? input.Item : input.Key);
  constraints.oneOf('returnValues', input.ReturnValues, RETURN_VALUES);
  constraints.check();
  const table = requireTable(region, input);
  const returnValues = (input.ReturnValues as ReturnValues | undefined) ?? 'NONE';
  if (!allowedReturnValues.includes(returnValues))
    throw validationException('Return values set to invalid value');
  return { table, returnValues };
};

export type { ReturnValues };
export { itemWriteRequest, RETURN_VALUES };
