import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { checkItemSize } from '../attributes/checkItemSize.js';
import { validateItem } from '../attributes/validateItem.js';
import { checkCondition } from '../checkCondition.js';
import { applyUpdate, compileExpressions } from '../expressions/index.js';
import { itemWriteRequest, RETURN_VALUES, type ReturnValues } from '../itemWriteRequest.js';
import { validateKey } from '../keySchema.js';

/**
 * Updates (or creates) one item with an UpdateExpression. An update that leaves the item as it was is a
 * no-op for the stream: DynamoDB writes no record for it.
 */
const updateItem: Operation = (input, { region }) => {
  const { table, returnValues } = itemWriteRequest(region, input, 'key', RETURN_VALUES);
  const { keySchema } = table.definition;
  const key = validateKey(keySchema, validateItem(input.Key, 'Key'));
  const { condition, update } = compileExpressions(input);
  for (const name of update?.topLevelAttributes ?? []) {
    if (name === keySchema.hashKey || name === keySchema.rangeKey) {
      throw validationException(
        `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
      );
    }
  }
  const existing = table.getItem(key);
  checkCondition(condition, existing, input);
  const next = update === undefined ? { ...(existing ?? key) } : applyUpdate(update, existing ?? key);
  checkItemSize(next);
  table.write(key, next);
  return returnedAttributes(returnValues, existing, next, update?.topLevelAttributes);
};

/** ReturnValues for UpdateItem: the whole item before or after, or only the attributes the update touched. */
const returnedAttributes = (
  returnValues: ReturnValues,
  before: AttributeMap | undefined,
  after: AttributeMap,
  touched: ReadonlySet<string> | undefined,
): Record<string, unknown> => {
  const pick = (item: AttributeMap | undefined): AttributeMap => {
    const picked: AttributeMap = {};
    for (const name of touched ?? []) {
      const value = item !== undefined && Object.hasOwn(item, name) ? item[name] : undefined;
      if (value !== undefined) picked[name] = value;
    }
    return picked;
  };
  const attributes =
    returnValues === 'ALL_OLD'
      ? before
      : returnValues === 'ALL_NEW'
        ? after
        : returnValues === 'UPDATED_OLD'
          ? pick(before)
          : returnValues === 'UPDATED_NEW'
            ? pick(after)
            : undefined;
  return attributes === undefined || Object.keys(attributes).length === 0 ? {} : { Attributes: attributes };
};

export { updateItem };
