import { MAX_ATTRIBUTE_DEPTH, nestedTooDeep } from '../../wire/wireTypeErrors.js';

/**
 * Refuses an item whose attribute values nest beyond DynamoDB's 32 levels
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html, "Nested attribute
 * depth"). Request members are checked on the wire (wire/compileShape.ts); this is for items built inside the
 * emulator: a PartiQL INSERT's literal, and an update that sets a nested value inside a nested path. It walks
 * with its own stack, so any depth is safe to check, and stops at the first value past the limit.
 */
const checkNesting = (item: unknown, inItem: boolean): void => {
  if (item === null || typeof item !== 'object') return;
  // Most items hold only scalars: nothing is allocated until a map or list is met.
  let values: unknown[] | undefined;
  let depths: number[] | undefined;
  const push = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object') return;
    const { M: map, L: list } = value as { M?: unknown; L?: unknown };
    if (!Array.isArray(list) && (map === null || typeof map !== 'object')) return;
    values ??= [];
    depths ??= [];
    values.push(value);
    depths.push(depth);
  };
  for (const name in item) {
    if (Object.hasOwn(item, name)) push((item as Record<string, unknown>)[name], 1);
  }
  while (values !== undefined && values.length > 0) {
    const value = values.pop() as { M?: unknown; L?: unknown };
    const depth = (depths as number[]).pop() as number;
    const children: unknown[] = Array.isArray(value.L) ? value.L : Object.values(value.M as object);
    if (children.length === 0) continue;
    if (depth >= MAX_ATTRIBUTE_DEPTH) throw nestedTooDeep(inItem);
    for (const child of children) push(child, depth + 1);
  }
};

export { checkNesting };
