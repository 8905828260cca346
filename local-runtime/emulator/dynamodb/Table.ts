import { randomUUID } from 'node:crypto';
import sortedBtree from 'sorted-btree';
import { tableArn } from '../../../src/records/arn.js';
import type { AttributeMap, AttributeValue } from '../../../src/records/attributeValue.js';
import { itemSize } from '../../../src/records/itemSize.js';
import { compareValues, valuesEqual } from './attributes/compareValues.js';
import type { ItemChange } from './ItemChange.js';
import { type KeySchema, keyOf } from './keySchema.js';

// sorted-btree is CommonJS: Node's ESM loader hands over module.exports (the class is its `default`), while
// bundlers and vitest hand over the class itself.
const BTree: typeof sortedBtree.default =
  (sortedBtree as unknown as { default?: typeof sortedBtree.default }).default ??
  (sortedBtree as unknown as typeof sortedBtree.default);

type KeyTuple = readonly [AttributeValue, AttributeValue | undefined];

/**
 * Items of one table, ordered by partition key then sort key in a B+ tree, so a point write or read costs
 * O(log n) and a Query O(log n + k), however large the table grows.
 */
const compareKeyTuples = (a: KeyTuple, b: KeyTuple): number => {
  const byHash = compareValues(a[0], b[0]);
  if (byHash !== 0 || a[1] === undefined || b[1] === undefined) return byHash;
  return compareValues(a[1], b[1]);
};

interface TableDefinition {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly keySchema: KeySchema;
  /** The request's KeySchema and AttributeDefinitions as given, for DescribeTable. */
  readonly wireKeySchema: readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  readonly attributeDefinitions: readonly { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  readonly provisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  readonly createdAt: number;
}

/**
 * A table: its definition and its items. Every write goes through `write`, which decides whether the
 * write changed anything and hands the effective change to the table's change listener (the stream) in the
 * same synchronous step, so no acknowledged write exists without its stream record.
 */
class Table {
  readonly definition: TableDefinition;
  readonly arn: string;
  readonly id = randomUUID();
  #items = new BTree<KeyTuple, AttributeMap>(undefined, compareKeyTuples);
  #onChange: ((change: ItemChange) => void) | undefined;
  #sizeBytes = 0;

  constructor(definition: TableDefinition) {
    this.definition = definition;
    this.arn = tableArn(definition.region, definition.accountId, definition.name);
  }

  get name(): string {
    return this.definition.name;
  }

  get itemCount(): number {
    return this.#items.size;
  }

  /** The sum of the stored items' sizes (DescribeTable's TableSizeBytes). */
  get sizeBytes(): number {
    return this.#sizeBytes;
  }

  /** Where effective changes go: set by the stream layer while the table has an enabled stream. */
  setChangeListener(listener: ((change: ItemChange) => void) | undefined): void {
    this.#onChange = listener;
  }

  getItem(key: AttributeMap): AttributeMap | undefined {
    return this.#items.get(this.#tuple(key));
  }

  /**
   * Replaces the item stored under `key` with `next` (undefined deletes it) and reports the change.
   * Returns the previous item. A write that leaves the item as it was changes nothing and reports nothing.
   */
  write(
    key: AttributeMap,
    next: AttributeMap | undefined,
    options: { bySystem?: boolean } = {},
  ): AttributeMap | undefined {
    const tuple = this.#tuple(key);
    const previous = this.#items.get(tuple);
    if (next === undefined) {
      if (previous === undefined) return undefined;
      this.#items.delete(tuple);
    } else {
      if (previous !== undefined && itemsEqual(previous, next)) return previous;
      this.#items.set(tuple, next, true);
      this.#sizeBytes += itemSize(next);
    }
    if (previous !== undefined) this.#sizeBytes -= itemSize(previous);
    this.#onChange?.({
      keys: keyOf(this.definition.keySchema, previous ?? (next as AttributeMap)),
      ...(previous === undefined ? {} : { oldImage: previous }),
      ...(next === undefined ? {} : { newImage: next }),
      ...(options.bySystem ? { bySystem: true } : {}),
    });
    return previous;
  }

  /** Items in key order (all of them; Scan pages over this). */
  *items(): IterableIterator<AttributeMap> {
    yield* this.#items.values();
  }

  #tuple(key: AttributeMap): KeyTuple {
    const { hashKey, rangeKey } = this.definition.keySchema;
    return [key[hashKey] as AttributeValue, rangeKey === undefined ? undefined : key[rangeKey]];
  }
}

const itemsEqual = (a: AttributeMap, b: AttributeMap): boolean => valuesEqual({ M: a }, { M: b });

export type { TableDefinition };
export { Table };
