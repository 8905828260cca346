import type { AttributeMap } from '../../../src/records/attributeValue.js';

/**
 * One effective change to one item: what the table layer hands to change capture (③). `oldImage` is absent
 * for an insert, `newImage` for a delete. Writes that change nothing never become an ItemChange.
 */
interface ItemChange {
  readonly keys: AttributeMap;
  readonly oldImage?: AttributeMap;
  readonly newImage?: AttributeMap;
  /** Set for deletes made by the TTL sweeper: the record is tagged as a system delete. */
  readonly bySystem?: boolean;
}

export type { ItemChange };
