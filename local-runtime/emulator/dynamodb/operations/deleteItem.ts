import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { validateItem } from '../attributes/validateItem.js';
import { checkCondition } from '../checkCondition.js';
import { compileExpressions } from '../expressions/index.js';
import { validateKey } from '../keySchema.js';
import { requireTable } from '../requireTable.js';

/** Deletes an item. Deleting an item that does not exist succeeds and writes no stream record. */
const deleteItem: Operation = (input, { region }) => {
  const constraints = new Constraints();
  constraints.notNull('key', input.Key);
  constraints.oneOf('returnValues', input.ReturnValues, [
    'NONE',
    'ALL_OLD',
    'UPDATED_OLD',
    'ALL_NEW',
    'UPDATED_NEW',
  ]);
  constraints.check();
  const table = requireTable(region, input);
  const returnValues = (input.ReturnValues as string | undefined) ?? 'NONE';
  if (returnValues !== 'NONE' && returnValues !== 'ALL_OLD')
    throw validationException('Return values set to invalid value');
  const key = validateKey(table.definition.keySchema, validateItem(input.Key, 'Key'));
  const { condition } = compileExpressions(input);
  const existing = table.getItem(key);
  checkCondition(condition, existing, input);
  table.write(key, undefined);
  return returnValues === 'ALL_OLD' && existing !== undefined ? { Attributes: existing } : {};
};

export { deleteItem };
