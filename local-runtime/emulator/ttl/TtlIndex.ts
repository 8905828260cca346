import type { AttributeMap } from '../../../src/records/attributeValue.js';
import { onRollback } from '../atomic/requestScope.js';
import type { ItemChange } from '../changes/ItemChange.js';

/** An item the index knows to carry a TTL: its key and its expiry in epoch milliseconds. */
interface TtlEntry {
  readonly key: AttributeMap;
  readonly expiresAt: number;
}

interface HeapNode {
  readonly expiresAt: number;
  readonly id: string;
}

/**
 * Heap order: by expiry, then by key. Items that expire at the same instant are deleted in key order, however
 * the heap was built, so a restart that rebuilds the index from the journal deletes them in the same order
 * (and a rolled-back sweep that puts entries back changes nothing a later sweep does).
 */
const comesBefore = (a: HeapNode, b: HeapNode): boolean =>
  a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.id < b.id);

/**
 * The items of one table that carry a TTL, ordered by expiry in a binary min-heap, so a sweep costs
 * O(k log n) for the k items that expired instead of a scan of the whole table.
 *
 * The heap is lazy: a rewrite or delete only updates `#entries`, and heap nodes that no longer match their
 * entry are dropped when they reach the top. The heap is rebuilt when stale nodes outnumber live ones, so it
 * never grows beyond twice the number of TTL items.
 */
class TtlIndex {
  readonly attributeName: string;
  readonly #entries = new Map<string, TtlEntry>();
  #heap: HeapNode[] = [];

  constructor(attributeName: string) {
    this.attributeName = attributeName;
  }

  /** How many items carry a TTL in Number form. */
  get size(): number {
    return this.#entries.size;
  }

  /** Follows one effective change of the table at once (see `prepare`). */
  record(change: ItemChange): void {
    this.prepare(change)?.();
  }

  /**
   * Prepares following one effective change of the table (the table's change listener calls this before the
   * item is stored): returns the function that updates the index, which cannot fail, or undefined when the
   * index does not change.
   */
  prepare(change: ItemChange): (() => void) | undefined {
    return this.#prepare(change.keys, change.newImage);
  }

  /** Indexes (or forgets) the item stored under `key`: `item` is its new content, undefined once deleted. */
  track(key: AttributeMap, item: AttributeMap | undefined): void {
    this.#prepare(key, item)?.();
  }

  #prepare(key: AttributeMap, item: AttributeMap | undefined): (() => void) | undefined {
    const id = JSON.stringify(key);
    const expiresAt = item === undefined ? undefined : this.expiryOf(item);
    const current = this.#entries.get(id);
    if (current?.expiresAt === expiresAt) return undefined;
    return () => {
      // The heap is lazy: a node left behind by the undo no longer matches its entry and is dropped later.
      onRollback(() => {
        if (current === undefined) {
          this.#entries.delete(id);
          return;
        }
        this.#entries.set(id, current);
        // Its node may have been dropped by a rebuild meanwhile; a duplicate node is skipped when popped.
        this.#push({ expiresAt: current.expiresAt, id });
      });
      if (expiresAt === undefined) {
        this.#entries.delete(id);
        return;
      }
      this.#entries.set(id, { key, expiresAt });
      this.#push({ expiresAt, id });
      if (this.#heap.length > 2 * this.#entries.size + 64) this.#rebuild();
    };
  }

  /**
   * The item's expiry in epoch milliseconds, or undefined when the TTL attribute is missing or not a Number
   * (DynamoDB ignores those items).
   */
  expiryOf(item: AttributeMap): number | undefined {
    const value = item[this.attributeName];
    if (value === undefined || !('N' in value)) return undefined;
    const seconds = Number(value.N);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }

  /**
   * Removes and returns the entries that expired before `now`. Entries expired before `ignoreBefore` are
   * dropped without being returned: DynamoDB never deletes items whose TTL is that far in the past.
   */
  takeExpired(now: number, ignoreBefore: number): TtlEntry[] {
    const expired: TtlEntry[] = [];
    for (let top = this.#heap[0]; top !== undefined && top.expiresAt < now; top = this.#heap[0]) {
      this.#pop();
      const entry = this.#entries.get(top.id);
      if (entry === undefined || entry.expiresAt !== top.expiresAt) continue;
      const node = top;
      this.#entries.delete(node.id);
      onRollback(() => {
        this.#entries.set(node.id, entry);
        this.#push(node);
      });
      if (entry.expiresAt >= ignoreBefore) expired.push(entry);
    }
    return expired;
  }

  #rebuild(): void {
    this.#heap = [];
    for (const [id, entry] of this.#entries) this.#push({ expiresAt: entry.expiresAt, id });
  }

  #push(node: HeapNode): void {
    const heap = this.#heap;
    heap.push(node);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent] as HeapNode;
      if (!comesBefore(node, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = node;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && comesBefore(heap[right] as HeapNode, heap[left] as HeapNode) ? right : left;
      const smaller = heap[child] as HeapNode;
      if (!comesBefore(smaller, last)) break;
      heap[i] = smaller;
      i = child;
    }
    heap[i] = last;
  }
}

export type { TtlEntry };
export { TtlIndex };
