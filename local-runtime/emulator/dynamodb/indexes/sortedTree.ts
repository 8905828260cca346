import sortedBtree from 'sorted-btree';
import { bulkLoad } from 'sorted-btree/extended/bulkLoad.js';
import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { compareKeyTuples, type KeyTuple } from './keyOrder.js';

// sorted-btree is CommonJS: Node's ESM loader hands over module.exports (the class is its `default`), while
// bundlers and vitest hand over the class itself.
const BTree: typeof sortedBtree.default =
  (sortedBtree as unknown as { default?: typeof sortedBtree.default }).default ??
  (sortedBtree as unknown as typeof sortedBtree.default);

/** Items (or index entries) by key tuple, in the order `compareKeyTuples` defines. */
type ItemTree<V = AttributeMap> = InstanceType<typeof sortedBtree.default<KeyTuple, V>>;

const createItemTree = <V = AttributeMap>(): ItemTree<V> =>
  new BTree<KeyTuple, V>(undefined, compareKeyTuples);

/** The node size createItemTree's trees have (sorted-btree's default). */
const NODE_SIZE = 32;

/**
 * A tree built at once from entries already in its order (a data dir snapshot is written in tree order): its
 * leaves are filled in one pass, O(n), instead of n searches and node splits. Undefined when the keys are not
 * strictly ascending, so the caller inserts them one by one instead.
 */
const loadItemTree = <V>(keys: KeyTuple[], values: V[]): ItemTree<V> | undefined => {
  try {
    return bulkLoad<KeyTuple, V>(keys, values, NODE_SIZE, compareKeyTuples) as ItemTree<V>;
  } catch {
    return undefined;
  }
};

/**
 * The entries of a tree between two bounds (both inclusive; make a bound exclusive by ending it in LOW or
 * HIGH), ascending or descending. Lazy: a page that stops early never touches the rest of the range, so a read
 * costs O(log n + k).
 */
function* rangeEntries<V>(
  tree: ItemTree<V>,
  low: KeyTuple,
  high: KeyTuple,
  forward: boolean,
): Generator<readonly [KeyTuple, V]> {
  if (compareKeyTuples(low, high) > 0) return;
  if (forward) {
    for (const entry of tree.entries(low)) {
      if (compareKeyTuples(entry[0], high) > 0) return;
      yield entry;
    }
  } else {
    for (const entry of tree.entriesReversed(high)) {
      if (compareKeyTuples(entry[0], low) < 0) return;
      yield entry;
    }
  }
}

export type { ItemTree };
export { createItemTree, loadItemTree, rangeEntries };
