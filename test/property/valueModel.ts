import type { AttributeMap, AttributeValue } from '../../src/records/attributeValue.js';

/**
 * The models' own reading of DynamoDB values, written from the Developer Guide rather than from the emulator:
 * equality of any two values, the order of scalars, document paths. Numbers in the property tests are small
 * decimals and binaries canonical base64, so plain JavaScript comparisons are exact.
 */

type PathStep = string | number;

const typeOf = (value: AttributeValue): string => Object.keys(value)[0] as string;

const bytes = (base64: string): Buffer => Buffer.from(base64, 'base64');

const sameMembers = (a: readonly string[], b: readonly string[], equal: (x: string, y: string) => boolean) =>
  a.length === b.length && a.every((x) => b.some((y) => equal(x, y)));

/** `=` in an expression: same type and same value; sets regardless of order, numbers by value. */
const modelEqual = (a: AttributeValue, b: AttributeValue): boolean => {
  if (typeOf(a) !== typeOf(b)) return false;
  if ('S' in a && 'S' in b) return a.S === b.S;
  if ('N' in a && 'N' in b) return Number(a.N) === Number(b.N);
  if ('B' in a && 'B' in b) return bytes(a.B).equals(bytes(b.B));
  if ('BOOL' in a && 'BOOL' in b) return a.BOOL === b.BOOL;
  if ('NULL' in a) return true;
  if ('SS' in a && 'SS' in b) return sameMembers(a.SS, b.SS, (x, y) => x === y);
  if ('NS' in a && 'NS' in b) return sameMembers(a.NS, b.NS, (x, y) => Number(x) === Number(y));
  if ('BS' in a && 'BS' in b) return sameMembers(a.BS, b.BS, (x, y) => bytes(x).equals(bytes(y)));
  if ('L' in a && 'L' in b)
    return a.L.length === b.L.length && a.L.every((x, i) => modelEqual(x, b.L[i] as AttributeValue));
  if ('M' in a && 'M' in b) {
    const keys = Object.keys(a.M);
    return (
      keys.length === Object.keys(b.M).length &&
      keys.every((key) => key in b.M && modelEqual(a.M[key] as AttributeValue, b.M[key] as AttributeValue))
    );
  }
  return false;
};

/** The order of two scalars of one type (S by UTF-8 bytes, N by value, B by bytes), else undefined. */
const modelCompare = (a: AttributeValue, b: AttributeValue): number | undefined => {
  if ('S' in a && 'S' in b) return Buffer.compare(Buffer.from(a.S), Buffer.from(b.S));
  if ('N' in a && 'N' in b) return Math.sign(Number(a.N) - Number(b.N));
  if ('B' in a && 'B' in b) return Buffer.compare(bytes(a.B), bytes(b.B));
  return undefined;
};

/** The value at a path, or undefined when the item (or any step on the way) has none. */
const modelRead = (item: AttributeMap | undefined, path: readonly PathStep[]): AttributeValue | undefined => {
  let current: AttributeValue | undefined = item === undefined ? undefined : { M: item };
  for (const step of path) {
    if (current === undefined) return undefined;
    if (typeof step === 'number')
      current = 'L' in current ? (current.L as AttributeValue[])[step] : undefined;
    else current = 'M' in current && Object.hasOwn(current.M, step) ? current.M[step] : undefined;
  }
  return current;
};

/** `size()`: UTF-8 bytes of a string, bytes of a binary, members of a set, list or map. */
const modelSize = (value: AttributeValue): number | undefined => {
  if ('S' in value) return Buffer.byteLength(value.S);
  if ('B' in value) return bytes(value.B).length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
};

/** A copy with set members sorted, so two items can be compared whatever order their sets are in. */
const sortSets = (value: AttributeValue): AttributeValue => {
  if ('SS' in value) return { SS: [...value.SS].sort() };
  if ('NS' in value) return { NS: [...value.NS].sort((x, y) => Number(x) - Number(y)) };
  if ('BS' in value) return { BS: [...value.BS].sort() };
  if ('L' in value) return { L: value.L.map(sortSets) };
  if ('M' in value) return { M: sortItemSets(value.M) };
  return value;
};

const sortItemSets = (item: AttributeMap): AttributeMap =>
  Object.fromEntries(Object.entries(item).map(([key, value]) => [key, sortSets(value)]));

export type { PathStep };
export { modelCompare, modelEqual, modelRead, modelSize, sortItemSets, typeOf };
