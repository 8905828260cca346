import type { Leaf, Leaves } from './flattenRecord.js';
import type { FieldTest, PatternTree } from './PatternTree.js';

/** The array elements a partial match has committed to (array number → element index). */
type Choice = ReadonlyMap<number, number>;
type Arrays = ReadonlySet<number>;

const NOTHING: Choice = new Map();
const NONE: Arrays = new Set();

const keyOf = (choice: Choice): string =>
  [...choice]
    .map(([array, index]) => `${array}:${index}`)
    .sort()
    .join(',');

const union = (a: Arrays, b: Arrays): Arrays => (b.size === 0 ? a : a.size === 0 ? b : new Set([...a, ...b]));

/** `choice` without the arrays nothing later will look at. */
const restrict = (choice: Choice, keep: Arrays): Choice => {
  for (const array of choice.keys()) {
    if (!keep.has(array)) return new Map([...choice].filter(([a]) => keep.has(a)));
  }
  return choice;
};

/**
 * `base` plus the elements `leaf` sits in that later steps care about (`keep`), or `undefined` when the leaf
 * sits in another element of an array already committed to. Returns `base` itself when the leaf adds nothing.
 */
const extend = (choice: Choice, base: Choice, leaf: Leaf, keep: Arrays): Choice | undefined => {
  let added: Map<number, number> | undefined;
  for (const { array, index } of leaf.positions) {
    const chosen = choice.get(array);
    if (chosen !== undefined) {
      if (chosen !== index) return undefined;
    } else if (keep.has(array)) {
      added ??= new Map(base);
      added.set(array, index);
    }
  }
  return added ?? base;
};

/**
 * Whether a flattened record satisfies a pattern, with EventBridge's array consistency: values that match
 * different fields must not come from different elements of the same array, so
 * `{"L": {"M": {"sku": {"S": ["a"]}, "qty": {"N": ["2"]}}}}` needs one list element holding both. A field
 * matches when any of its leaves does (an array matches if one element does).
 *
 * The search backtracks over array elements only. A partial match remembers just the elements later steps can
 * still conflict with, and tries each distinct remainder once, so fields in unrelated arrays never multiply;
 * a candidate that commits to nothing new ends the search at its step (nothing can leave more freedom).
 */
const matchPattern = (tree: PatternTree, leaves: Leaves): boolean => {
  const pathArrays = new Map<string, Arrays>();
  const arraysOfPath = (path: string): Arrays => {
    let arrays = pathArrays.get(path);
    if (arrays === undefined) {
      arrays = new Set((leaves.get(path) ?? []).flatMap((leaf) => leaf.positions.map((p) => p.array)));
      pathArrays.set(path, arrays);
    }
    return arrays;
  };

  // suffixes(t)[s]: the arrays that steps s… of t (its fields, then its $or groups) can touch.
  const suffixCache = new Map<PatternTree, Arrays[]>();
  const suffixes = (t: PatternTree): readonly Arrays[] => {
    let cached = suffixCache.get(t);
    if (cached === undefined) {
      const steps: Arrays[] = [
        ...t.fields.map((field) => arraysOfPath(field.path)),
        ...t.anyOf.map((group) =>
          group.reduce((all, branch) => union(all, suffixes(branch)[0] ?? NONE), NONE),
        ),
      ];
      cached = [NONE];
      for (const step of steps.reverse()) cached.unshift(union(step, cached[0] ?? NONE));
      suffixCache.set(t, cached);
    }
    return cached;
  };

  function* fieldMatches(field: FieldTest, choice: Choice, keep: Arrays): Generator<Choice> {
    const found = leaves.get(field.path) ?? [];
    const base = restrict(choice, keep);
    if (found.length === 0) {
      if (field.ifAbsent) yield base;
      return;
    }
    const seen = new Set<string>();
    for (const leaf of found) {
      if (!field.ifPresent && !field.tests.some((test) => test(leaf.value))) continue;
      const next = extend(choice, base, leaf, keep);
      if (next === base) {
        yield base;
        return;
      }
      if (next === undefined) continue;
      const key = keyOf(next);
      if (seen.has(key)) continue;
      seen.add(key);
      yield next;
    }
  }

  function* groupMatches(branches: readonly PatternTree[], choice: Choice, keep: Arrays): Generator<Choice> {
    const least = keyOf(restrict(choice, keep));
    const seen = new Set<string>();
    for (const branch of branches) {
      for (const next of treeMatches(branch, choice, 0, keep)) {
        const key = keyOf(next);
        if (seen.has(key)) continue;
        seen.add(key);
        yield next;
        if (key === least) return;
      }
    }
  }

  /** Every way steps `step`… of `t` can hold, as choices restricted to what `downstream` still needs. */
  function* treeMatches(t: PatternTree, choice: Choice, step: number, downstream: Arrays): Generator<Choice> {
    const { fields, anyOf } = t;
    if (step === fields.length + anyOf.length) {
      yield restrict(choice, downstream);
      return;
    }
    const keep = union(suffixes(t)[step + 1] ?? NONE, downstream);
    const field = fields[step];
    const candidates =
      field === undefined
        ? groupMatches(anyOf[step - fields.length] ?? [], choice, keep)
        : fieldMatches(field, choice, keep);
    const least = keyOf(restrict(choice, downstream));
    const seen = new Set<string>();
    for (const next of candidates) {
      for (const done of treeMatches(t, next, step + 1, downstream)) {
        const key = keyOf(done);
        if (seen.has(key)) continue;
        seen.add(key);
        yield done;
        if (key === least) return;
      }
    }
  }

  return treeMatches(tree, NOTHING, 0, NONE).next().done === false;
};

export { matchPattern };
