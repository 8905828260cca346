import { NumberValueImpl } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { valuesEqual } from '../../../../src/records/valuesEqual.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe(valuesEqual.name, () => {
  it.each([
    ['strings', 'a', 'a'],
    ['numbers', 1.5, 1.5],
    ['null', null, null],
    ['booleans', true, true],
    ['binary', bytes(1, 2), Buffer.from([1, 2])],
    ['string sets in any order', new Set(['a', 'b']), new Set(['b', 'a'])],
    ['number sets in any order', new Set([1, 2]), new Set([2, 1])],
    ['binary sets in any order', new Set([bytes(1), bytes(2)]), new Set([bytes(2), bytes(1)])],
    ['maps with keys in any order', { a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 }],
    ['lists in the same order', [1, 'a', { b: true }], [1, 'a', { b: true }]],
    ['wrapped numbers', NumberValueImpl.from('1.10'), NumberValueImpl.from('1.10')],
  ])('%s are equal', (_, a, b) => {
    expect(valuesEqual(a, b)).toBe(true);
  });

  it.each([
    ['different strings', 'a', 'b'],
    ['a number and its text', 1, '1'],
    ['null and missing', null, undefined],
    ['different binary', bytes(1, 2), bytes(1, 3)],
    ['sets of different members', new Set(['a', 'b']), new Set(['a', 'c'])],
    ['sets of different sizes', new Set([1]), new Set([1, 2])],
    ['binary sets with different members', new Set([bytes(1), bytes(2)]), new Set([bytes(1), bytes(3)])],
    ['a set and a list', new Set(['a']), ['a']],
    ['lists in another order', ['a', 'b'], ['b', 'a']],
    ['maps with another key', { a: 1 }, { b: 1 }],
    ['maps with an extra key', { a: 1 }, { a: 1, b: undefined }],
    ['nested differences', { a: [{ b: 1 }] }, { a: [{ b: 2 }] }],
    ['a map and a list', {}, []],
  ])('%s are not equal', (_, a, b) => {
    expect(valuesEqual(a, b)).toBe(false);
  });
});
