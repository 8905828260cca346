import { describe, expect, it } from 'vitest';
import { partitionHash } from '../../../../../../local-runtime/emulator/dynamodb/indexes/keyOrder.js';
import {
  segmentHashes,
  segmentOf,
  segmentRange,
} from '../../../../../../local-runtime/emulator/dynamodb/reads/segments.js';

describe('scan segments', () => {
  it.each([1, 2, 3, 7, 16, 1000, 999_999, 1_000_000])(
    'cut the hash space into %i contiguous ranges without gaps or overlaps',
    (total) => {
      const samples = total > 1000 ? [0, 1, total - 2, total - 1] : [...Array(total).keys()];
      for (const segment of samples) {
        const { first, last } = segmentHashes(segment, total);
        expect(first).toBeLessThanOrEqual(last);
        expect(segmentOf(first, total)).toBe(segment);
        expect(segmentOf(last, total)).toBe(segment);
        if (segment > 0) expect(segmentHashes(segment - 1, total).last).toBe(first - 1);
      }
      expect(segmentHashes(0, total).first).toBe(0);
      expect(segmentHashes(total - 1, total).last).toBe(2 ** 32 - 1);
    },
  );

  it('put every key in exactly one segment, the one whose range holds its hash', () => {
    const total = 5;
    const counts = Array(total).fill(0) as number[];
    for (let i = 0; i < 1000; i += 1) {
      const hash = partitionHash({ S: `k${i}` });
      const segment = segmentOf(hash, total);
      const { first, last } = segmentHashes(segment, total);
      expect(hash).toBeGreaterThanOrEqual(first);
      expect(hash).toBeLessThanOrEqual(last);
      counts[segment] = (counts[segment] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(100);
  });

  it('give the tree range of a segment', () => {
    const { first, last } = segmentHashes(1, 4);
    expect(segmentRange(1, 4).low[0]).toBe(first);
    expect(segmentRange(1, 4).high[0]).toBe(last);
  });
});
