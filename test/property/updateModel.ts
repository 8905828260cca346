import fc from 'fast-check';
import type { AttributeMap, AttributeValue } from '../../src/records/attributeValue.js';
import { attributeValue, setValue } from './attributeArbitraries.js';
import { PlaceholderPool } from './conditionModel.js';
import { modelEqual, modelRead, type PathStep, typeOf } from './valueModel.js';

/**
 * Random UpdateExpressions (SET with values, paths, if_not_exists, list_append and + / -; REMOVE; ADD; DELETE)
 * over top-level and nested paths, and an independent model of what DynamoDB does with them, written from the
 * Developer Guide's "Update expressions": every action reads the item as it was before the update; a path
 * whose parent is missing (or not a map for a name, not a list for an index) cannot be written; SET past the
 * end of a list appends; ADD creates what is missing; DELETE of the last set members removes the attribute.
 */

type ValueExpr =
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'path'; readonly path: readonly PathStep[] }
  | { readonly kind: 'if_not_exists'; readonly path: readonly PathStep[]; readonly fallback: AttributeValue }
  | { readonly kind: 'list_append'; readonly left: ValueExpr; readonly right: ValueExpr }
  | { readonly kind: '+' | '-'; readonly left: ValueExpr; readonly right: ValueExpr };

type Action =
  | { readonly kind: 'SET'; readonly path: readonly PathStep[]; readonly value: ValueExpr }
  | { readonly kind: 'REMOVE'; readonly path: readonly PathStep[] }
  | { readonly kind: 'ADD' | 'DELETE'; readonly path: readonly PathStep[]; readonly value: AttributeValue };

/** Written paths, pairwise neither equal nor one inside another (DynamoDB refuses overlapping paths). */
const SLOTS: readonly (readonly PathStep[])[] = [
  ['a'],
  ['b'],
  ['c'],
  ['new'],
  ['m', 'x'],
  ['m', 'y'],
  ['n', 'z', 'x'],
  ['l', 0],
  ['l', 1],
  ['l', 5],
];
/** Paths a SET may read: the slots and a few more. */
const READS: readonly (readonly PathStep[])[] = [...SLOTS, ['missing'], ['m'], ['l'], ['n', 'x']];

const SMALL_NUMBERS = ['-2', '0', '1', '3'];
const number = fc.constantFrom(...SMALL_NUMBERS).map((N): AttributeValue => ({ N }));
const list = fc.array(attributeValue(0), { maxLength: 2 }).map((L): AttributeValue => ({ L }));
const read = fc.constantFrom(...READS);

/** An operand of + or -, or of list_append: a path, or a literal of the right type (else it is refused up front). */
const operand = (literal: fc.Arbitrary<AttributeValue>): fc.Arbitrary<ValueExpr> =>
  fc.oneof(
    read.map((path): ValueExpr => ({ kind: 'path', path })),
    literal.map((value): ValueExpr => ({ kind: 'value', value })),
    fc.tuple(read, literal).map(([path, fallback]): ValueExpr => ({ kind: 'if_not_exists', path, fallback })),
  );

const valueExpr: fc.Arbitrary<ValueExpr> = fc.oneof(
  { weight: 3, arbitrary: attributeValue(1).map((value): ValueExpr => ({ kind: 'value', value })) },
  { weight: 1, arbitrary: read.map((path): ValueExpr => ({ kind: 'path', path })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(read, attributeValue(0))
      .map(([path, fallback]): ValueExpr => ({ kind: 'if_not_exists', path, fallback })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(operand(list), operand(list))
      .map(([left, right]): ValueExpr => ({ kind: 'list_append', left, right })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom<'+' | '-'>('+', '-'), operand(number), operand(number))
      .map(([kind, left, right]): ValueExpr => ({ kind, left, right })),
  },
);

const action = (path: readonly PathStep[]): fc.Arbitrary<Action> =>
  fc.oneof(
    { weight: 4, arbitrary: valueExpr.map((value): Action => ({ kind: 'SET', path, value })) },
    { weight: 2, arbitrary: fc.constant<Action>({ kind: 'REMOVE', path }) },
    {
      weight: 2,
      arbitrary: fc.oneof(number, setValue).map((value): Action => ({ kind: 'ADD', path, value })),
    },
    { weight: 1, arbitrary: setValue.map((value): Action => ({ kind: 'DELETE', path, value })) },
  );

/** One to four actions on distinct slots. */
const updateActions: fc.Arbitrary<Action[]> = fc
  .shuffledSubarray([...SLOTS], { minLength: 1, maxLength: 4 })
  .chain((paths) => fc.tuple(...paths.map(action)));

/** The expression text: one clause per keyword, each keyword's actions comma separated. */
const renderUpdate = (actions: readonly Action[]) => {
  const pool = new PlaceholderPool();
  const renderValue = (value: ValueExpr): string => {
    switch (value.kind) {
      case 'value':
        return pool.value(value.value);
      case 'path':
        return pool.path(value.path);
      case 'if_not_exists':
        return `if_not_exists(${pool.path(value.path)}, ${pool.value(value.fallback)})`;
      case 'list_append':
        return `list_append(${renderValue(value.left)}, ${renderValue(value.right)})`;
      default:
        return `${renderValue(value.left)} ${value.kind} ${renderValue(value.right)}`;
    }
  };
  const clauses = new Map<string, string[]>();
  for (const a of actions) {
    const text =
      a.kind === 'SET'
        ? `${pool.path(a.path)} = ${renderValue(a.value)}`
        : a.kind === 'REMOVE'
          ? pool.path(a.path)
          : `${pool.path(a.path)} ${pool.value(a.value)}`;
    clauses.set(a.kind, [...(clauses.get(a.kind) ?? []), text]);
  }
  const expression = [...clauses].map(([keyword, texts]) => `${keyword} ${texts.join(', ')}`).join(' ');
  return { expression, names: pool.names, values: pool.values };
};

type Failure = 'path' | 'missing' | 'type';

class UpdateFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure);
  }
}

/** A SET value, or every problem evaluating it runs into (both operands are always evaluated). */
type Evaluated = { readonly value: AttributeValue } | { readonly failures: ReadonlySet<Failure> };

const evaluate = (value: ValueExpr, item: AttributeMap): Evaluated => {
  switch (value.kind) {
    case 'value':
      return { value: value.value };
    case 'path': {
      const found = modelRead(item, value.path);
      return found === undefined ? { failures: new Set(['missing']) } : { value: found };
    }
    case 'if_not_exists':
      return { value: modelRead(item, value.path) ?? value.fallback };
    default: {
      const left = evaluate(value.left, item);
      const right = evaluate(value.right, item);
      const type = value.kind === 'list_append' ? 'L' : 'N';
      const failures = new Set<Failure>();
      for (const side of [left, right]) {
        if ('failures' in side) for (const failure of side.failures) failures.add(failure);
        else if (typeOf(side.value) !== type) failures.add('type');
      }
      if (failures.size > 0 || !('value' in left) || !('value' in right)) return { failures };
      if (value.kind === 'list_append') {
        return {
          value: {
            L: [...(left.value as { L: AttributeValue[] }).L, ...(right.value as { L: AttributeValue[] }).L],
          },
        };
      }
      const a = BigInt((left.value as { N: string }).N);
      const b = BigInt((right.value as { N: string }).N);
      return { value: { N: String(value.kind === '+' ? a + b : a - b) } };
    }
  }
};

const union = (current: AttributeValue, added: AttributeValue): AttributeValue => {
  const type = typeOf(current) as 'SS' | 'NS' | 'BS';
  const members = [...((current as Record<string, string[]>)[type] as string[])];
  for (const member of (added as Record<string, string[]>)[type] as string[]) {
    if (
      !members.some((existing) =>
        modelEqual(
          { [type[0] as string]: existing } as AttributeValue,
          { [type[0] as string]: member } as AttributeValue,
        ),
      )
    )
      members.push(member);
  }
  return { [type]: members } as AttributeValue;
};

const difference = (current: AttributeValue, removed: AttributeValue): AttributeValue | undefined => {
  const type = typeOf(current) as 'SS' | 'NS' | 'BS';
  const scalar = type[0] as string;
  const members = ((current as Record<string, string[]>)[type] as string[]).filter(
    (member) =>
      !((removed as Record<string, string[]>)[type] as string[]).some((gone) =>
        modelEqual({ [scalar]: member } as AttributeValue, { [scalar]: gone } as AttributeValue),
      ),
  );
  return members.length === 0 ? undefined : ({ [type]: members } as AttributeValue);
};

const isSet = (value: AttributeValue) => 'SS' in value || 'NS' in value || 'BS' in value;

/** The parent container of a path in the original item, if it can hold the path's last step. */
const writableParent = (item: AttributeMap, path: readonly PathStep[]): boolean => {
  if (path.length === 1) return true;
  const parent = modelRead(item, path.slice(0, -1));
  const last = path[path.length - 1];
  return parent !== undefined && (typeof last === 'number' ? 'L' in parent : 'M' in parent);
};

type Effect = { readonly path: readonly PathStep[]; readonly value: AttributeValue | undefined };

/**
 * The item after the update, or the kinds of failure DynamoDB may report (it reports one; which one depends
 * on an order of checks the model does not try to reproduce).
 */
const modelUpdate = (
  actions: readonly Action[],
  item: AttributeMap,
): { readonly item: AttributeMap } | { readonly failures: ReadonlySet<Failure> } => {
  const failures = new Set<Failure>();
  const effects: Effect[] = [];
  for (const a of actions) {
    // Every action is checked in full: DynamoDB reports the first problem in its own order of checks.
    if (!writableParent(item, a.path)) failures.add('path');
    try {
      const current = modelRead(item, a.path);
      if (a.kind === 'SET') {
        const result = evaluate(a.value, item);
        if ('failures' in result) for (const failure of result.failures) failures.add(failure);
        else effects.push({ path: a.path, value: result.value });
      } else if (a.kind === 'REMOVE') effects.push({ path: a.path, value: undefined });
      else if (a.kind === 'ADD') {
        if (current === undefined) effects.push({ path: a.path, value: a.value });
        else if ('N' in current && 'N' in a.value)
          effects.push({ path: a.path, value: { N: String(BigInt(current.N) + BigInt(a.value.N)) } });
        else if (isSet(current) && typeOf(current) === typeOf(a.value))
          effects.push({ path: a.path, value: union(current, a.value) });
        else throw new UpdateFailure('type');
      } else if (current !== undefined) {
        if (!isSet(current) || typeOf(current) !== typeOf(a.value)) throw new UpdateFailure('type');
        effects.push({ path: a.path, value: difference(current, a.value) });
      }
    } catch (error) {
      if (!(error instanceof UpdateFailure)) throw error;
      failures.add(error.failure);
    }
  }
  if (failures.size > 0) return { failures };
  return { item: applyEffects(item, effects) };
};

/** Writes every effect into a deep copy; list indexes refer to the original list, writes past its end append. */
const applyEffects = (item: AttributeMap, effects: readonly Effect[]): AttributeMap => {
  const root: AttributeValue = structuredClone({ M: item });
  const byParent = new Map<string, Effect[]>();
  for (const effect of effects) {
    const key = JSON.stringify(effect.path.slice(0, -1));
    byParent.set(key, [...(byParent.get(key) ?? []), effect]);
  }
  // Deepest parents first, so a list is rewritten before anything above it moves.
  const parents = [...byParent.keys()].sort((x, y) => JSON.parse(y).length - JSON.parse(x).length);
  for (const key of parents) {
    const parentPath = JSON.parse(key) as PathStep[];
    const parent = modelRead((root as { M: AttributeMap }).M, parentPath) ?? root;
    const group = byParent.get(key) as Effect[];
    if ('M' in parent && parentPath.length === 0 ? true : 'M' in parent) {
      const map = (parent as { M: AttributeMap }).M;
      for (const { path, value } of group) {
        const name = path[path.length - 1] as string;
        if (value === undefined) delete map[name];
        else map[name] = structuredClone(value);
      }
    } else if ('L' in parent) {
      const original = parent.L;
      const replaced = [...original];
      const removed = new Set<number>();
      const appended: { index: number; value: AttributeValue }[] = [];
      for (const { path, value } of group) {
        const index = path[path.length - 1] as number;
        if (value === undefined) removed.add(index);
        else if (index < original.length) replaced[index] = structuredClone(value);
        else appended.push({ index, value: structuredClone(value) });
      }
      appended.sort((x, y) => x.index - y.index);
      parent.L = [...replaced.filter((_, i) => !removed.has(i)), ...appended.map((entry) => entry.value)];
    }
  }
  return (root as { M: AttributeMap }).M;
};

export type { Action, Failure };
export { modelUpdate, renderUpdate, updateActions };
