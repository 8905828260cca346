/** Returned by a rewrite to drop the member altogether. */
const DROP: unique symbol = Symbol('drop');

type Rewrite = (key: string, value: unknown, parent: Record<string, unknown>) => unknown;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  !(value instanceof Date) &&
  !ArrayBuffer.isView(value);

/**
 * A copy of `value` in which every object member has gone through `rewrite` (depth first, children before
 * their parent member), dropping members it answers DROP for. Dates and byte arrays are kept as they are.
 */
const rewriteMembers = <T>(value: T, rewrite: Rewrite): T => {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isPlainObject(node)) return node;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      const next = rewrite(key, walk(child), node);
      if (next !== DROP) copy[key] = next;
    }
    return copy;
  };
  return walk(value) as T;
};

/** Every value found under a member called one of `keys`, in document order. */
const collectMembers = (value: unknown, keys: ReadonlySet<string>): unknown[] => {
  const found: unknown[] = [];
  rewriteMembers(value, (key, child) => {
    if (keys.has(key)) found.push(child);
    return child;
  });
  return found;
};

export { collectMembers, DROP, isPlainObject, rewriteMembers };
