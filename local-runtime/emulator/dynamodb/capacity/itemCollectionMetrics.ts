import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { getOwn } from '../expressions/documentPath.js';
import { HIGH, LOW } from '../indexes/keyOrder.js';
import { projectIndexEntry } from '../indexes/projectIndexEntry.js';
import type { Table } from '../Table.js';

const RETURN_ITEM_COLLECTION_METRICS = ['SIZE', 'NONE'] as const;

const GIB = 1024 ** 3;

/**
 * ReturnItemCollectionMetrics SIZE: the item collection a write touched, for tables with local secondary
 * indexes (only they have item collections, capped at 10 GB). DynamoDB reports the collection's partition key
 * and a rough range of its size in GB: the items with that partition key plus their entries in every local
 * index. Undefined for a table without local indexes, where DynamoDB reports nothing.
 */
const itemCollectionMetrics = (table: Table, key: AttributeMap): Record<string, unknown> | undefined => {
  const locals = [...table.indexes.values()].filter((index) => !index.global);
  if (locals.length === 0) return undefined;
  const [hash, partition] = table.keyTuple(key);
  let bytes = 0;
  for (const [tuple, item] of table.entries([hash, partition, LOW], [hash, partition, HIGH], true)) {
    bytes += itemSize(item);
    for (const index of locals) {
      if (index.keyTuple(item, tuple) !== undefined)
        bytes += itemSize(projectIndexEntry(item, index.projected));
    }
  }
  const { hashKey } = table.definition.keySchema;
  const lower = Math.floor(bytes / GIB);
  return {
    ItemCollectionKey: { [hashKey]: getOwn(key, hashKey) },
    SizeEstimateRangeGB: [lower, lower + 1],
  };
};

/**
 * ItemCollectionMetrics of a batch or transaction: per table, one entry per item collection its writes touched
 * (once each, however many of its items were written). Nothing unless SIZE was asked for and some written table
 * has local indexes.
 */
const itemCollectionMetricsMember = (
  mode: unknown,
  writes: Iterable<{ readonly table: Table; readonly key: AttributeMap }>,
): Record<string, unknown> => {
  if (mode !== 'SIZE') return {};
  const byTable: Record<string, Record<string, unknown>[]> = {};
  const seen = new Set<string>();
  for (const { table, key } of writes) {
    const { hashKey } = table.definition.keySchema;
    const identity = JSON.stringify([table.name, getOwn(key, hashKey)]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    const metrics = itemCollectionMetrics(table, key);
    if (metrics === undefined) continue;
    const entries = Object.hasOwn(byTable, table.name) ? byTable[table.name] : undefined;
    if (entries === undefined) byTable[table.name] = [metrics];
    else entries.push(metrics);
  }
  return Object.keys(byTable).length === 0 ? {} : { ItemCollectionMetrics: byTable };
};

export { itemCollectionMetrics, itemCollectionMetricsMember, RETURN_ITEM_COLLECTION_METRICS };
