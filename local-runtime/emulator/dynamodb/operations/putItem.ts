import type { Operation } from '../../operation.js';
import { checkItemSize } from '../attributes/checkItemSize.js';
import { validateItem } from '../attributes/validateItem.js';
import { checkCondition } from '../checkCondition.js';
import { compileExpressions } from '../expressions/index.js';
import { itemWriteRequest } from '../itemWriteRequest.js';
import { keyOf, validateItemKey } from '../keySchema.js';

/** Writes a whole item. Replacing an item with an identical one writes no stream record. */
const putItem: Operation = (input, { region }) => {
  // PutItem accepts only NONE and ALL_OLD of the five ReturnValues.
  const { table, returnValues } = itemWriteRequest(region, input, 'item', ['NONE', 'ALL_OLD']);
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
