import { describe, expect, it } from 'vitest';
import type { KeyCondition } from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import { matchesKeyCondition } from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import {
  HIGH,
  LOW,
  partitionHash,
} from '../../../../../../local-runtime/emulator/dynamodb/indexes/keyOrder.js';
import {
  createItemTree,
  rangeEntries,
} from '../../../../../../local-runtime/emulator/dynamodb/indexes/sortedTree.js';
import {
  afterStartKey,
  type KeyRange,
  prefixEnd,
  queryRange,
} from '../../../../../../local-runtime/emulator/dynamodb/reads/keyRange.js';
import type { AttributeMap, AttributeValue } from '../../../../../../src/records/attributeValue.js';

const SORT_KEYS = ['', 'a', 'ab', 'abc', 'abd', 'ac', 'b', 'b\uFFFF', 'b\u{10000}', 'c'].filter(
  (s) => s !== '',
);
const PARTITIONS = ['p', 'q', 'r'];

const tree = createItemTree();
for (const pk of PARTITIONS) {
  for (const sk of SORT_KEYS) {
    const item: AttributeMap = { pk: { S: pk }, sk: { S: sk } };
    tree.set([partitionHash({ S: pk }), { S: pk }, { S: sk }], item);
  }
}

const read = (condition: KeyCondition, forward = true, start?: AttributeMap) => {
  const startTuple =
    start === undefined ? undefined : [partitionHash(start.pk as AttributeValue), start.pk, start.sk];
  const range = afterStartKey(queryRange(condition), startTuple, forward);
  return [...rangeEntries(tree, range.low, range.high, forward)].map(
    ([, item]) => (item.sk as { S: string }).S,
  );
};

const s = (text: string): AttributeValue => ({ S: text });

describe('queryRange', () => {
  const cases: [string, KeyCondition['sortKey']][] = [
    ['no sort condition', undefined],
    ['=', { name: 'sk', operator: '=', values: [s('ab')] }],
    ['<', { name: 'sk', operator: '<', values: [s('ab')] }],
    ['<=', { name: 'sk', operator: '<=', values: [s('ab')] }],
    ['>', { name: 'sk', operator: '>', values: [s('ab')] }],
    ['>=', { name: 'sk', operator: '>=', values: [s('ab')] }],
    ['BETWEEN', { name: 'sk', operator: 'BETWEEN', values: [s('ab'), s('b')] }],
    ['begins_with', { name: 'sk', operator: 'begins_with', values: [s('ab')] }],
    ['begins_with at U+FFFF', { name: 'sk', operator: 'begins_with', values: [s('b\uFFFF')] }],
    ['= on a missing value', { name: 'sk', operator: '=', values: [s('zz')] }],
  ];
  it.each(cases)('selects exactly the partition items matching %s, in both directions', (_, sortKey) => {
    const condition: KeyCondition = {
      partitionKey: { name: 'pk', value: s('q') },
      ...(sortKey ? { sortKey } : {}),
    };
    const expected = SORT_KEYS.filter((sk) => matchesKeyCondition(condition, { pk: s('q'), sk: s(sk) })).sort(
      (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    expect(read(condition)).toEqual(expected);
    expect(read(condition, false)).toEqual([...expected].reverse());
  });

  it('continues after an exclusive start key, either way', () => {
    const condition: KeyCondition = { partitionKey: { name: 'pk', value: s('q') } };
    expect(read(condition, true, { pk: s('q'), sk: s('ac') })).toEqual(['b', 'b\uFFFF', 'b\u{10000}', 'c']);
    expect(read(condition, false, { pk: s('q'), sk: s('ab') })).toEqual(['a']);
  });

  it('is empty for a partition that does not exist', () => {
    expect(read({ partitionKey: { name: 'pk', value: s('nope') } })).toEqual([]);
  });
});

describe('prefixEnd', () => {
  it('is the smallest string above every string with the prefix', () => {
    expect(prefixEnd(s('ab'))).toEqual(s('ac'));
    expect(prefixEnd(s('a\uFFFF'))).toEqual(s('a\u{10000}'));
    expect(prefixEnd(s('a\u{10FFFF}'))).toEqual(s('b'));
    expect(prefixEnd(s('\u{10FFFF}'))).toBeUndefined();
    expect(prefixEnd(s('a\uD7FF'))).toEqual(s('a\uE000'));
  });

  it('increments the last byte of a binary below 0xFF', () => {
    const b = (...bytes: number[]) => ({ B: Buffer.from(bytes).toString('base64') });
    expect(prefixEnd(b(1, 2))).toEqual(b(1, 3));
    expect(prefixEnd(b(1, 0xff))).toEqual(b(2));
    expect(prefixEnd(b(0xff))).toBeUndefined();
  });

  it('has nothing to say about other types', () => {
    expect(prefixEnd({ N: '1' })).toBeUndefined();
  });
});

describe('afterStartKey', () => {
  it('keeps the range when the start key lies before it', () => {
    const range: KeyRange = { low: [5, LOW], high: [9, HIGH] };
    expect(afterStartKey(range, [1, s('a'), undefined], true)).toBe(range);
    expect(afterStartKey(range, [10, s('a'), undefined], false)).toBe(range);
  });
});
