import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { getOwn, setOwn } from '../expressions/documentPath.js';
import type { SecondaryIndex } from '../indexes/SecondaryIndex.js';
import { type KeySchema, keyAttributeNames } from '../keySchema.js';
import type { Table } from '../Table.js';

/** What a Query or Scan reads: a table, or one of its indexes. */
interface ReadTarget {
  readonly table: Table;
  readonly index?: SecondaryIndex;
  /** The key of what is read: the index's, or the table's. */
  readonly keySchema: KeySchema;
  /** The attributes of an ExclusiveStartKey and a LastEvaluatedKey: the table's key, then the index's. */
  readonly keyNames: readonly string[];
}

/**
 * Finds the index a request names, with DynamoDB's messages for an unknown index and for a strongly
 * consistent read of a global index (global indexes are only eventually consistent).
 */
const readTarget = (table: Table, input: Record<string, unknown>): ReadTarget => {
  const tableKey = table.definition.keySchema;
  const tableNames =
    tableKey.rangeKey === undefined ? [tableKey.hashKey] : [tableKey.hashKey, tableKey.rangeKey];
  if (input.IndexName === undefined || input.IndexName === null) {
    return { table, keySchema: tableKey, keyNames: tableNames };
  }
  const name = input.IndexName as string;
  const index = table.indexes.get(name);
  if (index === undefined) throw validationException(`The table does not have the specified index: ${name}`);
  if (index.global && input.ConsistentRead === true) {
    throw validationException('Consistent reads are not supported on global secondary indexes');
  }
  const keyNames = [...tableNames];
  for (const key of keyAttributeNames(index.keySchema)) {
    if (!keyNames.includes(key)) keyNames.push(key);
  }
  return { table, index, keySchema: index.keySchema, keyNames };
};

/** The LastEvaluatedKey of a page: the key attributes of the last entry read. */
const lastEvaluatedKey = (target: ReadTarget, entry: AttributeMap): AttributeMap => {
  const key: AttributeMap = {};
  for (const name of target.keyNames) {
    const value = getOwn(entry, name);
    if (value !== undefined) setOwn(key, name, value);
  }
  return key;
};

export type { ReadTarget };
export { lastEvaluatedKey, readTarget };
