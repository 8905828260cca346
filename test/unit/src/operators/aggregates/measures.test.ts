import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  count,
  type Measure,
  max,
  min,
  reducer,
  sum,
} from '../../../../../src/operators/aggregates/measures.js';

type Signed = { readonly value: number; readonly sign: 1 | -1 };

/** Applies signed contributions in the given order. */
const fold = <S>(measure: Measure<number, S>, contributions: readonly Signed[]): S =>
  contributions.reduce(
    (state, { value, sign }) =>
      sign === 1 ? measure.add(state, value) : (measure.remove?.(state, value) as S),
    measure.initial,
  );

const shown = <S>(measure: Measure<number, S>, state: S): unknown =>
  measure.output === undefined ? state : measure.output(state);

/**
 * Items' histories: each item is inserted with a value, modified a few times (old value out, new value in), and
 * perhaps removed. The contributions of all items, interleaved in any order that keeps each item's own order,
 * must give the aggregate of the values the live items end with.
 */
const histories = fc.array(
  fc.record({
    values: fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 4 }),
    removed: fc.boolean(),
  }),
  { maxLength: 8 },
);

const contributionsOf = (history: { values: number[]; removed: boolean }): Signed[] => {
  const out: Signed[] = [];
  history.values.forEach((value, i) => {
    if (i > 0) out.push({ value: history.values[i - 1] as number, sign: -1 });
    out.push({ value, sign: 1 });
  });
  if (history.removed) out.push({ value: history.values.at(-1) as number, sign: -1 });
  return out;
};

/** A random interleaving of the items' contribution lists that keeps each list's order. */
const interleave = (lists: Signed[][], picks: number[]): Signed[] => {
  const queues = lists.map((list) => [...list]);
  const out: Signed[] = [];
  let p = 0;
  for (;;) {
    const open = queues.filter((q) => q.length > 0);
    if (open.length === 0) return out;
    const queue = open[(picks[p++ % Math.max(1, picks.length)] ?? 0) % open.length] as Signed[];
    out.push(queue.shift() as Signed);
  }
};

const measures = {
  count: count() as Measure<number, unknown>,
  sum: sum((v: number) => v) as Measure<number, unknown>,
  min: min((v: number) => v) as Measure<number, unknown>,
  max: max((v: number) => v) as Measure<number, unknown>,
};

const expectedOf = (name: keyof typeof measures, live: number[]): unknown => {
  switch (name) {
    case 'count':
      return live.length;
    case 'sum':
      return live.reduce((a, b) => a + b, 0);
    case 'min':
      return live.length === 0 ? undefined : Math.min(...live);
    case 'max':
      return live.length === 0 ? undefined : Math.max(...live);
  }
};

describe('measures', () => {
  it.each(Object.keys(measures) as (keyof typeof measures)[])(
    '%s: any interleaving of the items’ records gives the aggregate of the live items',
    (name) => {
      fc.assert(
        fc.property(histories, fc.array(fc.nat(), { maxLength: 40 }), (items, picks) => {
          const measure = measures[name];
          const state = fold(measure, interleave(items.map(contributionsOf), picks));
          const live = items.filter((h) => !h.removed).map((h) => h.values.at(-1) as number);
          expect(shown(measure, state)).toEqual(expectedOf(name, live));
        }),
      );
    },
  );

  it.each(Object.keys(measures) as (keyof typeof measures)[])(
    '%s: merging two parts equals folding them together',
    (name) => {
      fc.assert(
        fc.property(fc.array(fc.integer()), fc.array(fc.integer()), (a, b) => {
          const measure = measures[name];
          const add = (values: number[]) =>
            fold(
              measure,
              values.map((value) => ({ value, sign: 1 as const })),
            );
          expect(shown(measure, measure.merge?.(add(a), add(b)))).toEqual(shown(measure, add([...a, ...b])));
        }),
      );
    },
  );

  it('min and max reveal the next value when the extreme one is removed, and are absent when empty', () => {
    const largest = max((v: number) => v);
    let state = fold(largest, [
      { value: 5, sign: 1 },
      { value: 9, sign: 1 },
      { value: 9, sign: 1 },
    ]);
    expect(largest.output?.(state)).toBe(9);
    state = largest.remove?.(state, 9) ?? state;
    expect(largest.output?.(state)).toBe(9);
    state = largest.remove?.(state, 9) ?? state;
    expect(largest.output?.(state)).toBe(5);
    state = largest.remove?.(state, 5) ?? state;
    expect(largest.output?.(state)).toBeUndefined();
    expect(state).toEqual({});
  });

  it('count and sum are additive; sum counts a missing value as 0', () => {
    const total = sum((o: { total?: number }) => o.total);
    expect(total.additive).toBe(true);
    expect(count().additive).toBe(true);
    expect(total.add(total.add(0, { total: 3 }), {})).toBe(3);
    expect(min((v: number) => v).additive).toBeUndefined();
  });

  it('reducer keeps a measure of your own as it is', () => {
    const own = { initial: 0, add: (s: number) => s + 2, remove: (s: number) => s - 2 };
    expect(reducer(own)).toBe(own);
  });
});
