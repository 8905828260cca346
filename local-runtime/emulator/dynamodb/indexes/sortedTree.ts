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
 * The parts of a sorted-btree node this module reads (sorted-btree 2.1.0, pinned in package.json; the unit test
 * of `findEntry` fails if an upgrade moves them): keys in order, a leaf's values or an internal node's
 * children (whose largest keys the internal node's keys are), and the copy-on-write mark a `clone` sets.
 */
interface TreeNode<V> {
  readonly keys: KeyTuple[];
  readonly values?: V[];
  readonly children?: TreeNode<V>[];
  readonly isShared?: boolean;
}

/**
 * Where a key is in a tree, found by one search: the leaf and position that hold it, or that it would be
 * inserted at. `writable` says the value may be replaced in place (`replaceAt`): no node on the path is shared
 * with a clone.
 */
interface TreeEntry<V> {
  readonly leaf: TreeNode<V>;
  readonly index: number;
  readonly found: boolean;
  readonly writable: boolean;
}

/** The first position whose key is not below `key` (binary search; `keys.length` when all are below). */
const lowerBound = (keys: readonly KeyTuple[], key: KeyTuple): number => {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareKeyTuples(keys[middle] as KeyTuple, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
};

/**
 * Finds a key's leaf and position, as `tree.get` searches for it, and remembers them: a write of the item just
 * read (PutItem, UpdateItem) then replaces the value there (`replaceAt`) instead of searching the tree again,
 * which on a cold cache costs as much as the read's own search.
 */
const findEntry = <V>(tree: ItemTree<V>, key: KeyTuple): TreeEntry<V> => {
  let node = (tree as unknown as { readonly _root: TreeNode<V> })._root;
  let writable = node.isShared !== true;
  while (node.children !== undefined) {
    const children: TreeNode<V>[] = node.children;
    const at = lowerBound(node.keys, key);
    if (at === children.length) return { leaf: node, index: at, found: false, writable: false };
    node = children[at] as TreeNode<V>;
    if (node.isShared === true) writable = false;
  }
  const index = lowerBound(node.keys, key);
  const found = index < node.keys.length && compareKeyTuples(node.keys[index] as KeyTuple, key) === 0;
  return { leaf: node, index, found, writable: writable && node.values?.length === node.keys.length };
};

/** The value at an entry `findEntry` found (`found` true). */
const valueAt = <V>(entry: TreeEntry<V>): V => entry.leaf.values?.[entry.index] as V;

/**
 * Replaces the value (and the key, with an equal one) at an entry `findEntry` found in a tree not changed since,
 * as `tree.set(key, value, true)` would, when `writable`; returns false (and changes nothing) otherwise.
 */
const replaceAt = <V>(entry: TreeEntry<V>, key: KeyTuple, value: V): boolean => {
  if (!entry.found || !entry.writable) return false;
  (entry.leaf.keys as KeyTuple[])[entry.index] = key;
  (entry.leaf.values as V[])[entry.index] = value;
  return true;
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

export type { ItemTree, TreeEntry };
export { createItemTree, findEntry, loadItemTree, rangeEntries, replaceAt, valueAt };
