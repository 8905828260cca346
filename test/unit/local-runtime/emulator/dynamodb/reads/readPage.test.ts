import { describe, expect, it } from 'vitest';
import { compileExpressions } from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import type { KeyTuple } from '../../../../../../local-runtime/emulator/dynamodb/indexes/keyOrder.js';
import {
  MAX_PAGE_BYTES,
  pageItemSize,
} from '../../../../../../local-runtime/emulator/dynamodb/reads/pageItemSize.js';
import { readPage } from '../../../../../../local-runtime/emulator/dynamodb/reads/readPage.js';
import type { AttributeMap } from '../../../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../../../src/records/itemSize.js';

const items = (count: number, extra: (i: number) => AttributeMap = () => ({})): AttributeMap[] =>
  Array.from({ length: count }, (_, i) => ({ pk: { S: 'p' }, sk: { N: String(i) }, ...extra(i) }));

/** Entries as a tree would give them, counting how many were pulled (pages must stop early). */
const source = (list: AttributeMap[]) => {
  const pulled = { count: 0 };
  const entries = (function* () {
    for (const item of list) {
      pulled.count += 1;
      yield [[] as KeyTuple, item] as const;
    }
  })();
  return { entries, pulled };
};

const filterOf = (expression: string, values: AttributeMap) =>
  compileExpressions({ FilterExpression: expression, ExpressionAttributeValues: values }).filter;

describe('readPage', () => {
  it('applies Limit to the items read, before the filter, and stops reading there', () => {
    const { entries, pulled } = source(items(10, (i) => ({ even: { BOOL: i % 2 === 0 } })));
    const page = readPage({
      entries,
      limit: 4,
      filter: filterOf('even = :t', { ':t': { BOOL: true } }),
      countOnly: false,
      rangeKey: 'sk',
    });
    expect(page.scannedCount).toBe(4);
    expect(page.count).toBe(2);
    expect(page.items.map((item) => item.sk)).toEqual([{ N: '0' }, { N: '2' }]);
    expect(page.lastEvaluated?.sk).toEqual({ N: '3' });
    expect(pulled.count).toBe(4);
  });

  it('reports a last evaluated entry when Limit is reached even if nothing follows, as DynamoDB does', () => {
    const page = readPage({ entries: source(items(3)).entries, limit: 3, countOnly: false, rangeKey: 'sk' });
    expect(page.lastEvaluated?.sk).toEqual({ N: '2' });
    expect(
      readPage({ entries: source(items(3)).entries, limit: 4, countOnly: false, rangeKey: 'sk' })
        .lastEvaluated,
    ).toBeUndefined();
  });

  it('stops at 1 MB of page size, including the item that crosses it', () => {
    const list = items(40, () => ({ blob: { S: 'x'.repeat(100_000) } }));
    const size = pageItemSize(list[0] as AttributeMap, 'sk');
    const page = readPage({ entries: source(list).entries, countOnly: false, rangeKey: 'sk' });
    expect(page.scannedCount).toBe(Math.ceil(MAX_PAGE_BYTES / size));
    expect(page.lastEvaluated).toBe(list[page.scannedCount - 1]);
  });

  it('returns the stored items themselves unless projected', () => {
    const list = items(2, () => ({ a: { S: 'a' }, b: { S: 'b' } }));
    const page = readPage({ entries: source(list).entries, countOnly: false, rangeKey: 'sk' });
    expect(page.items[0]).toBe(list[0]);
    const projection = compileExpressions({ ProjectionExpression: 'b' }).projection;
    const projected = readPage({
      entries: source(list).entries,
      ...(projection === undefined ? {} : { projection }),
      countOnly: false,
      rangeKey: 'sk',
    });
    expect(projected.items).toEqual([{ b: { S: 'b' } }, { b: { S: 'b' } }]);
  });

  it('counts without items for Select COUNT', () => {
    const page = readPage({ entries: source(items(5)).entries, countOnly: true, rangeKey: 'sk' });
    expect(page).toMatchObject({ items: [], count: 5, scannedCount: 5 });
  });

  it('filters and projects fetched table items, and may return the index entries instead', () => {
    const entry = { pk: { S: 'p' }, sk: { N: '1' } };
    const full = { ...entry, secret: { S: 's' } };
    const filter = filterOf('secret = :s', { ':s': { S: 's' } });
    const fetched = readPage({
      entries: source([entry]).entries,
      ...(filter === undefined ? {} : { filter }),
      fetch: () => full,
      countOnly: false,
      rangeKey: 'sk',
    });
    expect(fetched.items).toEqual([full]);
    expect(fetched.reads).toEqual({ entries: 1, entryBytes: itemSize(entry), fetchedBytes: itemSize(full) });
    const asEntries = readPage({
      entries: source([entry]).entries,
      ...(filter === undefined ? {} : { filter }),
      fetch: () => full,
      returnEntries: true,
      countOnly: false,
      rangeKey: 'sk',
    });
    expect(asEntries.items[0]).toBe(entry);
  });
});

describe('pageItemSize', () => {
  it('counts names as one byte, values with length prefixes, and per-item metadata', () => {
    // 'a' (S, 1 byte + 1 prefix + 1 name) and the sort key, which only enlarges the metadata.
    expect(pageItemSize({ a: { S: 'x' } }, undefined)).toBe(2 + 3 + 18);
    expect(pageItemSize({ a: { S: 'x' }, sk: { N: '1' } }, 'sk')).toBe(2 + 3 + 20);
  });

  it('grows the metadata with every 3 KB of item', () => {
    const small = pageItemSize({ a: { S: 'x'.repeat(3000) } }, undefined);
    const large = pageItemSize({ a: { S: 'x'.repeat(3100) } }, undefined);
    expect(large - small).toBe(100 + 18);
  });
});
