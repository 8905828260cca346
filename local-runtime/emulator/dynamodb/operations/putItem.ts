import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { checkItemSize } from '../attributes/checkItemSize.js';
import { validateItem } from '../attributes/validateItem.js';
import { checkCondition } from '../checkCondition.js';
import { compileExpressions } from '../expressions/index.js';
import { keyOf, validateItemKey } from '../keySchema.js';
import { requireTable } from '../requireTable.js';

const putItem: Operation = (input, { region }) => {
  const constraints = new Constraints();
  constraints.notNull('item', input.Item);
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
  // PutItem accepts only NONE and ALL_OLD of the five enum values.
  if (returnValues !== 'NONE' && returnValues !== 'ALL_OLD')
    throw validationException('Return values set to invalid value');
  const item = validateItem(input.Item, 'Item');
  validateItemKey(table.definition.keySchema, item);
  checkItemSize(item);
  const { condition } = compileExpressions(input);
  const key = keyOf(table.definition.keySchema, item);
  const existing = table.getItem(key);
  checkCondition(condition, existing, input);
  table.write(key, item);
  return returnValues === 'ALL_OLD' && existing !== undefined ? { Attributes: existing } : {};
};

export { putItem };
