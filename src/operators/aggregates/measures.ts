import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';

/**
 * One measure of an aggregate: a state, how a value adds to it, and how it is stored.
 *
 * The algebra `aggregate` relies on: `remove` undoes `add` (`remove(add(s, x), x) = s`), and adding and
 * removing values commute (`add(add(s, x), y) = add(add(s, y), x)`, the same for `remove`). Then an aggregate
 * key's state after any set of records, applied once each in any order across items, is the state of the live
 * items' images, which is what a recomputation from the table gives. `count` and `sum` are groups (numbers
 * under +); `min` and `max` keep a multiset of the values (value → how many items have it), which is a group
 * too, and show its smallest or largest value. A user measure with these laws is as exact.
 *
 * @example
 * const orders: Measure<Order> = count();
 * aggregate<Order>({ ...options, measures: { orders, biggest: max((o: Order) => o.total) } });
 */
interface Measure<V, S = unknown> {
  /** The state of an aggregate no value has reached yet. */
  readonly initial: S;
  /** Adds a value's contribution. */
  add(state: S, value: V): S;
  /** Takes a value's contribution out again: `aggregate` needs it (a MODIFY retracts the old image). */
  remove?(state: S, value: V): S;
  /** Combines two states: windowed aggregates need it (each shard adds its own state to a window's row). */
  merge?(a: S, b: S): S;
  /**
   * What readers find in the measure's attribute. With it, the state itself is kept beside it, in
   * `eddy_state_<name>`; without it the attribute holds the state. `undefined` removes the attribute.
   */
  output?(state: S): NativeAttributeValue | undefined;
  /**
   * The state is a number, `initial` is 0 and contributions add up (count, sum): rows are updated with ADD and
   * nothing needs to be read first.
   */
  readonly additive?: boolean;
}

/** A state that is a multiset of numbers: the value (as text) → how many contributions have it. */
type ValueCounts = Record<string, number>;

/**
 * How many values (items, or records in a window).
 *
 * @example
 * aggregate({ …, measures: { orders: count() } })
 */
const count = (): Measure<unknown, number> => ({
  initial: 0,
  add: (state) => state + 1,
  remove: (state) => state - 1,
  merge: (a, b) => a + b,
  additive: true,
});

/**
 * The sum of a number taken from each value; `undefined` counts as 0. DynamoDB adds decimals exactly, but the
 * contributions are computed as JavaScript numbers: keep amounts whole (cents) for exact sums.
 *
 * @example
 * sum((order: Order) => order.total)
 */
const sum = <V>(select: (value: V) => number | undefined): Measure<V, number> => ({
  initial: 0,
  add: (state, value) => state + (select(value) ?? 0),
  remove: (state, value) => state - (select(value) ?? 0),
  merge: (a, b) => a + b,
  additive: true,
});

const addCount = (counts: ValueCounts, value: number | undefined, by: number): ValueCounts => {
  if (value === undefined) return counts;
  const key = String(value);
  const next = (counts[key] ?? 0) + by;
  const { [key]: _, ...rest } = counts;
  return next === 0 ? rest : { ...rest, [key]: next };
};

const extreme =
  (pick: (a: number, b: number) => number) =>
  (counts: ValueCounts): number | undefined => {
    let best: number | undefined;
    for (const [key, n] of Object.entries(counts)) {
      if (n > 0) best = best === undefined ? Number(key) : pick(best, Number(key));
    }
    return best;
  };

const multiset = <V>(
  select: (value: V) => number | undefined,
  output: (counts: ValueCounts) => number | undefined,
): Measure<V, ValueCounts> => ({
  initial: {},
  add: (state, value) => addCount(state, select(value), 1),
  remove: (state, value) => addCount(state, select(value), -1),
  merge: (a, b) => Object.entries(b).reduce((acc, [key, n]) => addCount(acc, Number(key), n), a),
  output,
});

/**
 * The smallest of a number taken from each value (`undefined` values are left out); the attribute is absent
 * when there is none. Exact under MODIFY and REMOVE: the row keeps how many items have each value (in
 * `eddy_state_<name>`), so taking out the smallest value reveals the next one. That map grows with the number of
 * distinct values of the aggregate key's items and must fit the row's 400 KB: meant for amounts, scores, dates,
 * not for unique values of millions of items.
 *
 * @example
 * min((order: Order) => order.total)
 */
const min = <V>(select: (value: V) => number | undefined): Measure<V, ValueCounts> =>
  multiset(select, extreme(Math.min));

/**
 * The largest of a number taken from each value; see {@link min} for what is kept and its limits.
 *
 * @example
 * aggregate<Order>({ ...options, measures: { largestOrder: max((order: Order) => order.total) } });
 */
const max = <V>(select: (value: V) => number | undefined): Measure<V, ValueCounts> =>
  multiset(select, extreme(Math.max));

/**
 * A measure of your own (see {@link Measure} for the laws it must keep to be exact). Its state is stored as
 * the attribute (or in `eddy_state_<name>` when it has an `output`), so it must be a value DynamoDB can hold.
 *
 * @example
 * // how many orders each customer has, in one map per aggregate key
 * reducer<Order, Record<string, number>>({
 *   initial: {},
 *   add: (s, o) => ({ ...s, [o.customerId]: (s[o.customerId] ?? 0) + 1 }),
 *   remove: (s, o) => ({ ...s, [o.customerId]: (s[o.customerId] ?? 0) - 1 }),
 *   merge: (a, b) => …,
 * })
 */
const reducer = <V, S>(measure: Measure<V, S>): Measure<V, S> => measure;

export type { Measure, ValueCounts };
export { count, max, min, reducer, sum };
