import type { AttributeMap } from '../../../src/records/attributeValue.js';

/**
 * One effective change to one item: what the table layer hands to change capture (③). `oldImage` is absent
 * for an insert, `newImage` for a delete. Writes that change nothing never become an ItemChange.
 */
interface ItemChange {
  readonly keys: AttributeMap;
  readonly oldImage?: AttributeMap;
  readonly newImage?: AttributeMap;
  /** `itemSize(oldImage)` and `itemSize(newImage)`, measured once by the table and reused by change capture. */
  readonly oldImageSize?: number;
  readonly newImageSize?: number;
  /** Set for deletes made by the TTL sweeper: the record is tagged as a system delete. */
  readonly bySystem?: boolean;
}

/**
 * What follows a table's effective changes (its stream, its TTL index), in two phases. Called with a change
 * before the table stores it, a listener builds and checks everything that can fail (the stream record and
 * its JSON text) and returns the function that commits it, which cannot fail; or undefined when it has
 * nothing to commit. So a write that throws has changed nothing (see `atomically`).
 */
type ChangeListener = (change: ItemChange) => (() => void) | undefined;

export type { ChangeListener, ItemChange };
