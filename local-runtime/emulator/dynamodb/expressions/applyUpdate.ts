import {
  type AttributeMap,
  type AttributeValue,
  attributeTypeOf,
} from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { addDecimals, formatDecimal, parseDecimal, subtractDecimals } from '../attributes/decimal.js';
import { cloneCanonical } from './cloneValue.js';
import type { DocumentPath, PathElement, Update, UpdateAction, UpdateValue } from './compiled.js';
import { getOwn, readPath, setOwn } from './documentPath.js';
import { isSet, setSize, subtractSets, unionSets } from './setOperations.js';

// Runtime errors carry no "Invalid UpdateExpression:" prefix: DynamoDB words them without one.
const TYPE_ERROR = 'An operand in the update expression has an incorrect data type';
const MISSING_ERROR = 'The provided expression refers to an attribute that does not exist in the item';
const PATH_ERROR = 'The document path provided in the update expression is invalid for update';

/**
 * What evaluating one value gave: a value, an attribute it read that is missing, or a number result out of
 * DynamoDB's range. The last two are reported later than type errors, as DynamoDB orders its checks.
 */
type Outcome =
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'missing' }
  | { readonly kind: 'failed'; readonly error: Error };

const MISSING: Outcome = { kind: 'missing' };

/** What one action does to the item: write a value, remove the attribute, or nothing at all. */
type Effect = Outcome | { readonly kind: 'remove' } | { readonly kind: 'none' };

interface PlannedAction {
  readonly action: UpdateAction;
  readonly clause: number;
  effect?: Effect;
}

type Write =
  | { readonly kind: 'set'; readonly path: DocumentPath; readonly value: AttributeValue }
  | { readonly kind: 'remove'; readonly path: DocumentPath };

/**
 * Applies a compiled UpdateExpression to an item and returns the new item; the input is never changed. Every
 * action reads the item as it was before the update, as in DynamoDB, so `SET a = b, b = a` swaps.
 *
 * Problems are reported in DynamoDB's order: a path whose parent is of the wrong kind; an operand of the wrong
 * type; then, clause by clause from the last written, a path whose parent is missing and an attribute a SET
 * reads that is missing; last, a number result out of range.
 */
const applyUpdate = (update: Update, item: AttributeMap): AttributeMap => {
  if (update.clauses.every((clause) => clause.actions.every((action) => action.path.length === 1))) {
    return applyTopLevel(update, item);
  }
  const planned: PlannedAction[] = update.clauses.flatMap((clause, index) =>
    clause.actions.map((action) => ({ action, clause: index })),
  );

  for (const { action } of planned) {
    const parent = action.path.length > 1 ? readPath(item, action.path.slice(0, -1)) : undefined;
    if (parent !== undefined && !holds(parent, action.path[action.path.length - 1] as PathElement)) {
      throw validationException(PATH_ERROR);
    }
  }

  for (const entry of planned) entry.effect = evaluateAction(entry.action, item);

  for (let clause = update.clauses.length - 1; clause >= 0; clause -= 1) {
    const inClause = planned.filter((entry) => entry.clause === clause);
    for (const { action } of inClause) {
      if (!isWritable(item, action.path)) throw validationException(PATH_ERROR);
    }
    for (const { effect } of inClause) {
      if (effect?.kind === 'missing') throw validationException(MISSING_ERROR);
    }
  }
  for (const { effect } of planned) {
    if (effect?.kind === 'failed') throw effect.error;
  }

  const writes: Write[] = [];
  for (const { action, effect } of planned) {
    if (effect?.kind === 'value') writes.push({ kind: 'set', path: action.path, value: effect.value });
    else if (effect?.kind === 'remove') writes.push({ kind: 'remove', path: action.path });
  }
  return applyWrites(item, writes);
};

/**
 * `applyUpdate` for an update whose every path is a top-level attribute (the common `SET a = :a, b = :b`): no
 * parent to check, to find missing or to copy, so the checks come down to the values' own, in the same order
 * (every action evaluated in written order, then a missing attribute a SET reads, then a number out of range),
 * and the writes to one shallow copy of the item.
 */
const applyTopLevel = (update: Update, item: AttributeMap): AttributeMap => {
  const effects: Effect[] = [];
  for (const clause of update.clauses) {
    for (const action of clause.actions) effects.push(evaluateAction(action, item));
  }
  for (const effect of effects) if (effect.kind === 'missing') throw validationException(MISSING_ERROR);
  for (const effect of effects) if (effect.kind === 'failed') throw effect.error;
  const result: AttributeMap = { ...item };
  let index = 0;
  for (const clause of update.clauses) {
    for (const action of clause.actions) {
      const effect = effects[index] as Effect;
      index += 1;
      const name = action.path[0] as string;
      if (effect.kind === 'value') setOwn(result, name, cloneCanonical(effect.value));
      else if (effect.kind === 'remove' && Object.hasOwn(result, name)) delete result[name];
    }
  }
  return result;
};

/** Whether a container can hold a child at `element`: a map for a name, a list for an index. */
const holds = (container: AttributeValue, element: PathElement): boolean =>
  typeof element === 'number' ? 'L' in container : 'M' in container;

/** A path can be written when its parent exists and is the right kind of container. */
const isWritable = (item: AttributeMap, path: DocumentPath): boolean => {
  if (path.length === 1) return true;
  const parent = readPath(item, path.slice(0, -1));
  return parent !== undefined && holds(parent, path[path.length - 1] as PathElement);
};

/** The effect of one action, worked out from the original item. */
const evaluateAction = (action: UpdateAction, item: AttributeMap): Effect => {
  switch (action.kind) {
    case 'REMOVE':
      return { kind: 'remove' };
    case 'SET':
      return evaluateValue(action.value, item);
    case 'ADD': {
      const current = isWritable(item, action.path) ? readPath(item, action.path) : undefined;
      // ADD creates what is missing: the number or set itself, as if added to 0 or the empty set.
      if (current === undefined) return { kind: 'value', value: action.value };
      if ('N' in current && 'N' in action.value) return arithmetic('+', current, action.value);
      if (
        isSet(current) &&
        isSet(action.value) &&
        attributeTypeOf(current) === attributeTypeOf(action.value)
      ) {
        return { kind: 'value', value: unionSets(current, action.value) };
      }
      throw validationException(TYPE_ERROR);
    }
    default: {
      const current = isWritable(item, action.path) ? readPath(item, action.path) : undefined;
      if (current === undefined) return { kind: 'none' };
      if (
        !isSet(current) ||
        !isSet(action.value) ||
        attributeTypeOf(current) !== attributeTypeOf(action.value)
      ) {
        throw validationException(TYPE_ERROR);
      }
      // DynamoDB has no empty sets: deleting the last members removes the attribute.
      const remaining = subtractSets(current, action.value);
      return setSize(remaining) === 0 ? { kind: 'remove' } : { kind: 'value', value: remaining };
    }
  }
};

const evaluateValue = (value: UpdateValue, item: AttributeMap): Outcome => {
  switch (value.kind) {
    case 'value':
      return { kind: 'value', value: value.value };
    case 'path': {
      const found = readPath(item, value.path);
      return found === undefined ? MISSING : { kind: 'value', value: found };
    }
    case 'if_not_exists': {
      const found = readPath(item, value.path);
      return found === undefined ? evaluateValue(value.fallback, item) : { kind: 'value', value: found };
    }
    case 'list_append': {
      const left = evaluateTyped(value.left, item, 'L');
      const right = evaluateTyped(value.right, item, 'L');
      if (left.kind !== 'value') return left;
      if (right.kind !== 'value') return right;
      return { kind: 'value', value: { L: [...listOf(left.value), ...listOf(right.value)] } };
    }
    default: {
      const left = evaluateTyped(value.left, item, 'N');
      const right = evaluateTyped(value.right, item, 'N');
      if (left.kind !== 'value') return left;
      if (right.kind !== 'value') return right;
      return arithmetic(value.operator, left.value, right.value);
    }
  }
};

const listOf = (value: AttributeValue): AttributeValue[] => ('L' in value ? value.L : []);

/** Evaluates an operand that must be of one type; a value of another type is an error straight away. */
const evaluateTyped = (value: UpdateValue, item: AttributeMap, type: 'L' | 'N'): Outcome => {
  const outcome = evaluateValue(value, item);
  if (outcome.kind === 'value' && attributeTypeOf(outcome.value) !== type)
    throw validationException(TYPE_ERROR);
  return outcome;
};

const arithmetic = (operator: '+' | '-', left: AttributeValue, right: AttributeValue): Outcome => {
  try {
    const a = parseDecimal((left as { N: string }).N);
    const b = parseDecimal((right as { N: string }).N);
    return {
      kind: 'value',
      value: { N: formatDecimal(operator === '+' ? addDecimals(a, b) : subtractDecimals(a, b)) },
    };
  } catch (error) {
    return { kind: 'failed', error: error as Error };
  }
};

/**
 * Applies writes to a copy of the item, copying only the containers on the written paths. Writes are grouped
 * by parent and the deepest parents go first, so every write finds the lists above it still in their original
 * order: list indexes in an update refer to the item as it was. Within one list, removals and replacements use
 * the original positions and writes past the end append in index order.
 */
const applyWrites = (item: AttributeMap, writes: readonly Write[]): AttributeMap => {
  const result: AttributeMap = { ...item };
  const copies = new Set<AttributeValue>();
  const groups = new Map<string, { parent: DocumentPath; writes: Write[] }>();
  for (const write of writes) {
    const parent = write.path.slice(0, -1);
    const key = JSON.stringify(parent);
    const group = groups.get(key) ?? { parent, writes: [] };
    group.writes.push(write);
    groups.set(key, group);
  }
  const ordered = [...groups.values()].sort((a, b) => b.parent.length - a.parent.length);
  for (const { parent, writes: group } of ordered) {
    if (parent.length === 0) {
      for (const write of group) writeMember(result, write);
      continue;
    }
    const container = mutableAt(result, parent, copies);
    if ('M' in container) for (const write of group) writeMember(container.M, write);
    else if ('L' in container) container.L = writeList(container.L, group);
  }
  return result;
};

const writeMember = (map: AttributeMap, write: Write): void => {
  const name = write.path[write.path.length - 1] as string;
  if (write.kind === 'set') setOwn(map, name, cloneCanonical(write.value));
  else if (Object.hasOwn(map, name)) delete map[name];
};

const writeList = (list: readonly AttributeValue[], writes: readonly Write[]): AttributeValue[] => {
  const next = [...list];
  const removed = new Set<number>();
  const appended: { index: number; value: AttributeValue }[] = [];
  for (const write of writes) {
    const index = write.path[write.path.length - 1] as number;
    if (write.kind === 'remove') {
      if (index < list.length) removed.add(index);
    } else if (index < list.length) {
      next[index] = cloneCanonical(write.value);
    } else {
      appended.push({ index, value: cloneCanonical(write.value) });
    }
  }
  appended.sort((a, b) => a.index - b.index);
  return [...next.filter((_, index) => !removed.has(index)), ...appended.map((entry) => entry.value)];
};

/**
 * The container at `path` in `root`, copied (with every container above it) the first time it is reached, so
 * the caller's item is never changed. The update's checks guarantee the path exists.
 */
const mutableAt = (
  root: AttributeMap,
  path: DocumentPath,
  copies: Set<AttributeValue>,
): { M: AttributeMap } | { L: AttributeValue[] } => {
  let holder: AttributeMap | AttributeValue[] = root;
  let current: AttributeValue | undefined;
  for (const element of path) {
    const found: AttributeValue | undefined = Array.isArray(holder)
      ? holder[element as number]
      : getOwn(holder, element as string);
    if (found === undefined) throw new Error(`Update path ${JSON.stringify(path)} vanished while writing`);
    current = found;
    if (!copies.has(found)) {
      current = shallowCopy(found);
      copies.add(current);
      if (Array.isArray(holder)) holder[element as number] = current;
      else setOwn(holder, element as string, current);
    }
    holder = 'M' in current ? current.M : 'L' in current ? current.L : [];
  }
  return current as { M: AttributeMap } | { L: AttributeValue[] };
};

const shallowCopy = (value: AttributeValue): AttributeValue => {
  if ('M' in value) return { M: { ...value.M } };
  if ('L' in value) return { L: [...value.L] };
  return value;
};

export { applyUpdate };
