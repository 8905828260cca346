import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { valuesEqual } from '../attributes/compareValues.js';
import { compareKeyTuples, type KeyTuple } from '../indexes/keyOrder.js';
import { projectIndexEntry } from '../indexes/projectIndexEntry.js';
import type { SecondaryIndex } from '../indexes/SecondaryIndex.js';
import type { Table } from '../Table.js';
import { type CapacityUsage, writeCapacityUnits } from './consumedCapacity.js';

const sizeOf = (item: AttributeMap | undefined): number => (item === undefined ? 0 : itemSize(item));

/**
 * The write units one item write costs an index, by DynamoDB's rules for secondary indexes: nothing when the
 * item is in the index neither before nor after, nor when its entry stays the same; one write of the entry
 * when it enters, leaves, or has projected attributes change; two (a delete and a put) when its index key
 * changes. Each write is priced by the size of the entry (the projected attributes), 1 KB rounded up.
 */
const indexWriteUnits = (
  index: SecondaryIndex,
  tuple: KeyTuple,
  before: AttributeMap | undefined,
  after: AttributeMap | undefined,
): number => {
  const beforeKey = before === undefined ? undefined : index.keyTuple(before, tuple);
  const afterKey = after === undefined ? undefined : index.keyTuple(after, tuple);
  const beforeEntry =
    beforeKey === undefined ? undefined : projectIndexEntry(before as AttributeMap, index.projected);
  const afterEntry =
    afterKey === undefined ? undefined : projectIndexEntry(after as AttributeMap, index.projected);
  if (beforeKey !== undefined && afterKey !== undefined && compareKeyTuples(beforeKey, afterKey) === 0) {
    if (valuesEqual({ M: beforeEntry as AttributeMap }, { M: afterEntry as AttributeMap })) return 0;
    return writeCapacityUnits(Math.max(sizeOf(beforeEntry), sizeOf(afterEntry)));
  }
  return (
    (beforeEntry === undefined ? 0 : writeCapacityUnits(sizeOf(beforeEntry))) +
    (afterEntry === undefined ? 0 : writeCapacityUnits(sizeOf(afterEntry)))
  );
};

/**
 * Charges one item write (`before` → `after`, either undefined for no item) to `usage`: the table by the larger
 * of the two items, each secondary index by what the write changes in it; doubled in a transaction.
 */
const chargeItemWrite = (
  usage: CapacityUsage,
  table: Table,
  key: AttributeMap,
  before: AttributeMap | undefined,
  after: AttributeMap | undefined,
  transactional = false,
): void => {
  const beforeSize = before === undefined ? 0 : table.storedSize(before);
  const afterSize = after === undefined ? 0 : table.storedSize(after);
  usage.addWrite(writeCapacityUnits(Math.max(beforeSize, afterSize), transactional));
  if (table.indexes.size === 0) return;
  const tuple = table.keyTuple(key);
  for (const index of table.indexes.values()) {
    const units = indexWriteUnits(index, tuple, before, after);
    if (units > 0) usage.addWrite(transactional ? units * 2 : units, index);
  }
};

export { chargeItemWrite, indexWriteUnits };
