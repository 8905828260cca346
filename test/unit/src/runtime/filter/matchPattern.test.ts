import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../../../../src/runtime/filter/compilePattern.js';
import { flattenRecord, type Leaf, type Leaves } from '../../../../../src/runtime/filter/flattenRecord.js';
import { matchPattern } from '../../../../../src/runtime/filter/matchPattern.js';
import type { PatternTree } from '../../../../../src/runtime/filter/PatternTree.js';

const matches = (pattern: unknown, record: unknown): boolean => {
  const { tree, prefixes, paths } = compilePattern(JSON.stringify(pattern));
  return matchPattern(tree, flattenRecord(record, prefixes, paths));
};

const employees = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};

describe(matchPattern.name, () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['a missing field fails', { a: ['x'] }, {}, false],
    ['[null] matches JSON null', { a: [null] }, { a: null }, true],
    ['[null] does not match a missing key (EventBridge; UNCONFIRMED on Lambda)', { a: [null] }, {}, false],
    ['[null] does not match an empty array', { a: [null] }, { a: [] }, false],
    ['[""] matches the empty string only', { a: [''] }, { a: null }, false],
    ['exists: true matches a null leaf', { a: [{ exists: true }] }, { a: null }, true],
    ['exists: true fails on an empty array', { a: [{ exists: true }] }, { a: [] }, false],
    ['exists: false matches on an empty array', { a: [{ exists: false }] }, { a: [] }, true],
    ['exists: false deep under a missing parent', { a: { b: { c: [{ exists: false }] } } }, { x: 1 }, true],
    ['exists: false on an intermediate node', { a: [{ exists: false }] }, { a: { S: 'x' } }, true],
    ['exists: true on an intermediate node', { a: [{ exists: true }] }, { a: { S: 'x' } }, false],
    ['anything-but fails on a missing field', { a: [{ 'anything-but': 'x' }] }, {}, false],
    [
      'anything-but or exists: false, on a missing parent (EventBridge, recorded)',
      { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } },
      { NewImage: { purchased: { N: '789' } } },
      true,
    ],
    ['an array matches when one element does', { resources: ['b'] }, { resources: ['a', 'b'] }, true],
    ['an array of arrays', { a: [3] }, { a: [[1], [2, 3]] }, true],
    ['objects in an array, one field', { employees: { firstName: ['Anna'] } }, employees, true],
    [
      'objects in an array, fields of one element',
      { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
      employees,
      true,
    ],
    [
      'objects in an array, fields of different elements (EventBridge array consistency; UNCONFIRMED on Lambda)',
      { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
      employees,
      false,
    ],
    [
      'array consistency holds across $or branches',
      { employees: { firstName: ['Anna'], $or: [{ lastName: ['Jones'] }, { lastName: ['Doe'] }] } },
      employees,
      false,
    ],
    [
      'array consistency, a later element satisfies every field',
      { employees: { firstName: ['Peter', 'Anna'], lastName: ['Smith'] } },
      employees,
      true,
    ],
    [
      'two unrelated arrays are independent',
      { a: { x: [1] }, b: { y: [2] } },
      { a: [{ x: 1 }, { x: 9 }], b: [{ y: 9 }, { y: 2 }] },
      true,
    ],
    [
      'a dotted pattern key reaches nested data (UNCONFIRMED on Lambda)',
      { 'a.b': ['x'] },
      { a: { b: 'x' } },
      true,
    ],
    [
      'a nested pattern reaches a dotted data key (UNCONFIRMED on Lambda)',
      { a: { b: ['x'] } },
      { 'a.b': 'x' },
      true,
    ],
    ['$or: first branch', { $or: [{ a: [1] }, { b: [2] }] }, { a: 1 }, true],
    ['$or: second branch', { $or: [{ a: [1] }, { b: [2] }] }, { b: 2 }, true],
    ['$or: no branch', { $or: [{ a: [1] }, { b: [2] }] }, { a: 2, b: 1 }, false],
    ['$or ANDed with a field', { c: [3], $or: [{ a: [1] }, { b: [2] }] }, { a: 1, c: 4 }, false],
    [
      'two $or groups in one object (nested under a key)',
      { d: { $or: [{ a: [1] }, { b: [2] }] }, $or: [{ c: [3] }, { e: [4] }] },
      { d: { b: 2 }, e: 4 },
      true,
    ],
    [
      '$or nested in a branch of $or',
      { $or: [{ a: [1] }, { b: [2], $or: [{ c: [3] }, { d: [4] }] }] },
      { b: 2, d: 4 },
      true,
    ],
    [
      '$or nested in a branch of $or, inner fails',
      { $or: [{ a: [1] }, { b: [2], $or: [{ c: [3] }, { d: [4] }] }] },
      { b: 2, d: 5 },
      false,
    ],
  ])('%s', (_name, pattern, record, expected) => {
    expect(matches(pattern, record)).toBe(expected);
  });

  it('stays fast when many array elements match each field', () => {
    const list = Array.from({ length: 200 }, (_, i) => ({ k: 'x', v: i }));
    const record = { a: list, b: list, c: list, d: list };
    const pattern = { a: { k: ['x'] }, b: { k: ['x'] }, c: { k: ['x'] }, d: { k: ['x'], v: [-1] } };
    expect(matches(pattern, record)).toBe(false);
  });

  it('agrees with a brute-force search on random records and patterns', () => {
    let seed = 20260101;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const KEYS = ['a', 'b', 'c'];
    const SCALARS = ['x', 'y', 1, 2, null];
    const record = (depth: number): unknown => {
      const roll = random();
      if (depth === 0 || roll < 0.3) return pick(SCALARS);
      if (roll < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => record(depth - 1));
      return Object.fromEntries(KEYS.filter(() => random() < 0.6).map((k) => [k, record(depth - 1)]));
    };
    const VALUES = ['x', 'y', 1, 2, null, { exists: true }, { exists: false }];
    const pattern = (depth: number): Record<string, unknown> => {
      const object: Record<string, unknown> = {};
      for (const key of KEYS.filter(() => random() < 0.5).concat(pick(KEYS))) {
        const roll = random();
        if (depth > 0 && roll < 0.3) object[key] = pattern(depth - 1);
        else if (depth > 0 && roll < 0.4) object.$or = [pattern(depth - 1), pattern(depth - 1)];
        else object[key] = Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(VALUES));
      }
      return object;
    };

    // Reference: every combination of one matching leaf per field, checked for array consistency.
    const assignments = (tree: PatternTree, leaves: Leaves): Leaf[][] => {
      let all: Leaf[][] = [[]];
      for (const field of tree.fields) {
        const found = leaves.get(field.path) ?? [];
        const options: Leaf[][] = found
          .filter((leaf) => field.ifPresent || field.tests.some((test) => test(leaf.value)))
          .map((leaf) => [leaf]);
        if (found.length === 0 && field.ifAbsent) options.push([]);
        all = all.flatMap((so) => options.map((o) => [...so, ...o]));
      }
      for (const group of tree.anyOf) {
        const options = group.flatMap((branch) => assignments(branch, leaves));
        all = all.flatMap((so) => options.map((o) => [...so, ...o]));
      }
      return all;
    };
    const consistent = (chosen: Leaf[]): boolean => {
      const index = new Map<number, number>();
      return chosen.every((leaf) =>
        leaf.positions.every(({ array, index: i }) => (index.get(array) ?? i) === i && index.set(array, i)),
      );
    };

    let matched = 0;
    for (let run = 0; run < 3000; run++) {
      const { tree, prefixes, paths } = compilePattern(JSON.stringify(pattern(2)));
      const leaves = flattenRecord(record(4), prefixes, paths);
      const expected = assignments(tree, leaves).some(consistent);
      if (expected) matched++;
      expect(matchPattern(tree, leaves)).toBe(expected);
    }
    expect(matched).toBeGreaterThan(100);
  });

  it('checks consistency inside one large list without trying every pair', () => {
    const list = Array.from({ length: 2000 }, (_, i) => ({
      k: i === 1999 ? 'last' : 'x',
      v: i === 0 ? 'first' : 'y',
    }));
    expect(matches({ a: { k: ['last'], v: ['first'] } }, { a: list })).toBe(false);
    expect(matches({ a: { k: ['x'], v: ['first'] } }, { a: list })).toBe(true);
  });
});
