import { describe, expect, it } from 'vitest';
import {
  compareKeyTuples,
  HIGH,
  type KeyTuple,
  LOW,
  partitionHash,
} from '../../../../../../local-runtime/emulator/dynamodb/indexes/keyOrder.js';

describe('compareKeyTuples', () => {
  it('orders by hash, then partition key, then sort key', () => {
    const tuples: KeyTuple[] = [
      [2, { S: 'a' }, { N: '1' }],
      [1, { S: 'b' }, { N: '5' }],
      [1, { S: 'a' }, { N: '10' }],
      [1, { S: 'a' }, { N: '9' }],
    ];
    const sorted = [...tuples].sort(compareKeyTuples);
    expect(sorted).toEqual([
      [1, { S: 'a' }, { N: '9' }],
      [1, { S: 'a' }, { N: '10' }],
      [1, { S: 'b' }, { N: '5' }],
      [2, { S: 'a' }, { N: '1' }],
    ]);
  });

  it('treats an absent sort key (hash-only tables) as equal to another absent one', () => {
    expect(compareKeyTuples([1, { S: 'a' }, undefined], [1, { S: 'a' }, undefined])).toBe(0);
  });

  it('places LOW before and HIGH after every key sharing the bound prefix', () => {
    const key: KeyTuple = [1, { S: 'a' }, { N: '5' }];
    expect(compareKeyTuples([1, { S: 'a' }, LOW], key)).toBeLessThan(0);
    expect(compareKeyTuples([1, { S: 'a' }, HIGH], key)).toBeGreaterThan(0);
    expect(compareKeyTuples([1, { S: 'a' }, { N: '5' }, LOW], key)).toBeLessThan(0);
    expect(compareKeyTuples([1, { S: 'a' }, { N: '5' }, HIGH], key)).toBeGreaterThan(0);
    expect(compareKeyTuples([1, { S: 'b' }, LOW], key)).toBeGreaterThan(0);
    expect(compareKeyTuples([LOW], key)).toBeLessThan(0);
    expect(compareKeyTuples([HIGH], key)).toBeGreaterThan(0);
  });

  it('places LOW below an absent position too', () => {
    expect(compareKeyTuples([1, { S: 'a' }, LOW], [1, { S: 'a' }, undefined])).toBeLessThan(0);
    expect(compareKeyTuples([1, { S: 'a' }, HIGH], [1, { S: 'a' }, undefined])).toBeGreaterThan(0);
  });
});

describe('partitionHash', () => {
  it('is an unsigned 32-bit integer, stable for a value', () => {
    const hash = partitionHash({ S: 'order-1' });
    expect(Number.isInteger(hash)).toBe(true);
    expect(hash).toBeGreaterThanOrEqual(0);
    expect(hash).toBeLessThan(2 ** 32);
    expect(partitionHash({ S: 'order-1' })).toBe(hash);
  });

  it('hashes equal numbers alike, however they are spelled', () => {
    expect(partitionHash({ N: '1.50' })).toBe(partitionHash({ N: '1.5' }));
    expect(partitionHash({ N: '1e2' })).toBe(partitionHash({ N: '100' }));
    expect(partitionHash({ N: '-0' })).toBe(partitionHash({ N: '0' }));
  });

  it('hashes a binary by its bytes', () => {
    expect(partitionHash({ B: 'YWI=' })).toBe(partitionHash({ B: Buffer.from('ab').toString('base64') }));
    expect(partitionHash({ B: 'YWI=' })).not.toBe(partitionHash({ B: 'YWM=' }));
  });

  it('spreads keys over the whole hash space', () => {
    const quarters = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i += 1) {
      const quarter = Math.floor(partitionHash({ S: `key-${i}` }) / 2 ** 30);
      quarters[quarter] = (quarters[quarter] ?? 0) + 1;
    }
    for (const count of quarters) expect(count).toBeGreaterThan(800);
  });
});
