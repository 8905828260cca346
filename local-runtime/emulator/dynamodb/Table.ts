import { randomUUID } from 'node:crypto';
import { tableArn } from '../../../src/records/arn.js';
import type { AttributeMap, AttributeValue } from '../../../src/records/attributeValue.js';
import { itemSize } from '../../../src/records/itemSize.js';
import { onRollback } from '../atomic/requestScope.js';
import type { ChangeListener, ItemChange } from '../changes/ItemChange.js';
import { mapsEqual } from './attributes/compareValues.js';
import { getOwn } from './expressions/documentPath.js';
import { ItemTexts } from './ItemTexts.js';
import { checkIndexKeys, hasValidIndexKeys, indexCheckOrder } from './indexes/checkIndexKeys.js';
import { type KeyTuple, partitionHash } from './indexes/keyOrder.js';
import { type IndexChange, SecondaryIndex } from './indexes/SecondaryIndex.js';
import type { IndexThroughput, SecondaryIndexDefinition } from './indexes/SecondaryIndexDefinition.js';
import { createItemTree, loadItemTree, rangeEntries } from './indexes/sortedTree.js';
import { type KeySchema, keyOf } from './keySchema.js';

/** An item as the tree holds it: its attributes, or (restored from a snapshot, not yet read) its text's number. */
type StoredItem = AttributeMap | number;

/**
 * What the tree holds for a key: a box around the stored item, which the table's key cache (`#slots`) points to
 * as well. Overwriting an item the cache finds changes the box instead of searching the tree again: a point read
 * and a write of an existing item then cost a Map lookup instead of two B+ tree searches, which is most of what
 * a put into a large table spent in the tree (each comparison of a search touches a key tuple the client's work
 * on the same cores has pushed out of the caches). A box is changed in place only while no snapshot's clone of
 * the tree shares it (`generation`, see `itemsSnapshot`).
 */
interface Slot {
  /** The key tuple the box was stored under. */
  readonly tuple: KeyTuple;
  stored: StoredItem;
  /** `itemSize` of the stored item, measured when it was written (or read from the snapshot). */
  size: number;
  /** `#generation` when the box was made: a later snapshot's clone of the tree shares it, so it stays as it is. */
  readonly generation: number;
}

/** What `getItem` found, for the write that follows it (see `Table.#lastRead`). */
interface LastRead {
  readonly key: AttributeMap;
  readonly tuple: KeyTuple;
  /** The box the item was found in, if any. */
  readonly slot: Slot | undefined;
  /** Whether it was found under the key's own text (`#keyText`): then a write may change it in place. */
  readonly cached: boolean;
  readonly text: string | undefined;
  readonly item: AttributeMap | undefined;
}

/** Items of a snapshot, in the table's order: their keys, JSON texts and `itemSize`s. */
interface SnapshotChunk {
  readonly keys: readonly AttributeMap[];
  readonly texts: readonly string[];
  readonly sizes: readonly number[];
}

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
  /** The secondary indexes the table is created with, local ones and global ones, in request order. */
  readonly indexes?: readonly SecondaryIndexDefinition[];
}

/**
 * A table: its definition, its items and its secondary indexes. Items live in a B+ tree ordered by partition
 * hash, partition key, sort key (see `keyOrder.ts`), so a point write or read costs O(log n), and a Query or
 * a Scan page O(log n + k), however large the table grows; each index keeps its own tree.
 *
 * Every write goes through `write`, which decides whether the write changed anything, keeps the indexes
 * current and hands the effective change to the table's change listener (the stream) in the same synchronous
 * step, so no acknowledged write exists without its index entries and its stream record. It prepares all of
 * that before it stores anything, and registers the undo of what it stored (see `atomically`): a write either
 * happens with its index entries and its record, or not at all.
 */
class Table {
  readonly definition: TableDefinition;
  readonly arn: string;
  readonly id: string;
  #items = createItemTree<Slot>();
  /**
   * The boxes of stored items by their key's text (`keyText`), filled as keys are written and read: a cache, so a
   * key it lacks is looked up in the tree. Holds exactly the boxes the tree holds under those keys.
   */
  #slots = new Map<string, Slot>();
  /** Moves on with every snapshot: boxes of an earlier generation are shared with a clone and never changed. */
  #generation = 0;
  /** The texts of items restored from a snapshot and not written since (see ItemTexts). */
  readonly #texts = new ItemTexts();
  readonly #indexes = new Map<string, SecondaryIndex>();
  /** The index definitions in the order their keys are checked (`indexCheckOrder`). */
  #checkOrder: SecondaryIndexDefinition[] = [];
  #onChange: ChangeListener | undefined;
  #sizeBytes = 0;
  /** The items the last effective write replaced and stored, with their sizes (see `storedSize`). */
  #measured:
    | {
        readonly previous: AttributeMap | undefined;
        readonly previousSize: number;
        readonly next: AttributeMap | undefined;
        readonly nextSize: number;
      }
    | undefined;

  /** `id`: the TableId of a table read back from a data dir; a new one otherwise. */
  constructor(definition: TableDefinition, id: string = randomUUID()) {
    this.id = id;
    this.definition = definition;
    this.arn = tableArn(definition.region, definition.accountId, definition.name);
    for (const index of definition.indexes ?? []) {
      this.#indexes.set(index.name, new SecondaryIndex(index, definition.keySchema, this.arn));
    }
    this.#checkOrder = indexCheckOrder(definition.indexes ?? []);
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

  /** The secondary indexes by name, local and global, in creation order. */
  get indexes(): ReadonlyMap<string, SecondaryIndex> {
    return this.#indexes;
  }

  /**
   * The definitions of the indexes the table has now (after UpdateTable's changes), throughput included: what
   * it takes to build the table again.
   */
  get indexDefinitions(): SecondaryIndexDefinition[] {
    return [...this.#indexes.values()].map((index) => {
      const { provisionedThroughput: _, ...rest } = index.definition;
      const throughput = index.provisionedThroughput;
      return throughput === undefined ? rest : { ...rest, provisionedThroughput: throughput };
    });
  }

  /** Where effective changes go: set by the stream layer while the table has an enabled stream. */
  setChangeListener(listener: ChangeListener | undefined): void {
    const previous = this.#onChange;
    onRollback(() => {
      this.#onChange = previous;
    });
    this.#onChange = listener;
  }

  getItem(key: AttributeMap): AttributeMap | undefined {
    const text = this.#keyText(key);
    const cached = text === undefined ? undefined : this.#slots.get(text);
    if (cached !== undefined) {
      const item = this.#item(cached.stored);
      this.#lastRead = { key, tuple: cached.tuple, slot: cached, cached: true, text, item };
      return item;
    }
    const tuple = this.keyTuple(key);
    const slot = this.#items.get(tuple);
    // Cached only under the text of the key it was stored with (two spellings of one binary are one key).
    const same = slot !== undefined && text !== undefined && this.#tupleText(slot.tuple) === text;
    if (same) this.#slots.set(text, slot);
    const item = this.#item(slot?.stored);
    this.#lastRead = { key, tuple, slot, cached: same, text, item };
    return item;
  }

  /**
   * The text `#slots` knows a key by: each key value's type, length and text. Undefined for a binary key
   * (its base64 spellings are not unique) and for any key that is not a whole S/N key of the table.
   */
  #keyText(key: AttributeMap): string | undefined {
    const { hashKey, rangeKey } = this.definition.keySchema;
    return keyValuesText(getOwn(key, hashKey), rangeKey === undefined ? null : getOwn(key, rangeKey));
  }

  /** `#keyText` of the key a tuple was made from. */
  #tupleText(tuple: KeyTuple): string | undefined {
    const ranged = this.definition.keySchema.rangeKey !== undefined;
    return keyValuesText(
      tuple[1] as AttributeValue | undefined,
      ranged ? (tuple[2] as AttributeValue | undefined) : null,
    );
  }

  /**
   * The last `getItem`, while the tree has not changed since: a single-item write reads the item (for its
   * condition) and then writes the same key object, and `write` takes the tuple and the stored item from here
   * instead of hashing the key and searching the tree a second time. Forgotten on every change of the tree.
   */
  #lastRead: LastRead | undefined;

  /** A stored item as attributes: a restored one still kept as text is parsed. */
  #item(stored: StoredItem | undefined): AttributeMap | undefined {
    return typeof stored === 'number' ? this.#texts.item(stored) : stored;
  }

  /**
   * Throws DynamoDB's ValidationException when an item's index key attributes have the wrong type or are
   * empty. `write` checks this before changing anything; operations call it earlier to report it in
   * DynamoDB's order (before a condition is evaluated) and, for transactions, before the first write.
   */
  checkIndexKeys(item: AttributeMap): void {
    if (this.#checkOrder.length > 0) checkIndexKeys(this.#checkOrder, item);
  }

  /**
   * Replaces the item stored under `key` with `next` (undefined deletes it), updates the indexes and reports
   * the change. Returns the previous item. A write that leaves the item as it was changes nothing and reports
   * nothing. Throws (changing nothing) when `next` has invalid index key values, or when anything that follows
   * the change (index entries, the stream record) cannot be built.
   */
  write(
    key: AttributeMap,
    next: AttributeMap | undefined,
    options: {
      bySystem?: boolean;
      /** `itemSize(next)`, when the caller has measured it already (PutItem checks the 400 KB limit). */
      nextSize?: number;
    } = {},
  ): AttributeMap | undefined {
    if (next !== undefined) this.checkIndexKeys(next);
    if (this.#lastRead?.key !== key) this.getItem(key);
    const read = this.#lastRead as LastRead;
    const { tuple, slot } = read;
    const previous = read.item;
    if (next === undefined) {
      if (previous === undefined) return undefined;
    } else if (previous !== undefined && mapsEqual(previous, next)) {
      return previous;
    }
    // Everything that can fail comes first: sizes, index entries, the stream record...
    const previousSize = slot === undefined ? 0 : slot.size;
    const nextSize = next === undefined ? 0 : (options.nextSize ?? itemSize(next));
    let indexChanges: IndexChange[] | undefined;
    if (this.#indexes.size > 0) {
      indexChanges = [];
      for (const index of this.#indexes.values()) {
        const change = index.prepare(tuple, previous, previousSize, next, nextSize);
        if (change !== undefined) indexChanges.push(change);
      }
    }
    const listener = this.#onChange;
    let commitChange: (() => void) | undefined;
    if (listener !== undefined) {
      const keys = keyOf(this.definition.keySchema, previous ?? (next as AttributeMap));
      // One literal per case rather than spreads of optional parts: no temporary objects on every write.
      const change: ItemChange =
        previous === undefined
          ? { keys, newImage: next, newImageSize: nextSize }
          : next === undefined
            ? { keys, oldImage: previous, oldImageSize: previousSize }
            : {
                keys,
                oldImage: previous,
                oldImageSize: previousSize,
                newImage: next,
                newImageSize: nextSize,
              };
      commitChange = listener(options.bySystem ? { ...change, bySystem: true } : change);
    }
    // ...and nothing below can: the write is made, with its undo, then handed on.
    this.#lastRead = undefined;
    const undoStore = this.#store(tuple, read.cached ? slot : undefined, read.text, next, nextSize);
    this.#measured = { previous, previousSize, next, nextSize };
    this.#sizeBytes += nextSize - previousSize;
    if (indexChanges !== undefined) for (const change of indexChanges) change.apply();
    onRollback(() => {
      if (indexChanges !== undefined)
        for (let i = indexChanges.length - 1; i >= 0; i--) indexChanges[i]?.revert();
      this.#sizeBytes -= nextSize - previousSize;
      this.#lastRead = undefined;
      undoStore();
    });
    commitChange?.();
    return previous;
  }

  /**
   * Stores `next` under `tuple` (undefined deletes it) and returns what puts the tree and the cache back. `slot`
   * is the box `#slots` gave for the key (`text`): an item in a box no snapshot shares is replaced in place.
   */
  #store(
    tuple: KeyTuple,
    slot: Slot | undefined,
    text: string | undefined,
    next: AttributeMap | undefined,
    nextSize: number,
  ) {
    if (slot !== undefined && next !== undefined && slot.generation === this.#generation) {
      const { stored, size } = slot;
      slot.stored = next;
      slot.size = nextSize;
      return () => {
        slot.stored = stored;
        slot.size = size;
      };
    }
    const replaced = this.#items.get(tuple);
    const replacedText = replaced === undefined ? undefined : this.#tupleText(replaced.tuple);
    if (replacedText !== undefined) this.#slots.delete(replacedText);
    let stored: Slot | undefined;
    if (next === undefined) this.#items.delete(tuple);
    else {
      stored = { tuple, stored: next, size: nextSize, generation: this.#generation };
      this.#items.set(tuple, stored, true);
      if (text !== undefined && this.#tupleText(tuple) === text) this.#slots.set(text, stored);
    }
    return () => {
      if (stored !== undefined && text !== undefined) this.#slots.delete(text);
      if (replaced === undefined) this.#items.delete(tuple);
      else {
        this.#items.set(replaced.tuple, replaced, true);
        if (replacedText !== undefined) this.#slots.set(replacedText, replaced);
      }
    };
  }

  /**
   * `itemSize` of an item, without measuring it again when it is one the last effective `write` replaced or
   * stored (the capacity a write consumes is charged right after it, on the same items). Stored items are
   * never changed, so a size measured once holds.
   */
  storedSize(item: AttributeMap): number {
    const measured = this.#measured;
    if (measured !== undefined) {
      if (item === measured.next) return measured.nextSize;
      if (item === measured.previous) return measured.previousSize;
    }
    return itemSize(item);
  }

  /** Items in the table's order (partition hash, partition key, sort key). */
  *items(): IterableIterator<AttributeMap> {
    for (const slot of this.#items.values()) yield this.#item(slot.stored) as AttributeMap;
  }

  /**
   * Stores items read back from a data dir: a snapshot's `items` (each under a key the table does not hold
   * yet; `sizes` are their `itemSize`s when the snapshot has them), then the journal's `changes` after it in
   * order (an item stored, or deleted by its key). No change is reported (the stream's records are restored
   * on their own), only the tree, the size and the indexes change.
   *
   * Into an empty table, snapshot items that come in the table's order (a snapshot writes them so) are loaded
   * as one tree (`loadItemTree`): O(n) instead of a tree search and insert per item, which for a million items
   * is most of a restart. The changes are then written one by one: a journal tail is short next to the
   * snapshot, and merging it into copies of the snapshot's arrays cost more (three arrays of a million
   * entries for the garbage collector) than the few thousand tree writes.
   */
  restoreItems(
    items: readonly AttributeMap[],
    sizes?: readonly number[],
    changes: readonly { readonly key: AttributeMap; readonly item: AttributeMap | undefined }[] = [],
  ): void {
    this.restoreStoredItems(items, items, sizes, changes);
  }

  /**
   * `restoreItems` for items given by their keys and either their attributes or the number `addItemTexts`
   * gave their text (`values`, in the same order as `keys`).
   */
  restoreStoredItems(
    keys: readonly AttributeMap[],
    values: readonly StoredItem[],
    sizes?: readonly number[],
    changes: readonly { readonly key: AttributeMap; readonly item: AttributeMap | undefined }[] = [],
  ): void {
    this.#lastRead = undefined;
    const tuples = keys.map((key) => this.keyTuple(key));
    const sizeOf = (i: number, value: StoredItem) =>
      sizes?.[i] ?? (typeof value === 'number' ? this.#texts.size(value) : itemSize(value));
    const generation = this.#generation;
    const slots = values.map(
      (stored, i): Slot => ({ tuple: tuples[i] as KeyTuple, stored, size: sizeOf(i, stored), generation }),
    );
    const loaded = this.#items.size === 0 ? loadItemTree(tuples, slots) : undefined;
    if (loaded === undefined) {
      for (let i = 0; i < values.length; i++) {
        const value = values[i] as StoredItem;
        const tuple = tuples[i] as KeyTuple;
        if (!this.#items.set(tuple, slots[i] as Slot, false))
          throw new Error(`duplicate item in snapshot of ${this.name}`);
        this.#restored(tuple, value, (slots[i] as Slot).size);
      }
    } else {
      this.#items = loaded;
      this.#slots.clear();
      for (let i = 0; i < values.length; i++) {
        const value = values[i] as StoredItem;
        this.#restored(tuples[i] as KeyTuple, value, (slots[i] as Slot).size);
      }
    }
    for (const change of changes) this.write(change.key, change.item);
  }

  /**
   * Keeps a snapshot line's item texts (one after another, each followed by `separator` but the last) and
   * their sizes: returns the number that names the first for `restoreStoredItems` (the others follow it), or
   * undefined when the line is too long to be kept so.
   */
  addItemTexts(
    bytes: Buffer,
    separator: number,
    count: number,
    sizes: readonly number[],
  ): number | undefined {
    return this.#texts.add(bytes, separator, count, sizes);
  }

  /** Counts a restored item's size and adds it to the indexes. */
  #restored(tuple: KeyTuple, stored: StoredItem, size: number): void {
    this.#sizeBytes += size;
    if (this.#indexes.size === 0) return;
    const item = this.#item(stored) as AttributeMap;
    for (const index of this.#indexes.values()) index.prepare(tuple, undefined, 0, item, size)?.apply();
  }

  /** The items as they are now, for a snapshot: an O(1) copy-on-write clone of the tree. */
  /**
   * The items as they are now, for a snapshot, in chunks of up to `size`: each item's key, JSON text and size.
   * The tree is cloned (copy-on-write, O(1)) when this is called, so the chunks describe this instant however
   * late they are read.
   */
  itemsSnapshot(size: number): Iterable<SnapshotChunk> {
    const entries = this.#items.clone().entries();
    // The clone shares every box there is now: from here on a write puts a new box in the tree instead.
    this.#generation += 1;
    const texts = this.#texts;
    const { hashKey, rangeKey } = this.definition.keySchema;
    return (function* () {
      let chunk: { keys: AttributeMap[]; texts: string[]; sizes: number[] } = {
        keys: [],
        texts: [],
        sizes: [],
      };
      for (const [tuple, slot] of entries) {
        const stored = slot.stored;
        chunk.keys.push(
          rangeKey === undefined
            ? { [hashKey]: tuple[1] as AttributeValue }
            : { [hashKey]: tuple[1] as AttributeValue, [rangeKey]: tuple[2] as AttributeValue },
        );
        if (typeof stored === 'number') {
          chunk.texts.push(texts.text(stored));
          chunk.sizes.push(texts.size(stored));
        } else {
          chunk.texts.push(JSON.stringify(stored));
          chunk.sizes.push(itemSize(stored));
        }
        if (chunk.keys.length === size) {
          yield chunk;
          chunk = { keys: [], texts: [], sizes: [] };
        }
      }
      if (chunk.keys.length > 0) yield chunk;
    })();
  }

  /** Items between two key tuples, both inclusive (see `rangeEntries`): what Query and Scan page over. */
  entries(low: KeyTuple, high: KeyTuple, forward: boolean): Iterable<readonly [KeyTuple, AttributeMap]> {
    return this.#unboxed(rangeEntries(this.#items, low, high, forward));
  }

  *#unboxed(entries: Iterable<readonly [KeyTuple, Slot]>): Iterable<readonly [KeyTuple, AttributeMap]> {
    for (const entry of entries) {
      const stored = entry[1].stored;
      yield [entry[0], typeof stored === 'number' ? this.#texts.item(stored) : stored];
    }
  }

  /** The tree key of an item or key: `[partition hash, partition key, sort key]`. */
  keyTuple(key: AttributeMap): KeyTuple {
    const { hashKey, rangeKey } = this.definition.keySchema;
    const partition = getOwn(key, hashKey) as AttributeValue;
    return [partitionHash(partition), partition, rangeKey === undefined ? undefined : getOwn(key, rangeKey)];
  }

  /**
   * Adds a global secondary index (UpdateTable's Create action) and builds it from the items already stored.
   * Items whose index key values the index could not hold (wrong type, empty) are left out, as DynamoDB's
   * backfill leaves them out.
   */
  addGlobalIndex(definition: SecondaryIndexDefinition): SecondaryIndex {
    if (this.#indexes.has(definition.name)) throw new Error(`Index ${definition.name} already exists`);
    const index = new SecondaryIndex(definition, this.definition.keySchema, this.arn);
    for (const [tuple, slot] of this.#items.entries()) {
      const item = this.#item(slot.stored) as AttributeMap;
      if (hasValidIndexKeys(definition, item)) index.backfill(tuple, item);
    }
    this.#setIndexes([...this.#indexes, [definition.name, index]]);
    return index;
  }

  /** Drops a global secondary index (UpdateTable's Delete action). Returns whether it existed. */
  removeGlobalIndex(name: string): boolean {
    const index = this.#indexes.get(name);
    if (index === undefined || !index.global) return false;
    this.#setIndexes([...this.#indexes].filter(([other]) => other !== name));
    return true;
  }

  /** Replaces the index set (UpdateTable changes it), undoably and in order: DescribeTable lists that order. */
  #setIndexes(entries: readonly (readonly [string, SecondaryIndex])[]): void {
    const previous = [...this.#indexes];
    onRollback(() => this.#replaceIndexes(previous));
    this.#replaceIndexes(entries);
  }

  #replaceIndexes(entries: readonly (readonly [string, SecondaryIndex])[]): void {
    this.#indexes.clear();
    for (const [name, index] of entries) this.#indexes.set(name, index);
    this.#checkOrder = indexCheckOrder([...this.#indexes.values()].map((i) => i.definition));
  }

  /** Sets a global secondary index's provisioned throughput (UpdateTable's Update action). */
  updateGlobalIndexThroughput(name: string, throughput: IndexThroughput | undefined): void {
    const index = this.#indexes.get(name);
    if (index === undefined || !index.global) throw new Error(`No global secondary index ${name}`);
    index.setProvisionedThroughput(throughput);
  }
}

/**
 * A key value as `#keyText` spells it: its type, its length and its text, so that no two keys of one schema
 * share a text (numbers are canonical once validated). Undefined for a binary or anything else.
 */
const valueText = (value: AttributeValue | undefined): string | undefined => {
  if (value === undefined) return undefined;
  if ('S' in value) return `S${value.S.length}:${value.S}`;
  if ('N' in value) return `N${value.N.length}:${value.N}`;
  return undefined;
};

/** The text of a key's partition and sort values (null: the schema has no sort key), as `#keyText` gives it. */
const keyValuesText = (
  partition: AttributeValue | undefined,
  sort: AttributeValue | undefined | null,
): string | undefined => {
  const partitionText = valueText(partition);
  if (partitionText === undefined || sort === null) return partitionText;
  const sortText = valueText(sort);
  return sortText === undefined ? undefined : partitionText + sortText;
};

export type { SnapshotChunk, TableDefinition };
export { Table };
