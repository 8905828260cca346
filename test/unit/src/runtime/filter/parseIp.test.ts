import { describe, expect, it } from 'vitest';
import { ipInRange, parseIp } from '../../../../../src/runtime/filter/parseIp.js';

describe(parseIp.name, () => {
  it.each<[string, number[] | undefined]>([
    ['10.0.0.1', [10, 0, 0, 1]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['256.0.0.1', undefined],
    ['10.0.0', undefined],
    ['::', Array.from({ length: 16 }, () => 0)],
    ['::1', [...Array.from({ length: 15 }, () => 0), 1]],
    ['2001:db8::ff00:42:8329', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0x42, 0x83, 0x29]],
    ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
    ['1:2:3:4:5:6:7', undefined],
    ['1::2::3', undefined],
    ['12345::', undefined],
    ['us-east-1', undefined],
    ['', undefined],
  ])('%j', (text, bytes) => {
    const parsed = parseIp(text);
    expect(parsed === undefined ? undefined : [...parsed]).toEqual(bytes);
  });

  it('tests an inclusive range of one family', () => {
    const low = parseIp('10.0.0.0') as Uint8Array;
    const high = parseIp('10.0.0.9') as Uint8Array;
    const test = ipInRange(low, high);
    expect(['10.0.0.0', '10.0.0.9', '10.0.0.10', '::a00:5', 5].map((v) => test(v))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
