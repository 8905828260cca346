import {
  type AttributeMap,
  type AttributeValue,
  attributeTypeOf,
} from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { addNumbers } from '../attributes/decimal.js';
import { checkAttributeName, validateItem } from '../attributes/validateItem.js';
import { getOwn, setOwn } from '../expressions/documentPath.js';
import { isSet, setSize, subtractSets, unionSets } from '../expressions/setOperations.js';

const ATTRIBUTE_ACTIONS = ['ADD', 'PUT', 'DELETE'] as const;
type AttributeAction = (typeof ATTRIBUTE_ACTIONS)[number];

/** One checked entry of UpdateItem's legacy `AttributeUpdates`. */
interface AttributeUpdate {
  readonly name: string;
  readonly action: AttributeAction;
  readonly value?: AttributeValue;
}

const ADDABLE = new Set(['N', 'SS', 'NS', 'BS', 'L']);
const SETS = new Set(['SS', 'NS', 'BS']);

const invalid = (message: string) =>
  validationException(`One or more parameter values were invalid: ${message}`);

/**
 * Reads the legacy `AttributeUpdates` parameter with DynamoDB's checks, in request order: each value is a valid
 * attribute value; only DELETE goes without one; DELETE takes only a set, ADD a number, a set or a list. The
 * Action enum is checked earlier, with the request's other constraints; PUT is the default.
 */
const readAttributeUpdates = (raw: unknown): AttributeUpdate[] => {
  const updates: AttributeUpdate[] = [];
  for (const [name, entry] of Object.entries(
    (raw ?? {}) as Record<string, { Action?: string; Value?: unknown }>,
  )) {
    checkAttributeName(name);
    const action = (entry?.Action ?? 'PUT') as AttributeAction;
    const hasValue = entry?.Value !== undefined && entry.Value !== null;
    const value = hasValue ? getOwn(validateItem({ [name]: entry.Value }, 'Value'), name) : undefined;
    if (value === undefined) {
      if (action !== 'DELETE')
        throw invalid('Only DELETE action is allowed when no attribute value is specified');
      updates.push({ name, action });
      continue;
    }
    const type = attributeTypeOf(value);
    if (action === 'DELETE' && !SETS.has(type)) {
      throw invalid(`DELETE action with value is not supported for the type ${type}`);
    }
    if (action === 'ADD' && !ADDABLE.has(type))
      throw invalid(`ADD action is not supported for the type ${type}`);
    updates.push({ name, action, value });
  }
  return updates;
};

const typeMismatch = () => validationException('Type mismatch for attribute to update');

/** ADD: a number is added, a set gets the new members, a list the new elements; a missing attribute is set. */
const added = (current: AttributeValue | undefined, value: AttributeValue): AttributeValue => {
  if (current === undefined) return value;
  if (attributeTypeOf(current) !== attributeTypeOf(value)) throw typeMismatch();
  if ('N' in current && 'N' in value) return { N: addNumbers(current.N, value.N) };
  if ('L' in current && 'L' in value) return { L: [...current.L, ...value.L] };
  if (isSet(current) && isSet(value)) return unionSets(current, value);
  throw typeMismatch();
};

/**
 * Applies checked AttributeUpdates to an item (the key alone when there is none) and returns the new item; the
 * input is not changed. A DELETE of set members that leaves the set empty removes the attribute, as DynamoDB
 * has no empty sets; a DELETE of a missing attribute does nothing.
 */
const applyAttributeUpdates = (updates: readonly AttributeUpdate[], item: AttributeMap): AttributeMap => {
  const next: AttributeMap = { ...item };
  for (const { name, action, value } of updates) {
    const current = getOwn(next, name);
    if (action === 'PUT') {
      setOwn(next, name, value as AttributeValue);
    } else if (action === 'ADD') {
      setOwn(next, name, added(current, value as AttributeValue));
    } else if (value === undefined) {
      if (current !== undefined) delete next[name];
    } else if (current !== undefined) {
      if (!isSet(current) || !isSet(value) || attributeTypeOf(current) !== attributeTypeOf(value)) {
        throw typeMismatch();
      }
      const remaining = subtractSets(current, value);
      if (setSize(remaining) === 0) delete next[name];
      else setOwn(next, name, remaining);
    }
  }
  return next;
};

export type { AttributeAction, AttributeUpdate };
export { ATTRIBUTE_ACTIONS, applyAttributeUpdates, readAttributeUpdates };
