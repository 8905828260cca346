import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import type { DocumentPath, PathElement } from './compiled.js';
import { ExpressionError } from './expressionError.js';

/** A map member, only if it is the map's own: `constructor` or `__proto__` are data, never the prototype's. */
const getOwn = (map: AttributeMap, name: string): AttributeValue | undefined =>
  Object.hasOwn(map, name) ? map[name] : undefined;

/** Sets a map member as data; plain assignment of `__proto__` would replace the object's prototype instead. */
const setOwn = (map: AttributeMap, name: string, value: AttributeValue): void => {
  if (name === '__proto__') {
    Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[name] = value;
  }
};

/** The value one step below `value`, if `value` is the container that step needs. */
const child = (value: AttributeValue, element: PathElement): AttributeValue | undefined => {
  if (typeof element === 'number') return 'L' in value ? value.L[element] : undefined;
  return 'M' in value ? getOwn(value.M, element) : undefined;
};

/** The value at a document path, or undefined where the item (or any step on the way) has none. */
const readPath = (item: AttributeMap | undefined, path: DocumentPath): AttributeValue | undefined => {
  if (item === undefined) return undefined;
  let value = getOwn(item, path[0] as string);
  for (let i = 1; i < path.length && value !== undefined; i += 1)
    value = child(value, path[i] as PathElement);
  return value;
};

/** A path as DynamoDB prints it in messages: `a.b[0]` is `[a, b, [0]]`. */
const formatPath = (path: DocumentPath): string =>
  `[${path.map((element) => (typeof element === 'number' ? `[${element}]` : element)).join(', ')}]`;

/**
 * Refuses two paths of one update (or projection) that are the same or one inside the other ("overlap"), or
 * that use the same attribute once as a list and once as a map ("conflict"). Overlaps are reported before
 * conflicts, each naming the earlier path first, as dynalite's recordings of DynamoDB show.
 */
const checkPathClashes = (paths: readonly DocumentPath[]): void => {
  let conflict: string | undefined;
  for (let later = 1; later < paths.length; later += 1) {
    for (let earlier = 0; earlier < later; earlier += 1) {
      const one = paths[earlier] as DocumentPath;
      const two = paths[later] as DocumentPath;
      const clash = classify(one, two);
      if (clash === 'overlap') {
        throw new ExpressionError(
          `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${formatPath(one)}, path two: ${formatPath(two)}`,
        );
      }
      if (clash === 'conflict' && conflict === undefined) {
        conflict = `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${formatPath(one)}, path two: ${formatPath(two)}`;
      }
    }
  }
  if (conflict !== undefined) throw new ExpressionError(conflict);
};

const classify = (a: DocumentPath, b: DocumentPath): 'overlap' | 'conflict' | undefined => {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a[i] as PathElement;
    const y = b[i] as PathElement;
    if (typeof x !== typeof y) return 'conflict';
    if (x !== y) return undefined;
  }
  return 'overlap';
};

export { checkPathClashes, child, formatPath, getOwn, readPath, setOwn };
