import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { getOwn } from '../expressions/documentPath.js';
import type { CompositeKey, KeySchema } from '../keySchema.js';
import {
  compareKeyTuples,
  compositePartitionHash,
  type KeyElement,
  type KeyTuple,
  partitionHash,
} from './keyOrder.js';
import { projectedAttributes, projectIndexEntry } from './projectIndexEntry.js';
import type { IndexThroughput, SecondaryIndexDefinition } from './SecondaryIndexDefinition.js';
import { createItemTree, rangeEntries } from './sortedTree.js';

type IndexStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';

/**
 * One secondary index of a table: its own B+ tree of entries ordered by (index partition hash, index partition
 * key, index sort key, then the table's key tuple), so a Query on the index is one range, O(log n + k), and
 * items with equal index keys keep a stable order. The table keeps it current on every write (`update`);
 * items without the index key attributes are not in it (indexes are sparse).
 */
class SecondaryIndex {
  readonly definition: SecondaryIndexDefinition;
  readonly arn: string;
  /** DescribeTable's IndexStatus; UpdateTable may move it through CREATING, UPDATING and DELETING. */
  status: IndexStatus = 'ACTIVE';
  /** The top-level attributes entries keep; undefined for ALL. */
  readonly projected: ReadonlySet<string> | undefined;
  readonly #tableKey: KeySchema;
  readonly #tree = createItemTree();
  #throughput: IndexThroughput | undefined;
  #sizeBytes = 0;

  constructor(definition: SecondaryIndexDefinition, tableKey: KeySchema, tableArn: string) {
    this.definition = definition;
    this.arn = `${tableArn}/index/${definition.name}`;
    this.#tableKey = tableKey;
    this.#throughput = definition.provisionedThroughput;
    this.projected = projectedAttributes(definition.projection, tableKey, definition.keySchema);
  }

  get name(): string {
    return this.definition.name;
  }

  get global(): boolean {
    return this.definition.global;
  }

  get keySchema(): KeySchema {
    return this.definition.keySchema;
  }

  get itemCount(): number {
    return this.#tree.size;
  }

  /** The sum of the entries' sizes (IndexSizeBytes): projected attributes and keys. */
  get sizeBytes(): number {
    return this.#sizeBytes;
  }

  get provisionedThroughput(): IndexThroughput | undefined {
    return this.#throughput;
  }

  setProvisionedThroughput(throughput: IndexThroughput | undefined): void {
    this.#throughput = throughput;
  }

  /**
   * The entry key of an item whose table key tuple is `tableTuple`, or undefined when the item lacks an index
   * key attribute (then it is not in the index).
   */
  keyTuple(item: AttributeMap, tableTuple: KeyTuple): KeyTuple | undefined {
    const { hashKey, rangeKey, composite } = this.definition.keySchema;
    if (composite !== undefined) return compositeKeyTuple(composite, item, tableTuple);
    const partition = getOwn(item, hashKey);
    if (partition === undefined) return undefined;
    let sort: AttributeValue | undefined;
    if (rangeKey !== undefined) {
      sort = getOwn(item, rangeKey);
      if (sort === undefined) return undefined;
    }
    // A local index shares the table's partition key, and so its hash.
    const hash = hashKey === this.#tableKey.hashKey ? (tableTuple[0] as number) : partitionHash(partition);
    return [hash, partition, sort, tableTuple[0], tableTuple[1], tableTuple[2]];
  }

  /**
   * Follows one effective write of the table: the item at `tableTuple` went from `previous` to `next` (either
   * may be undefined). `previousSize` and `nextSize` are the items' sizes, which the table has computed already.
   */
  update(
    tableTuple: KeyTuple,
    previous: AttributeMap | undefined,
    previousSize: number,
    next: AttributeMap | undefined,
    nextSize: number,
  ): void {
    const before = previous === undefined ? undefined : this.keyTuple(previous, tableTuple);
    const after = next === undefined ? undefined : this.keyTuple(next, tableTuple);
    if (before !== undefined) {
      const entry = this.#tree.get(before);
      if (entry !== undefined) this.#sizeBytes -= this.#entrySize(entry, previousSize);
      if (after === undefined || compareKeyTuples(before, after) !== 0) this.#tree.delete(before);
    }
    if (after !== undefined && next !== undefined) this.#insert(after, next, nextSize);
  }

  /** Adds an item while the index is being built from a table's existing items. */
  backfill(tableTuple: KeyTuple, item: AttributeMap): void {
    const tuple = this.keyTuple(item, tableTuple);
    if (tuple !== undefined) this.#insert(tuple, item, itemSize(item));
  }

  /** Entries between two key tuples (see `rangeEntries`). */
  entries(low: KeyTuple, high: KeyTuple, forward: boolean): Iterable<readonly [KeyTuple, AttributeMap]> {
    return rangeEntries(this.#tree, low, high, forward);
  }

  #insert(tuple: KeyTuple, item: AttributeMap, size: number): void {
    const entry = projectIndexEntry(item, this.projected);
    this.#tree.set(tuple, entry, true);
    this.#sizeBytes += this.#entrySize(entry, size);
  }

  /** An ALL entry is the item itself, whose size the table knows; a projected entry is measured. */
  #entrySize(entry: AttributeMap, itemSizeBytes: number): number {
    return this.projected === undefined ? itemSizeBytes : itemSize(entry);
  }
}

/**
 * The entry key of an item in an index with a multi-attribute key: the partition values' combined hash, every
 * partition key value, every sort key value, then the table's key tuple. An item missing any of the key
 * attributes is not in the index
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html).
 */
const compositeKeyTuple = (
  composite: CompositeKey,
  item: AttributeMap,
  tableTuple: KeyTuple,
): KeyTuple | undefined => {
  const partition: AttributeValue[] = [];
  for (const name of composite.hashKeys) {
    const value = getOwn(item, name);
    if (value === undefined) return undefined;
    partition.push(value);
  }
  const tuple: KeyElement[] = [compositePartitionHash(partition), ...partition];
  for (const name of composite.rangeKeys) {
    const value = getOwn(item, name);
    if (value === undefined) return undefined;
    tuple.push(value);
  }
  tuple.push(tableTuple[0], tableTuple[1], tableTuple[2]);
  return tuple;
};

export type { IndexStatus };
export { SecondaryIndex };
