import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { applyProjection, type Condition, evaluateCondition, type Projection } from '../expressions/index.js';
import type { KeyTuple } from '../indexes/keyOrder.js';
import { MAX_PAGE_BYTES, pageItemSize } from './pageItemSize.js';

interface PageRequest {
  /** The stored entries in read order (table items, or index entries), lazily: the page stops early. */
  readonly entries: Iterable<readonly [KeyTuple, AttributeMap]>;
  /** At most this many entries are read (DynamoDB's Limit counts items read, before the filter). */
  readonly limit?: number;
  readonly filter?: Condition;
  readonly projection?: Projection;
  /** Select COUNT: count the matches, return no items. */
  readonly countOnly: boolean;
  /** For local index reads that need attributes the index does not hold: the table's item for an entry. */
  readonly fetch?: (entry: AttributeMap) => AttributeMap;
  /** Return the entries as the index holds them (ALL_PROJECTED_ATTRIBUTES) even when items were fetched. */
  readonly returnEntries?: boolean;
  /** The table's sort key name: part of each item's page size. */
  readonly rangeKey: string | undefined;
}

/** What one page read, in bytes as DynamoDB sizes items (`itemSize`): what consumed capacity is computed from. */
interface PageReads {
  /** Entries read from the table or index the request names. */
  readonly entries: number;
  readonly entryBytes: number;
  /** Table items fetched for index entries (local indexes only). */
  readonly fetchedBytes: number;
}

interface Page {
  readonly items: AttributeMap[];
  /** Matches (after the filter). */
  readonly count: number;
  /** Entries read (before the filter). */
  readonly scannedCount: number;
  /** The last entry read when the page stopped at Limit or at 1 MB: LastEvaluatedKey is made from it. */
  readonly lastEvaluated?: AttributeMap;
  readonly reads: PageReads;
}

/**
 * Reads one page of a Query or Scan: entries in order until Limit entries or 1 MB have been read, the filter
 * applied after the limit (as DynamoDB does, so a page may return fewer items than Limit, even none), then the
 * projection. Every entry read is measured here, in one place. Items are returned as stored, not copied, unless
 * projected: the response is serialised before anything can change them.
 */
const readPage = (request: PageRequest): Page => {
  const { limit, filter, projection, countOnly, fetch, returnEntries, rangeKey } = request;
  const items: AttributeMap[] = [];
  let count = 0;
  let scanned = 0;
  let pageBytes = 0;
  let entryBytes = 0;
  let fetchedBytes = 0;
  let lastEvaluated: AttributeMap | undefined;
  for (const [, entry] of request.entries) {
    const item = fetch === undefined ? entry : fetch(entry);
    scanned += 1;
    entryBytes += itemSize(entry);
    if (item !== entry) fetchedBytes += itemSize(item);
    pageBytes += pageItemSize(item, rangeKey);
    if (filter === undefined || evaluateCondition(filter, item)) {
      count += 1;
      if (!countOnly) {
        items.push(
          projection !== undefined
            ? applyProjection(projection, item)
            : returnEntries === true
              ? entry
              : item,
        );
      }
    }
    if (scanned === limit || pageBytes >= MAX_PAGE_BYTES) {
      lastEvaluated = entry;
      break;
    }
  }
  return {
    items,
    count,
    scannedCount: scanned,
    ...(lastEvaluated === undefined ? {} : { lastEvaluated }),
    reads: { entries: scanned, entryBytes, fetchedBytes },
  };
};

export type { Page, PageReads, PageRequest };
export { readPage };
