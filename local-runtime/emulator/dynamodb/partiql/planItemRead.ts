import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import type { AwsServiceError } from '../../errors.js';
import type { Region } from '../../Region.js';
import { setOwn } from '../expressions/documentPath.js';
import { validateKey } from '../keySchema.js';
import type { Table } from '../Table.js';
import type { Expr, SelectStatement } from './ast.js';
import type { ValueContext } from './attributeValueOf.js';
import { findKeyEqualities, keyValue } from './keyEqualities.js';
import { type SelectList, selectList } from './selectProjection.js';
import { tableOf } from './tableOf.js';

/** A SELECT of exactly one item by its key: what batches and transactions read. */
interface ItemRead {
  readonly table: Table;
  readonly key: AttributeMap;
  readonly list?: SelectList;
}

/**
 * Plans a SELECT that BatchExecuteStatement or ExecuteTransaction may run: on a table (not an index), with a
 * WHERE clause that is exactly one equality per key attribute, nothing else. Any other SELECT gets `invalid`,
 * the message of the operation it is in.
 */
const planItemRead = (
  select: SelectStatement,
  region: Region,
  context: ValueContext,
  invalid: () => AwsServiceError,
): ItemRead => {
  const table = tableOf(region, select.table);
  if (select.index !== undefined || select.orderBy.length > 0) throw invalid();
  const { keySchema } = table.definition;
  const names =
    keySchema.rangeKey === undefined ? [keySchema.hashKey] : [keySchema.hashKey, keySchema.rangeKey];
  const { equalities, rest } = findKeyEqualities(select.where, names);
  if (rest.length > 0 || names.some((name) => equalities.get(name)?.length !== 1)) throw invalid();
  const key: AttributeMap = {};
  for (const name of names) {
    setOwn(key, name, keyValue(keySchema, name, (equalities.get(name) ?? [])[0] as Expr, context));
  }
  const list = selectList(select, context.text);
  return { table, key: validateKey(keySchema, key), ...(list === undefined ? {} : { list }) };
};

export type { ItemRead };
export { planItemRead };
