/**
 * JSON text for fuzz bodies. Two things `JSON.stringify` cannot do: embed text that is not a JS value (a number
 * literal like `1e400`, nesting 100,000 levels deep, which would overflow a recursive serializer), and keep a
 * member named `__proto__` without it turning into a prototype. Bodies are plain objects whose odd members are
 * defined with {@link setMember}, and {@link RawJson} leaves.
 */
class RawJson {
  constructor(readonly text: string) {}
}

/** Defines an own enumerable member, even `__proto__`. */
const setMember = (target: Record<string, unknown>, name: string, value: unknown): void => {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
};

/** A plain object with these members in order (names may be `__proto__`, `constructor`, …). */
const objectOf = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> => {
  const object: Record<string, unknown> = {};
  for (const [name, value] of entries) setMember(object, name, value);
  return object;
};

/** Serialises a body; recursion depth is the depth of the JS value, which the generator keeps shallow. */
const toJsonText = (value: unknown): string => {
  if (value instanceof RawJson) return value.text;
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  const parts: string[] = [];
  for (const name of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[name];
    if (member === undefined) continue;
    parts.push(`${JSON.stringify(name)}:${toJsonText(member)}`);
  }
  return `{${parts.join(',')}}`;
};

/** A deep copy of a body (RawJson leaves shared), keeping odd member names. */
const copyBody = <T>(value: T): T => {
  if (value === null || typeof value !== 'object' || value instanceof RawJson) return value;
  if (Array.isArray(value)) return value.map(copyBody) as T;
  return objectOf(Object.keys(value).map((k) => [k, copyBody((value as Record<string, unknown>)[k])])) as T;
};

export { copyBody, objectOf, RawJson, setMember, toJsonText };
