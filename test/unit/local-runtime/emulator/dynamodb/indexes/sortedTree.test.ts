import { describe, expect, it } from 'vitest';
import {
  type KeyTuple,
  partitionHash,
} from '../../../../../../local-runtime/emulator/dynamodb/indexes/keyOrder.js';
import {
  createItemTree,
  findEntry,
  replaceAt,
  valueAt,
} from '../../../../../../local-runtime/emulator/dynamodb/indexes/sortedTree.js';
import { Random } from '../../../../../helpers/Random.js';

// findEntry and replaceAt read sorted-btree's nodes (Table.write replaces an item where getItem found it): if an
// upgrade of sorted-btree moved what they read, these fail.

const tupleOf = (i: number): KeyTuple => {
  const partition = { S: `p${Math.floor(i / 10)}` };
  return [partitionHash(partition), partition, { N: String(i) }];
};

const treeOf = (count: number, random: Random) => {
  const tree = createItemTree<string>();
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  for (const i of order) tree.set(tupleOf(i), `v${i}`);
  return tree;
};

describe('findEntry', () => {
  it('finds every stored key, and no other, where tree.get finds it (several levels of nodes)', () => {
    const tree = treeOf(5000, new Random(7));
    for (let i = 0; i < 5200; i += 1) {
      const entry = findEntry(tree, tupleOf(i));
      expect(entry.found).toBe(i < 5000);
      if (entry.found) {
        expect(valueAt(entry)).toBe(tree.get(tupleOf(i)));
        expect(entry.writable).toBe(true);
      }
    }
  });

  it('finds nothing in an empty tree, and does not offer its shared empty leaf for writing', () => {
    const entry = findEntry(createItemTree<string>(), tupleOf(1));
    expect(entry.found).toBe(false);
    expect(entry.writable).toBe(false);
  });
});

describe('replaceAt', () => {
  it('replaces the value as tree.set would, leaving the other entries and the size as they were', () => {
    const tree = treeOf(3000, new Random(11));
    const key = tupleOf(1234);
    expect(replaceAt(findEntry(tree, key), tupleOf(1234), 'new')).toBe(true);
    expect(tree.get(key)).toBe('new');
    expect(tree.size).toBe(3000);
    expect(tree.get(tupleOf(1233))).toBe('v1233');
    expect([...tree.keys()].map((k) => k[2])).toEqual(
      [...treeOf(3000, new Random(11)).keys()].map((k) => k[2]),
    );
  });

  it('refuses to write into nodes a clone shares, so the clone keeps what it saw', () => {
    const tree = treeOf(3000, new Random(13));
    const clone = tree.clone();
    const key = tupleOf(42);
    const entry = findEntry(tree, key);
    expect(entry.found).toBe(true);
    expect(entry.writable).toBe(false);
    expect(replaceAt(entry, key, 'new')).toBe(false);
    tree.set(key, 'new', true);
    expect(clone.get(key)).toBe('v42');
    // The path tree.set copied is the tree's own again: a later write there may go in place.
    expect(findEntry(tree, key).writable).toBe(true);
    expect(replaceAt(findEntry(tree, key), key, 'newer')).toBe(true);
    expect(clone.get(key)).toBe('v42');
    expect(tree.get(key)).toBe('newer');
  });

  it('refuses an entry that was not found', () => {
    const tree = treeOf(100, new Random(17));
    expect(replaceAt(findEntry(tree, tupleOf(500)), tupleOf(500), 'x')).toBe(false);
    expect(tree.has(tupleOf(500))).toBe(false);
  });
});
