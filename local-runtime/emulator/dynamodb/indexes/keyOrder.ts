import type { AttributeValue } from '../../../../src/records/attributeValue.js';
import { compareValues, decodeBinary } from '../attributes/compareValues.js';
import { canonicalNumber } from '../attributes/decimal.js';

/**
 * The order items are kept in, in the table's B+ tree and in every index's: by a 32-bit hash of the partition
 * key first, then the partition key, then the sort key (then, for an index, the table's own key). That is how
 * DynamoDB lays items out (a Scan returns them in partition-hash order, not sorted by key), and it is what makes
 * a parallel Scan cheap: a segment is a contiguous range of hashes, so each of its pages costs O(log n + k).
 * A partition stays contiguous and sorted by its sort key, so a Query is still a single range.
 */

/** Sorts before every value: a range bound that is open (or inclusive) on its low side. */
const LOW: unique symbol = Symbol('low');
/** Sorts after every value: a range bound that is open (or inclusive) on its high side. */
const HIGH: unique symbol = Symbol('high');
type Bound = typeof LOW | typeof HIGH;

/** One position of a key tuple: a partition hash, a key value, absent (no sort key), or a search bound. */
type KeyElement = number | AttributeValue | undefined | Bound;

/**
 * A key as the trees order it. Stored keys are `[hash, partition, sort]` (tables) or
 * `[indexHash, indexPartition, indexSort, hash, partition, sort]` (indexes), or for an index with a
 * multi-attribute key `[indexHash, ...partitionValues, ...sortValues, hash, partition, sort]` (one length per
 * index, so positions line up); search bounds may be longer and
 * end in LOW or HIGH, which makes any bound exclusive or inclusive of the keys sharing its prefix.
 */
type KeyTuple = readonly KeyElement[];

const compareElements = (a: KeyElement, b: KeyElement): number => {
  if (a === b) return 0;
  if (a === LOW || b === HIGH) return -1;
  if (a === HIGH || b === LOW) return 1;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number') return a - (b as number);
  return compareValues(a, b as AttributeValue);
};

/** Lexicographic order of two key tuples; a missing position (a shorter tuple) sorts like `undefined`. */
const compareKeyTuples = (a: KeyTuple, b: KeyTuple): number => {
  // Stored keys lead with the partition hash, and most comparisons in a tree search end at that first
  // position: decide those without the general loop.
  const x = a[0];
  const y = b[0];
  if (x !== y && typeof x === 'number' && typeof y === 'number') return x - y;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const order = compareElements(a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
};

// DynamoDB's canonical numbers never have an exponent, a '+', leading zeros or trailing fractional zeros.
const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** murmur3's finaliser: spreads FNV-1a's bits so that hash ranges (scan segments) get even shares. */
const mix = (value: number): number => {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const hashText = (text: string): number => {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return mix(h);
};

const hashBytes = (bytes: Uint8Array): number => {
  let h = FNV_OFFSET;
  for (const byte of bytes) h = Math.imul(h ^ byte, FNV_PRIME);
  return mix(h);
};

/**
 * The unsigned 32-bit hash of a partition key value: equal values (`1` and `1.0`, two spellings of one binary)
 * hash alike, so the hash can lead the tree order. Stable across runs and processes.
 */
const partitionHash = (value: AttributeValue): number => {
  if ('S' in value) return hashText(value.S);
  if ('N' in value) {
    const text = CANONICAL_NUMBER.test(value.N) && value.N !== '-0' ? value.N : canonicalNumber(value.N);
    return hashText(text);
  }
  if ('B' in value) return hashBytes(decodeBinary(value.B));
  throw new TypeError('A partition key is a string, a number or a binary');
};

/**
 * The hash of a multi-attribute partition key: its attributes' hashes folded in KeySchema order, so equal
 * value lists hash alike and one partition stays contiguous in the index's tree.
 */
const compositePartitionHash = (values: readonly AttributeValue[]): number => {
  let h = FNV_OFFSET;
  for (const value of values) h = Math.imul(h ^ partitionHash(value), FNV_PRIME);
  return mix(h);
};

export type { Bound, KeyElement, KeyTuple };
export { compareKeyTuples, compositePartitionHash, HIGH, LOW, partitionHash };
