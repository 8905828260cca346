import type { Shape } from './wireShapes.js';

/**
 * A place in a request body a mutator can change: a member (present or not) of a structure, an entry of a map
 * or an element of a list, with the shape the service model expects there. `pattern` is the path with map keys
 * and list indexes erased (`TransactItems[].Put.Item.*`), which groups failures found at the same member.
 */
interface Slot {
  readonly path: string;
  readonly pattern: string;
  readonly member: string;
  readonly shape: Shape;
  readonly parent: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly present: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every slot of a body, walking the body and its shape together (absent structure members included). */
const collectSlots = (body: Record<string, unknown>, shape: Shape): Slot[] => {
  const slots: Slot[] = [];
  const walk = (value: unknown, shape: Shape, path: string, pattern: string, depth: number): void => {
    if (depth > 14) return;
    if ((shape.kind === 'structure' || shape.kind === 'union') && isObject(value)) {
      for (const [member, memberShape] of shape.members) {
        const present = Object.hasOwn(value, member);
        // Absent union members (the other AttributeValue types) add little beyond the present one.
        if (!present && shape.kind === 'union') continue;
        const memberPath = path === '' ? member : `${path}.${member}`;
        const memberPattern = pattern === '' ? member : `${pattern}.${member}`;
        slots.push({
          path: memberPath,
          pattern: memberPattern,
          member,
          shape: memberShape,
          parent: value,
          key: member,
          present,
        });
        if (present) walk(value[member], memberShape, memberPath, memberPattern, depth + 1);
      }
    } else if (shape.kind === 'map' && isObject(value)) {
      for (const key of Object.keys(value)) {
        const entryPath = `${path}.${JSON.stringify(key).slice(0, 40)}`;
        slots.push({
          path: entryPath,
          pattern: `${pattern}.*`,
          member: key,
          shape: shape.value,
          parent: value,
          key,
          present: true,
        });
        walk(value[key], shape.value, entryPath, `${pattern}.*`, depth + 1);
      }
    } else if (shape.kind === 'list' && Array.isArray(value)) {
      value.forEach((element, i) => {
        slots.push({
          path: `${path}[${i}]`,
          pattern: `${pattern}[]`,
          member: String(i),
          shape: shape.member,
          parent: value,
          key: i,
          present: true,
        });
        walk(element, shape.member, `${path}[${i}]`, `${pattern}[]`, depth + 1);
      });
    }
  };
  walk(body, shape, '', '', 0);
  return slots;
};

const setSlot = (slot: Slot, value: unknown): void => {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else
    Object.defineProperty(slot.parent, slot.key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
};

const deleteSlot = (slot: Slot): void => {
  if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
  else delete slot.parent[slot.key as string];
};

const getSlot = (slot: Slot): unknown =>
  Array.isArray(slot.parent)
    ? slot.parent[slot.key as number]
    : slot.present
      ? slot.parent[slot.key as string]
      : undefined;

/** Whether a slot holds a DynamoDB AttributeValue (the union of S, N, B, SS, …). */
const isAttributeValue = (shape: Shape): boolean => shape.kind === 'union' && shape.name === 'AttributeValue';

/** Whether a slot is a map of attribute name to AttributeValue (an item, a key, ExpressionAttributeValues). */
const isAttributeMap = (shape: Shape): boolean => shape.kind === 'map' && isAttributeValue(shape.value);

export type { Slot };
export { collectSlots, deleteSlot, getSlot, isAttributeMap, isAttributeValue, isObject, setSlot };
