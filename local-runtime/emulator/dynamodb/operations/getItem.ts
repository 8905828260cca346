import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { validateItem } from '../attributes/validateItem.js';
import { applyProjection, compileExpressions } from '../expressions/index.js';
import { validateKey } from '../keySchema.js';
import { requireTable } from '../requireTable.js';

const getItem: Operation = (input, { region }) => {
  const constraints = new Constraints();
  constraints.notNull('key', input.Key);
  constraints.check();
  const table = requireTable(region, input);
  const key = validateKey(table.definition.keySchema, validateItem(input.Key, 'Key'));
  const { projection } = compileExpressions(input);
  const item = table.getItem(key);
  if (item === undefined) return {};
  return { Item: projection === undefined ? item : applyProjection(projection, item) };
};

export { getItem };
