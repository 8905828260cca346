import type { Operation } from '../../operation.js';
import { checkItemSize } from '../attributes/checkItemSize.js';
import { validateItem } from '../attributes/validateItem.js';
import { allOldResponse, executeWrite } from '../executeWrite.js';
import { type Condition, compileExpressions } from '../expressions/index.js';
import { itemWriteRequest } from '../itemWriteRequest.js';
import { keyOf, validateItemKey } from '../keySchema.js';
import type { PreparedWrite } from '../PreparedWrite.js';
import type { Table } from '../Table.js';

/**
 * The checks and the effect of writing a whole item: PutItem's, and those of BatchWriteItem's PutRequest and
 * TransactWriteItems' Put. `expected` is a condition already compiled from the legacy Expected parameter;
 * otherwise the request's ConditionExpression applies. Index key values are checked here, before any condition
 * is evaluated, as DynamoDB does.
 */
const preparePut = (table: Table, request: Record<string, unknown>, expected?: Condition): PreparedWrite => {
  const item = validateItem(request.Item, 'Item');
  validateItemKey(table.definition.keySchema, item);
  const nextSize = checkItemSize(item);
  table.checkIndexKeys(item);
  const condition = expected ?? compileExpressions(request).condition;
  return {
    kind: 'put',
    table,
    key: keyOf(table.definition.keySchema, item),
    condition,
    apply: () => item,
    nextSize,
  };
};

/** Writes a whole item. Replacing an item with an identical one writes no stream record. */
const putItem: Operation = (input, context) => {
  const request = itemWriteRequest(context, input, 'PutItem');
  return allOldResponse(
    request.returnValues,
    executeWrite(preparePut(request.table, input, request.expected), input),
  );
};

export { preparePut, putItem };
