import { describe, expect, it } from 'vitest';
import { atomically } from '../../../../../local-runtime/emulator/atomic/requestScope.js';
import { UndoableMap } from '../../../../../local-runtime/emulator/atomic/UndoableMap.js';

const failing = (change: () => void) => () =>
  atomically(() => {
    change();
    throw new Error('boom');
  });

const abc = () => {
  const map = new UndoableMap<string, number>();
  map.set('a', 1).set('b', 2).set('c', 3);
  return map;
};

describe(UndoableMap.name, () => {
  it('takes back sets, replacements, deletes and clears of a failed request, in their original order', () => {
    const map = abc();
    expect(
      failing(() => {
        map.set('d', 4);
        map.set('b', 20);
        map.delete('a');
        map.delete('c');
        map.set('a', 10);
        map.clear();
        map.set('e', 5);
      }),
    ).toThrow('boom');
    expect([...map]).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('keeps the changes of a request that succeeds, and behaves as a Map outside any request', () => {
    const map = abc();
    atomically(() => map.delete('b'));
    map.set('d', 4);
    expect([...map.keys()]).toEqual(['a', 'c', 'd']);
  });
});
