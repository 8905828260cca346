import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { getOwn, setOwn } from '../expressions/documentPath.js';
import { type KeySchema, keyAttributeNames } from '../keySchema.js';
import type { IndexProjection } from './SecondaryIndexDefinition.js';

/**
 * The top-level attributes an index keeps of each item: the table's key, the index's key and, for INCLUDE,
 * the NonKeyAttributes. Undefined for ALL (the whole item).
 */
const projectedAttributes = (
  projection: IndexProjection,
  tableKey: KeySchema,
  indexKey: KeySchema,
): ReadonlySet<string> | undefined => {
  if (projection.ProjectionType === 'ALL') return undefined;
  const names = new Set<string>();
  for (const key of [tableKey, indexKey]) for (const name of keyAttributeNames(key)) names.add(name);
  for (const name of projection.NonKeyAttributes ?? []) names.add(name);
  return names;
};

/**
 * What an index stores for an item: the item itself under ALL (shared, not copied: stored items are never
 * mutated), otherwise a new map of the projected attributes, whose values are shared with the item.
 */
const projectIndexEntry = (item: AttributeMap, keep: ReadonlySet<string> | undefined): AttributeMap => {
  if (keep === undefined) return item;
  const entry: AttributeMap = {};
  for (const name of keep) {
    const value = getOwn(item, name);
    if (value !== undefined) setOwn(entry, name, value);
  }
  return entry;
};

export { projectedAttributes, projectIndexEntry };
