import type { Scalar } from './PatternTree.js';

/** Which element of which array of the record a leaf sits in (arrays are numbered as they are met). */
interface ArrayPosition {
  readonly array: number;
  readonly index: number;
}

/** A scalar of the record, and the array elements on the way to it. */
interface Leaf {
  readonly value: Scalar;
  readonly positions: readonly ArrayPosition[];
}

/** The record's leaves by dotted path (`dynamodb.NewImage.k.S`). */
type Leaves = ReadonlyMap<string, readonly Leaf[]>;

const scalarOf = (value: unknown): Scalar | undefined => {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null; // as JSON.stringify writes it
  return undefined;
};

/**
 * Flattens a record the way EventBridge's matcher reads an event: keys joined with dots, arrays see-through
 * (each element's leaves sit at the array's own path, remembering the element), objects and empty arrays are
 * no leaf at all. Only `prefixes` are descended and only `paths` kept, so a filter on `eventName` never walks
 * the images.
 *
 * The record is read as Lambda's JSON event carries it: plain JSON values (`ApproximateCreationDateTime` a
 * number of seconds, binary as base64, `N` as a string); `undefined` fields are absent, as in JSON.
 */
const flattenRecord = (
  record: unknown,
  prefixes: ReadonlySet<string>,
  paths: ReadonlySet<string>,
): Leaves => {
  const leaves = new Map<string, Leaf[]>();
  let arrays = 0;
  const visit = (value: unknown, path: string | undefined, positions: readonly ArrayPosition[]): void => {
    if (Array.isArray(value)) {
      const array = arrays++;
      value.forEach((element, index) => {
        visit(element, path, [...positions, { array, index }]);
      });
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path === undefined ? key : `${path}.${key}`;
        if (prefixes.has(childPath)) visit(child, childPath, positions);
      }
      return;
    }
    const scalar = scalarOf(value);
    if (scalar === undefined || path === undefined || !paths.has(path)) return;
    const found = leaves.get(path);
    if (found === undefined) leaves.set(path, [{ value: scalar, positions }]);
    else found.push({ value: scalar, positions });
  };
  visit(record, undefined, []);
  return leaves;
};

export type { ArrayPosition, Leaf, Leaves };
export { flattenRecord };
