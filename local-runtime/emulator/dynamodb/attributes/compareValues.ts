import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { canonicalNumber, compareNumbers } from './decimal.js';

/**
 * Orders two strings by their UTF-8 bytes, as DynamoDB orders S keys, without encoding them.
 *
 * UTF-8 byte order is code point order. JavaScript compares UTF-16 code units, which differs only where a
 * surrogate (a code point above U+FFFF) meets U+E000–U+FFFF: the surrogate is smaller as a code unit but larger
 * as a code point. Shifting the first differing code units fixes exactly that case.
 */
const compareStrings = (a: string, b: string): number => {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
};

const codePointRank = (unit: number): number => {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
};

const decodeBinary = (base64: string): Buffer => Buffer.from(base64, 'base64');

/** Orders two base64 binaries by their unsigned bytes, as DynamoDB orders B keys. */
const compareBinary = (a: string, b: string): number =>
  a === b ? 0 : decodeBinary(a).compare(decodeBinary(b));

const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);

/**
 * DynamoDB's order of two scalar values of the same type: S by UTF-8 bytes, N numerically, B by unsigned
 * bytes. Any other pair has no order; asking for one is a programming error, so it throws a TypeError (the
 * expression evaluator checks the types first, because in an expression such a comparison is simply false).
 */
const compareValues = (a: AttributeValue, b: AttributeValue): -1 | 0 | 1 => {
  if ('S' in a && 'S' in b) return sign(compareStrings(a.S, b.S));
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return sign(compareBinary(a.B, b.B));
  throw new TypeError(`Values of types ${Object.keys(a)[0]} and ${Object.keys(b)[0]} have no order`);
};

/** Whether two values are of the same scalar type (S, N or B), so `compareValues` can order them. */
const isOrderable = (a: AttributeValue, b: AttributeValue): boolean =>
  ('S' in a && 'S' in b) || ('N' in a && 'N' in b) || ('B' in a && 'B' in b);

/** Set equality through a canonical spelling of each member, in O(n) rather than pairwise. */
const sameMembers = (a: readonly string[], b: readonly string[], canonical: (member: string) => string) => {
  if (a.length !== b.length) return false;
  const members = new Set(b.map(canonical));
  return a.every((x) => members.has(canonical(x)));
};

const identity = (member: string): string => member;
const canonicalBinary = (member: string): string => decodeBinary(member).toString('base64');

/** Two maps with the same names and equal values (a loop, not `every`: no closure per comparison). */
const mapsEqual = (a: AttributeMap, b: AttributeMap): boolean => {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  for (const name of names) {
    const x = a[name];
    const y = Object.hasOwn(b, name) ? b[name] : undefined;
    if (x === undefined || y === undefined || !valuesEqual(x, y)) return false;
  }
  return true;
};

/**
 * Deep equality as DynamoDB's `=` sees it: same type and same contents. Numbers compare numerically (`1` =
 * `1.0`), binaries by their bytes, sets as sets (order does not matter), maps by names and values.
 */
const valuesEqual = (a: AttributeValue, b: AttributeValue): boolean => {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0;
  if ('B' in a) return 'B' in b && compareBinary(a.B, b.B) === 0;
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && sameMembers(a.SS, b.SS, identity);
  if ('NS' in a) return 'NS' in b && sameMembers(a.NS, b.NS, canonicalNumber);
  if ('BS' in a) return 'BS' in b && sameMembers(a.BS, b.BS, canonicalBinary);
  if ('L' in a) {
    return (
      'L' in b && a.L.length === b.L.length && a.L.every((x, i) => valuesEqual(x, b.L[i] as AttributeValue))
    );
  }
  return 'M' in a && 'M' in b && mapsEqual(a.M, b.M);
};

export { compareBinary, compareStrings, compareValues, decodeBinary, isOrderable, mapsEqual, valuesEqual };
