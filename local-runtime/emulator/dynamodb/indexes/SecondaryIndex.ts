import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { onRollback } from '../../atomic/requestScope.js';
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

/** One write's change to one index, prepared: `apply` makes it and `revert` takes it back; neither can fail. */
interface IndexChange {
  readonly apply: () => void;
  readonly revert: () => void;
}

/**
 * One secondary index of a table: its own B+ tree of entries ordered by (index partition hash, index partition
 * key, index sort key, then the table's key tuple), so a Query on the index is one range, O(log n + k), and
 * items with equal index keys keep a stable order. The table keeps it current on every write (`prepare`);
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
    const previous = this.#throughput;
    onRollback(() => {
      this.#throughput = previous;
    });
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
   * Prepares following one effective write of the table: the item at `tableTuple` goes from `previous` to
   * `next` (either may be undefined). `previousSize` and `nextSize` are the items' sizes, which the table has
   * computed already. Everything that can fail (the entry's projection, its size) is computed here, so applying
   * the change only moves prepared values; undefined when the write does not touch this index.
   */
  prepare(
    tableTuple: KeyTuple,
    previous: AttributeMap | undefined,
    previousSize: number,
    next: AttributeMap | undefined,
    nextSize: number,
  ): IndexChange | undefined {
    const before = previous === undefined ? undefined : this.keyTuple(previous, tableTuple);
    const after = next === undefined ? undefined : this.keyTuple(next, tableTuple);
    if (before === undefined && after === undefined) return undefined;
    const oldEntry = before === undefined ? undefined : this.#tree.get(before);
    const oldSize = oldEntry === undefined ? 0 : this.#entrySize(oldEntry, previousSize);
    const newEntry =
      after === undefined ? undefined : projectIndexEntry(next as AttributeMap, this.projected);
    const newSize = newEntry === undefined ? 0 : this.#entrySize(newEntry, nextSize);
    return {
      apply: () => this.#move(before, after, newEntry, newSize - oldSize),
      revert: () => this.#move(after, before, oldEntry, oldSize - newSize),
    };
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

  /** Replaces the entry at `from` by `entry` at `to` (either tuple may be undefined); cannot fail. */
  #move(
    from: KeyTuple | undefined,
    to: KeyTuple | undefined,
    entry: AttributeMap | undefined,
    sizeDelta: number,
  ): void {
    if (from !== undefined && (to === undefined || compareKeyTuples(from, to) !== 0)) this.#tree.delete(from);
    if (to !== undefined && entry !== undefined) this.#tree.set(to, entry, true);
    this.#sizeBytes += sizeDelta;
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

export type { IndexChange, IndexStatus };
export { SecondaryIndex };
