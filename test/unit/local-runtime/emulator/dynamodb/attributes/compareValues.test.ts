import { describe, expect, it } from 'vitest';
import {
  compareBinary,
  compareStrings,
  compareValues,
  isOrderable,
  valuesEqual,
} from '../../../../../../local-runtime/emulator/dynamodb/attributes/compareValues.js';
import type { AttributeValue } from '../../../../../../src/records/attributeValue.js';

const b64 = (...bytes: number[]) => Buffer.from(bytes).toString('base64');
const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('compareStrings', () => {
  it.each([
    ['a', 'b'],
    ['a', 'ab'],
    ['', 'a'],
    ['Z', 'a'],
    ['z', '¿'],
    // U+FF5E (EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in UTF-8, but after its surrogates in UTF-16.
    ['～', '😀'],
    ['\uE000', '\u{10000}'],
    ['a😀', 'a\uFFFF'],
    ['日本', '日本語'],
  ])('orders %j and %j by UTF-8 bytes', (a, b) => {
    expect(Math.sign(compareStrings(a, b))).toBe(Math.sign(utf8Order(a, b)));
    expect(Math.sign(compareStrings(b, a))).toBe(Math.sign(utf8Order(b, a)));
  });

  it('finds equal strings equal', () => {
    expect(compareStrings('😀x', '😀x')).toBe(0);
  });
});

describe('compareBinary', () => {
  it('compares unsigned bytes', () => {
    expect(compareBinary(b64(0x7f), b64(0x80))).toBeLessThan(0);
    expect(compareBinary(b64(0xff), b64(0x00, 0x00))).toBeGreaterThan(0);
    expect(compareBinary(b64(1, 2), b64(1, 2, 0))).toBeLessThan(0);
    expect(compareBinary(b64(1, 2), b64(1, 2))).toBe(0);
  });
});

describe('compareValues', () => {
  it.each<[AttributeValue, AttributeValue, -1 | 0 | 1]>([
    [{ S: 'a' }, { S: 'b' }, -1],
    [{ S: 'b' }, { S: 'a' }, 1],
    [{ S: 'a' }, { S: 'a' }, 0],
    [{ N: '10' }, { N: '9' }, 1],
    [{ N: '-10' }, { N: '9' }, -1],
    [{ N: '1.0' }, { N: '1' }, 0],
    [{ B: b64(0x80) }, { B: b64(0x7f) }, 1],
    [{ B: b64(1) }, { B: b64(1) }, 0],
  ])('%j vs %j → %d', (a, b, expected) => {
    expect(compareValues(a, b)).toBe(expected);
  });

  it('refuses values that have no order', () => {
    expect(() => compareValues({ S: '1' }, { N: '1' })).toThrow(TypeError);
    expect(() => compareValues({ BOOL: true }, { BOOL: true })).toThrow(TypeError);
    expect(isOrderable({ S: '1' }, { N: '1' })).toBe(false);
    expect(isOrderable({ N: '1' }, { N: '2' })).toBe(true);
  });
});

describe('valuesEqual', () => {
  it.each<[AttributeValue, AttributeValue]>([
    [{ S: 'x' }, { S: 'x' }],
    [{ N: '1' }, { N: '1.00' }],
    [{ N: '-0' }, { N: '0' }],
    [{ B: 'YQ==' }, { B: 'YQ==' }],
    [{ BOOL: false }, { BOOL: false }],
    [{ NULL: true }, { NULL: true }],
    [{ SS: ['a', 'b'] }, { SS: ['b', 'a'] }],
    [{ NS: ['1', '2.0'] }, { NS: ['2', '1.0'] }],
    [{ BS: [b64(1), b64(2)] }, { BS: [b64(2), b64(1)] }],
    [{ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ S: 'a' }, { N: '1.0' }] }],
    [{ M: { a: { N: '1' }, b: { L: [] } } }, { M: { b: { L: [] }, a: { N: '1' } } }],
    [{ M: {} }, { M: {} }],
  ])('%j = %j', (a, b) => {
    expect(valuesEqual(a, b)).toBe(true);
    expect(valuesEqual(b, a)).toBe(true);
  });

  it.each<[AttributeValue, AttributeValue]>([
    [{ S: '1' }, { N: '1' }],
    [{ S: 'x' }, { S: 'X' }],
    [{ N: '1' }, { N: '1.0001' }],
    [{ BOOL: true }, { BOOL: false }],
    [{ SS: ['a'] }, { SS: ['a', 'b'] }],
    [{ SS: ['a'] }, { NS: ['1'] }],
    [{ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }],
    [{ L: [] }, { M: {} }],
    [{ M: { a: { S: 'x' } } }, { M: { b: { S: 'x' } } }],
    [{ M: { a: { S: 'x' } } }, { M: { a: { S: 'x' }, b: { S: 'y' } } }],
    [{ NULL: true }, { BOOL: false }],
  ])('%j ≠ %j', (a, b) => {
    expect(valuesEqual(a, b)).toBe(false);
    expect(valuesEqual(b, a)).toBe(false);
  });

  it('treats prototype names as plain data', () => {
    const withProto: AttributeValue = { M: JSON.parse('{"__proto__": {"S": "x"}}') };
    expect(valuesEqual(withProto, { M: {} })).toBe(false);
    expect(valuesEqual({ M: { constructor: { S: 'x' } } }, { M: { toString: { S: 'x' } } })).toBe(false);
    expect(valuesEqual(withProto, { M: JSON.parse('{"__proto__": {"S": "x"}}') })).toBe(true);
  });
});
