/**
 * Whether two unmarshalled attribute values are the same DynamoDB value: deep equality over maps and lists,
 * byte equality for binary, and sets compared as sets (DynamoDB sets have no order: `SS ["a","b"]` and
 * `SS ["b","a"]` are equal). Numbers compare by value, `NumberValue`s (wrapped numbers) by their text.
 *
 * @example
 * valuesEqual(new Set(['a', 'b']), new Set(['b', 'a'])); // true
 * valuesEqual({ tags: ['a', 'b'] }, { tags: ['b', 'a'] }); // false: lists keep their order
 */
const valuesEqual = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  }
  if (a instanceof Set || b instanceof Set) {
    return a instanceof Set && b instanceof Set && setsEqual(a, b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((value, index) => valuesEqual(value, b[index]))
    );
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && valuesEqual(a[key], b[key]))
    );
  }
  // Class instances such as util-dynamodb's NumberValue: equal when of one class with the same text.
  return Object.getPrototypeOf(a) === Object.getPrototypeOf(b) && String(a) === String(b);
};

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

const setsEqual = (a: ReadonlySet<unknown>, b: ReadonlySet<unknown>): boolean => {
  if (a.size !== b.size) return false;
  const unmatched = [...b];
  for (const member of a) {
    if (b.has(member)) continue; // strings and numbers: by value
    // Binary sets hold distinct Uint8Array objects: match them by content.
    const index = unmatched.findIndex((candidate) => valuesEqual(member, candidate));
    if (index === -1) return false;
    unmatched.splice(index, 1);
  }
  return true;
};

export { valuesEqual };
