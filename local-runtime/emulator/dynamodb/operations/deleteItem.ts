import type { Operation } from '../../operation.js';
import { validateItem } from '../attributes/validateItem.js';
import { allOldResponse, executeWrite } from '../executeWrite.js';
import { type Condition, compileExpressions } from '../expressions/index.js';
import { itemWriteRequest } from '../itemWriteRequest.js';
import { validateKey } from '../keySchema.js';
import type { PreparedWrite } from '../PreparedWrite.js';
import type { Table } from '../Table.js';

/**
 * The checks and the effect of deleting an item: DeleteItem's, and those of BatchWriteItem's DeleteRequest and
 * TransactWriteItems' Delete. `expected` is a condition compiled from the legacy Expected parameter.
 */
const prepareDelete = (
  table: Table,
  request: Record<string, unknown>,
  expected?: Condition,
): PreparedWrite => {
  const key = validateKey(table.definition.keySchema, validateItem(request.Key, 'Key'));
  const condition = expected ?? compileExpressions(request).condition;
  return { kind: 'delete', table, key, condition, apply: () => undefined };
};

/** Deletes an item. Deleting an item that does not exist succeeds and writes no stream record. */
const deleteItem: Operation = (input, context) => {
  const request = itemWriteRequest(context, input, 'DeleteItem');
  return allOldResponse(
    request.returnValues,
    executeWrite(prepareDelete(request.table, input, request.expected), input),
  );
};

export { deleteItem, prepareDelete };
