import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { cloneValue } from './cloneValue.js';
import type { PathElement, Projection } from './compiled.js';
import { getOwn, setOwn } from './documentPath.js';

/** The requested paths merged into a tree; `true` marks a path's end, where the whole value is kept. */
type ProjectionTree = Map<PathElement, ProjectionTree | true>;

// A Query or Scan projects every item with the same projection; build its tree once.
const trees = new WeakMap<Projection, ProjectionTree>();

const treeOf = (projection: Projection): ProjectionTree => {
  const cached = trees.get(projection);
  if (cached !== undefined) return cached;
  const tree: ProjectionTree = new Map();
  for (const path of projection.paths) {
    let node = tree;
    path.forEach((element, i) => {
      if (i === path.length - 1) {
        node.set(element, true);
        return;
      }
      const next = node.get(element);
      if (next instanceof Map) {
        node = next;
      } else {
        const created: ProjectionTree = new Map();
        node.set(element, created);
        node = created;
      }
    });
  }
  trees.set(projection, tree);
  return tree;
};

/**
 * Keeps only the projected paths of an item, with their nesting: `a.b, c[1]` on `{a: {b, x}, c: [p, q, r]}`
 * gives `{a: {b}, c: [q]}`. Projected list elements are kept in index order and packed together, and a path
 * that reaches nothing adds nothing (not even an empty map or list), as in DynamoDB.
 */
const applyProjection = (projection: Projection, item: AttributeMap): AttributeMap => {
  const result: AttributeMap = {};
  for (const [name, subtree] of treeOf(projection)) {
    const value = getOwn(item, name as string);
    const projected = value === undefined ? undefined : project(value, subtree);
    if (projected !== undefined) setOwn(result, name as string, projected);
  }
  return result;
};

const project = (value: AttributeValue, subtree: ProjectionTree | true): AttributeValue | undefined => {
  if (subtree === true) return cloneValue(value);
  if ('M' in value) {
    const map: AttributeMap = {};
    let found = false;
    for (const [name, next] of subtree) {
      if (typeof name !== 'string') continue;
      const member = getOwn(value.M, name);
      const projected = member === undefined ? undefined : project(member, next);
      if (projected !== undefined) {
        setOwn(map, name, projected);
        found = true;
      }
    }
    return found ? { M: map } : undefined;
  }
  if ('L' in value) {
    const indexes = [...subtree.keys()]
      .filter((key): key is number => typeof key === 'number')
      .sort((a, b) => a - b);
    const list: AttributeValue[] = [];
    for (const index of indexes) {
      const element = value.L[index];
      const projected =
        element === undefined ? undefined : project(element, subtree.get(index) as ProjectionTree | true);
      if (projected !== undefined) list.push(projected);
    }
    return list.length > 0 ? { L: list } : undefined;
  }
  return undefined;
};

export { applyProjection };
