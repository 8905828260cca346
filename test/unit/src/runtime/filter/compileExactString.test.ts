import { describe, expect, it } from 'vitest';
import { compileExactString } from '../../../../../src/runtime/filter/compileExactString.js';
import type { Scalar } from '../../../../../src/runtime/filter/PatternTree.js';

describe(compileExactString.name, () => {
  it.each<[string, Scalar, boolean]>([
    ['SHIPPED', 'SHIPPED', true],
    ['SHIPPED', 'Shipped', false],
    ['', '', true],
    ['10.0.0.1', '10.0.0.1', true],
    ['10.0.0.1', '10.0.0.2', false],
    ['2001:db8::1', '2001:db8::1', true],
    ['2001:db8::1', '2001:0db8:0:0:0:0:0:1', true], // IP literals compare as addresses (UNCONFIRMED on Lambda)
    ['2001:db8::1', '2001:db8::2', false],
  ])('%j against %j', (expected, value, result) => {
    expect(compileExactString(expected)(value)).toBe(result);
  });
});
