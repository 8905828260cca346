import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { MAX_ITEM_BYTES } from '../attributes/checkItemSize.js';
import { checkNesting } from '../attributes/checkNesting.js';
import { validateItem } from '../attributes/validateItem.js';
import { executeWrite } from '../executeWrite.js';
import { setOwn } from '../expressions/documentPath.js';
import { applyUpdate, type Condition, compileExpressions } from '../expressions/index.js';
import { itemWriteRequest, type ReturnValues } from '../itemWriteRequest.js';
import { validateKey } from '../keySchema.js';
import { type AttributeUpdate, applyAttributeUpdates } from '../legacy/attributeUpdates.js';
import type { PreparedWrite } from '../PreparedWrite.js';
import type { Table } from '../Table.js';

interface LegacyUpdate {
  /** The legacy Expected conditions, compiled. */
  readonly expected?: Condition | undefined;
  /** The legacy AttributeUpdates, checked. */
  readonly attributeUpdates?: readonly AttributeUpdate[] | undefined;
}

/**
 * The checks and the effect of updating (or creating) one item: UpdateItem's and TransactWriteItems' Update.
 * The update is an UpdateExpression or the legacy AttributeUpdates; with neither, the item is created with its
 * key alone if it does not exist. `touched` names the top-level attributes the update writes or removes (what
 * UPDATED_OLD and UPDATED_NEW return).
 */
const prepareUpdate = (
  table: Table,
  request: Record<string, unknown>,
  legacy: LegacyUpdate = {},
): PreparedWrite & { readonly touched: ReadonlySet<string> } => {
  const { keySchema } = table.definition;
  const key = validateKey(keySchema, validateItem(request.Key, 'Key'));
  const compiled = compileExpressions(request);
  const { update } = compiled;
  const { attributeUpdates } = legacy;
  const touched = update?.topLevelAttributes ?? new Set((attributeUpdates ?? []).map(({ name }) => name));
  const keyName = [...touched].find((name) => name === keySchema.hashKey || name === keySchema.rangeKey);
  const apply = (existing: AttributeMap | undefined): AttributeMap => {
    const before = existing ?? key;
    const next =
      update !== undefined
        ? applyUpdate(update, before)
        : attributeUpdates !== undefined
          ? applyAttributeUpdates(attributeUpdates, before)
          : { ...before };
    // Setting a nested value inside a nested path can build an item deeper than any request could send.
    checkNesting(next, false);
    if (itemSize(next) > MAX_ITEM_BYTES) {
      throw validationException('Item size to update has exceeded the maximum allowed size');
    }
    table.checkIndexKeys(next);
    return next;
  };
  return {
    kind: 'update',
    table,
    key,
    condition: legacy.expected ?? compiled.condition,
    ...(keyName === undefined
      ? {}
      : {
          fault: validationException(
            `One or more parameter values were invalid: Cannot update attribute ${keyName}. This attribute is part of the key`,
          ),
        }),
    apply,
    touched,
  };
};

/**
 * Updates (or creates) one item with an UpdateExpression or the legacy AttributeUpdates. An update that leaves
 * the item as it was is a no-op for the stream: DynamoDB writes no record for it.
 */
const updateItem: Operation = (input, context) => {
  const { table, returnValues, expected, attributeUpdates } = itemWriteRequest(context, input, 'UpdateItem');
  const write = prepareUpdate(table, input, { expected, attributeUpdates });
  if (write.fault !== undefined) throw write.fault;
  const { existing, next, report } = executeWrite(write, input);
  return { ...returnedAttributes(returnValues, existing, next, write.touched), ...report };
};

/** ReturnValues for UpdateItem: the whole item before or after, or only the attributes the update touched. */
const returnedAttributes = (
  returnValues: ReturnValues,
  before: AttributeMap | undefined,
  after: AttributeMap | undefined,
  touched: ReadonlySet<string>,
): Record<string, unknown> => {
  const pick = (item: AttributeMap | undefined): AttributeMap => {
    const picked: AttributeMap = {};
    for (const name of touched) {
      const value = item !== undefined && Object.hasOwn(item, name) ? item[name] : undefined;
      if (value !== undefined) setOwn(picked, name, value);
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

export { prepareUpdate, updateItem };
