import { describe, expect, it } from 'vitest';
import { attributeValueSize, itemSize, numberSize } from '../../../../src/records/itemSize.js';

describe(numberSize.name, () => {
  it.each([
    ['0', 1],
    ['1', 2],
    ['10', 2],
    ['12', 2],
    ['123', 3],
    ['-1', 3],
    ['1.5', 3],
    ['0.05', 2],
    ['1E+10', 2],
    ['12345678901234567890123456789012345678', 20],
  ])('%s takes %i bytes', (text, bytes) => {
    expect(numberSize(text)).toBe(bytes);
  });
});

describe(attributeValueSize.name, () => {
  it('counts strings in UTF-8 bytes, not characters', () => {
    expect(attributeValueSize({ S: 'héllo' })).toBe(6);
    expect(attributeValueSize({ S: '😀' })).toBe(4);
  });

  it('counts binary in decoded bytes', () => {
    expect(attributeValueSize({ B: Buffer.from('foobar').toString('base64') })).toBe(6);
  });

  it('adds 3 bytes per list or map and 1 per element', () => {
    expect(attributeValueSize({ L: [{ S: 'ab' }, { BOOL: true }] })).toBe(3 + (1 + 2) + (1 + 1));
    expect(attributeValueSize({ M: { a: { S: 'xy' } } })).toBe(3 + (1 + 1 + 2));
  });
});

describe(itemSize.name, () => {
  it('adds attribute names to their values (the docs example record: Keys of 26 bytes)', () => {
    // Lambda docs' INSERT example: Keys {Id: N 101}, NewImage {Message: S "New item!", Id: N 101} → SizeBytes 26.
    const keys = { Id: { N: '101' } };
    const newImage = { Message: { S: 'New item!' }, Id: { N: '101' } };
    expect(itemSize(keys) + itemSize(newImage)).toBe(26);
  });

  it('keeps __proto__ as a plain attribute name', () => {
    const item = JSON.parse('{"__proto__":{"S":"x"}}');
    expect(itemSize(item)).toBe('__proto__'.length + 1);
  });
});
