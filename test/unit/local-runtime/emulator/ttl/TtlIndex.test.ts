import { describe, expect, it } from 'vitest';
import { TtlIndex } from '../../../../../local-runtime/emulator/ttl/TtlIndex.js';

const key = (pk: string) => ({ pk: { S: pk } });
const item = (pk: string, expiresAt?: string) => ({
  pk: { S: pk },
  ...(expiresAt === undefined ? {} : { expiresAt: { N: expiresAt } }),
});
const taken = (index: TtlIndex, now: number, ignoreBefore = Number.NEGATIVE_INFINITY) =>
  index.takeExpired(now, ignoreBefore).map((e) => e.key.pk);

describe('TtlIndex', () => {
  it('hands out expired entries in expiry order, once, and keeps the others', () => {
    const index = new TtlIndex('expiresAt');
    for (const [pk, at] of [
      ['c', '30'],
      ['a', '10'],
      ['d', '40'],
      ['b', '20'],
    ] as const) {
      index.track(key(pk), item(pk, at));
    }
    expect(index.size).toBe(4);
    expect(taken(index, 25_000)).toEqual([{ S: 'a' }, { S: 'b' }]);
    expect(taken(index, 25_000)).toEqual([]);
    // Strictly before now: an item expiring at this very instant is not expired yet.
    expect(taken(index, 30_000)).toEqual([]);
    expect(taken(index, 30_001)).toEqual([{ S: 'c' }]);
    expect(index.size).toBe(1);
  });

  it('follows rewrites and deletes, ignoring what is not a Number', () => {
    const index = new TtlIndex('expiresAt');
    index.track(key('moved'), item('moved', '10'));
    index.track(key('moved'), item('moved', '100'));
    index.track(key('gone'), item('gone', '10'));
    index.track(key('gone'), undefined);
    index.track(key('text'), { pk: { S: 'text' }, expiresAt: { S: '10' } });
    index.track(key('none'), item('none'));
    index.track(key('fraction'), item('fraction', '10.5'));
    expect(taken(index, 50_000)).toEqual([{ S: 'fraction' }]);
    expect(taken(index, 101_000)).toEqual([{ S: 'moved' }]);
  });

  it('follows item changes as the table reports them', () => {
    const index = new TtlIndex('ttl');
    index.record({ keys: key('a'), newImage: { pk: { S: 'a' }, ttl: { N: '1' } } });
    index.record({ keys: key('b'), newImage: { pk: { S: 'b' }, ttl: { N: '1' } } });
    index.record({ keys: key('b'), oldImage: { pk: { S: 'b' }, ttl: { N: '1' } } });
    expect(taken(index, 2_000)).toEqual([{ S: 'a' }]);
  });

  it('drops entries expired before the cut-off without handing them out', () => {
    const index = new TtlIndex('expiresAt');
    index.track(key('old'), item('old', '1'));
    index.track(key('recent'), item('recent', '100'));
    expect(taken(index, 200_000, 50_000)).toEqual([{ S: 'recent' }]);
    expect(index.size).toBe(0);
  });

  it('keeps only the latest expiry of items rewritten many times', () => {
    const index = new TtlIndex('expiresAt');
    for (let round = 0; round < 1000; round++) {
      for (const pk of ['a', 'b', 'c']) index.track(key(pk), item(pk, String(1000 + round)));
    }
    expect(index.size).toBe(3);
    expect(taken(index, 1_999_000)).toEqual([]);
    expect(
      taken(index, 1_999_001)
        .map((k) => (k as { S: string }).S)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
  });
});
