import { describe, expect, it } from 'vitest';
import {
  cryptoRandom,
  randomHex,
  seededRandom,
} from '../../../../../local-runtime/emulator/persistence/RandomSource.js';

describe('randomHex', () => {
  it('is the hex of what the source gives, for a seeded source (a replayed journal writes the same event ids)', () => {
    const a = seededRandom('journal line 7');
    const b = seededRandom('journal line 7');
    for (let i = 0; i < 20; i++) expect(randomHex(a, 16)).toBe(b(16).toString('hex'));
  });

  it("draws cryptoRandom's pool as hex, across refills of the pool, without repeating itself", () => {
    const ids = new Set<string>();
    // 16 bytes each: 600 ids take the 4 KiB pool more than twice, and the CSPRNG bytes between go as Buffers.
    for (let i = 0; i < 600; i++) {
      const id = randomHex(cryptoRandom, 16);
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      ids.add(id);
      if (i % 100 === 0) expect(cryptoRandom(16)).toHaveLength(16);
    }
    expect(ids.size).toBe(600);
    expect(randomHex(cryptoRandom, 300)).toMatch(/^[0-9a-f]{600}$/);
  });
});
