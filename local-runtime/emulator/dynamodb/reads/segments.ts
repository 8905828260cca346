import { HIGH, LOW } from '../indexes/keyOrder.js';
import type { KeyRange } from './keyRange.js';

const HASH_SPACE = 2n ** 32n;

/**
 * The partition hashes of one segment of a parallel Scan: the 32-bit hash space cut into `total` contiguous
 * ranges, so every item belongs to exactly one segment, the same one on every call, and a segment is one range
 * of the tree. Exact integer arithmetic: segment `s` holds the hashes h with floor(h × total / 2³²) = s.
 */
const segmentHashes = (segment: number, total: number): { first: number; last: number } => {
  const t = BigInt(total);
  const first = (BigInt(segment) * HASH_SPACE + t - 1n) / t;
  const next = (BigInt(segment + 1) * HASH_SPACE + t - 1n) / t;
  return { first: Number(first), last: Number(next - 1n) };
};

/** The key range of one segment (tuples lead with the partition hash). */
const segmentRange = (segment: number, total: number): KeyRange => {
  const { first, last } = segmentHashes(segment, total);
  return { low: [first, LOW], high: [last, HIGH] };
};

/** The segment a partition hash belongs to. */
const segmentOf = (hash: number, total: number): number =>
  Number((BigInt(hash) * BigInt(total)) / HASH_SPACE);

export { segmentHashes, segmentOf, segmentRange };
