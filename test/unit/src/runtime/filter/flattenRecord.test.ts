import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../../../../src/runtime/filter/compilePattern.js';
import { flattenRecord } from '../../../../../src/runtime/filter/flattenRecord.js';

/** Flattens `record` along the paths `pattern` tests, as a plain object for readable assertions. */
const flatten = (pattern: unknown, record: unknown) => {
  const { prefixes, paths } = compilePattern(JSON.stringify(pattern));
  return Object.fromEntries(flattenRecord(record, prefixes, paths));
};

describe(flattenRecord.name, () => {
  it('keeps only the leaves the pattern tests', () => {
    const record = {
      eventName: 'INSERT',
      dynamodb: { NewImage: { a: { S: 'x' }, b: { S: 'y' } }, SizeBytes: 9 },
    };
    expect(flatten({ dynamodb: { NewImage: { a: { S: ['x'] } } } }, record)).toEqual({
      'dynamodb.NewImage.a.S': [{ value: 'x', positions: [] }],
    });
  });

  it('sees through arrays and remembers the element of each array', () => {
    const record = { L: [{ M: { k: { S: 'a' } } }, { M: { k: { S: 'b' } } }], SS: ['p', 'q'] };
    expect(flatten({ L: { M: { k: { S: ['a'] } } }, SS: ['q'] }, record)).toEqual({
      'L.M.k.S': [
        { value: 'a', positions: [{ array: 0, index: 0 }] },
        { value: 'b', positions: [{ array: 0, index: 1 }] },
      ],
      SS: [
        { value: 'p', positions: [{ array: 1, index: 0 }] },
        { value: 'q', positions: [{ array: 1, index: 1 }] },
      ],
    });
  });

  it('numbers nested arrays separately', () => {
    expect(flatten({ a: [1] }, { a: [[1], [2, 3]] }).a).toEqual([
      {
        value: 1,
        positions: [
          { array: 0, index: 0 },
          { array: 1, index: 0 },
        ],
      },
      {
        value: 2,
        positions: [
          { array: 0, index: 1 },
          { array: 2, index: 0 },
        ],
      },
      {
        value: 3,
        positions: [
          { array: 0, index: 1 },
          { array: 2, index: 1 },
        ],
      },
    ]);
  });

  it('treats an object or an empty array as no leaf', () => {
    expect(flatten({ a: [{ exists: false }], b: [{ exists: false }] }, { a: { S: 'x' }, b: [] })).toEqual({});
  });

  it('joins keys with dots, so a key with a dot and nested keys meet (UNCONFIRMED on Lambda)', () => {
    const record = { 'a.b': 1, a: { b: 2 } };
    expect(flatten({ a: { b: [1] } }, record)['a.b']).toEqual([
      { value: 1, positions: [] },
      { value: 2, positions: [] },
    ]);
  });

  it('reads values as JSON carries them: null kept, undefined absent, non-finite numbers null', () => {
    const record = { n: null, u: undefined, inf: Number.POSITIVE_INFINITY, s: 'x', t: true, z: 0 };
    expect(flatten({ n: [1], u: [1], inf: [1], s: [1], t: [1], z: [1] }, record)).toEqual({
      n: [{ value: null, positions: [] }],
      inf: [{ value: null, positions: [] }],
      s: [{ value: 'x', positions: [] }],
      t: [{ value: true, positions: [] }],
      z: [{ value: 0, positions: [] }],
    });
  });

  it('reads __proto__ and constructor keys as data', () => {
    const record = JSON.parse('{"__proto__":{"S":"p"},"constructor":{"S":"c"}}');
    expect(flatten(JSON.parse('{"__proto__":{"S":["p"]},"constructor":{"S":["c"]}}'), record)).toEqual({
      '__proto__.S': [{ value: 'p', positions: [] }],
      'constructor.S': [{ value: 'c', positions: [] }],
    });
  });
});
