import type { Operation } from '../../operation.js';
import { validateItem } from '../attributes/validateItem.js';
import { checkCondition } from '../checkCondition.js';
import { compileExpressions } from '../expressions/index.js';
import { itemWriteRequest } from '../itemWriteRequest.js';
import { validateKey } from '../keySchema.js';

/** Deletes an item. Deleting an item that does not exist succeeds and writes no stream record. */
const deleteItem: Operation = (input, { region }) => {
  const { table, returnValues } = itemWriteRequest(region, input, 'key', ['NONE', 'ALL_OLD']);
  const key = validateKey(table.definition.keySchema, validateItem(input.Key, 'Key'));
  const { condition } = compileExpressions(input);
  const existing = table.getItem(key);
  checkCondition(condition, existing, input);
  table.write(key, undefined);
  return returnValues === 'ALL_OLD' && existing !== undefined ? { Attributes: existing } : {};
};

export { deleteItem };
