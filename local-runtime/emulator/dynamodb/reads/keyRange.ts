import type { AttributeValue } from '../../../../src/records/attributeValue.js';
import {
  compareKeyTuples,
  compositePartitionHash,
  HIGH,
  type KeyTuple,
  LOW,
  partitionHash,
} from '../indexes/keyOrder.js';
import type { ResolvedKeyCondition } from './resolveKeyCondition.js';

/** The key tuples a read runs between, both inclusive (their LOW / HIGH ends make them exact). */
interface KeyRange {
  readonly low: KeyTuple;
  readonly high: KeyTuple;
}

/**
 * The smallest value above every value that starts with `prefix` (the exclusive end of a begins_with range),
 * or undefined when there is none. Strings order by code point (UTF-8 bytes), binaries by byte.
 */
const prefixEnd = (prefix: AttributeValue): AttributeValue | undefined => {
  if ('S' in prefix) {
    const points = Array.from(prefix.S, (c) => c.codePointAt(0) as number);
    for (let i = points.length - 1; i >= 0; i -= 1) {
      const point = points[i] as number;
      if (point >= 0x10ffff) continue;
      const next = point + 1 === 0xd800 ? 0xe000 : point + 1;
      return { S: String.fromCodePoint(...points.slice(0, i), next) };
    }
    return undefined;
  }
  if ('B' in prefix) {
    const bytes = Buffer.from(prefix.B, 'base64');
    for (let i = bytes.length - 1; i >= 0; i -= 1) {
      if ((bytes[i] as number) < 0xff) {
        const end = Buffer.from(bytes.subarray(0, i + 1));
        end[i] = (end[i] as number) + 1;
        return { B: end.toString('base64') };
      }
    }
  }
  return undefined;
};

/**
 * The range of a Query: the partition's entries whose sort key satisfies the condition. Table and index
 * tuples both start `[partition hash, partition key, sort key]`, so one range serves both. An index with a
 * multi-attribute key starts `[partition hash, ...partition values, ...sort values]`: the prefix is then the
 * partition and the sort key equalities, and the condition applies to the position after them.
 */
const queryRange = (keyCondition: ResolvedKeyCondition): KeyRange => {
  const { composite } = keyCondition;
  const value = keyCondition.partitionKey.value;
  const partition: KeyTuple =
    composite === undefined
      ? [partitionHash(value), value]
      : [
          compositePartitionHash(composite.partitionValues),
          ...composite.partitionValues,
          ...composite.sortEqualities.map((equality) => equality.value),
        ];
  const sort = keyCondition.sortKey;
  const low = (...rest: KeyTuple) => [...partition, ...rest];
  if (sort === undefined) return { low: low(LOW), high: low(HIGH) };
  const [first, second] = sort.values as [AttributeValue, AttributeValue | undefined];
  switch (sort.operator) {
    case '=':
      return { low: low(first, LOW), high: low(first, HIGH) };
    case '<':
      return { low: low(LOW), high: low(first, LOW) };
    case '<=':
      return { low: low(LOW), high: low(first, HIGH) };
    case '>':
      return { low: low(first, HIGH), high: low(HIGH) };
    case '>=':
      return { low: low(first, LOW), high: low(HIGH) };
    case 'BETWEEN':
      return { low: low(first, LOW), high: low(second as AttributeValue, HIGH) };
    default: {
      const end = prefixEnd(first);
      return { low: low(first, LOW), high: end === undefined ? low(HIGH) : low(end, LOW) };
    }
  }
};

/** Narrows a range to what comes after an ExclusiveStartKey's tuple in the read's direction. */
const afterStartKey = (range: KeyRange, start: KeyTuple | undefined, forward: boolean): KeyRange => {
  if (start === undefined) return range;
  if (forward) {
    const low: KeyTuple = [...start, HIGH];
    return compareKeyTuples(low, range.low) > 0 ? { low, high: range.high } : range;
  }
  const high: KeyTuple = [...start, LOW];
  return compareKeyTuples(high, range.high) < 0 ? { low: range.low, high } : range;
};

/** Everything: a Scan without segments. */
const FULL_RANGE: KeyRange = { low: [LOW], high: [HIGH] };

export type { KeyRange };
export { afterStartKey, FULL_RANGE, prefixEnd, queryRange };
