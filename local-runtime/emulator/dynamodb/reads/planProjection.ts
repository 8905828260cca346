import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import type { DocumentPath, Projection } from '../expressions/index.js';
import type { ReadTarget } from './readTarget.js';
import type { Select } from './selectAttributes.js';

/** How a read turns stored entries into response items. */
interface ProjectionPlan {
  readonly countOnly: boolean;
  readonly projection?: Projection;
  readonly fetch?: (entry: AttributeMap) => AttributeMap;
  readonly returnEntries: boolean;
}

const topLevel = (paths: readonly DocumentPath[]): string[] => [
  ...new Set(paths.map((path) => path[0] as string)),
];

/**
 * Decides what a read returns, with DynamoDB's rules for indexes that do not project every attribute: no
 * index filters on attributes it does not hold; a global index cannot give ALL_ATTRIBUTES nor name attributes
 * it does not hold; a local index can, by fetching the table's item.
 */
const planProjection = (
  target: ReadTarget,
  select: Select,
  projection: Projection | undefined,
  filterPaths: readonly DocumentPath[],
): ProjectionPlan => {
  const { index, table } = target;
  const projected = index?.projected;
  const base = {
    countOnly: select === 'COUNT',
    ...(projection === undefined ? {} : { projection }),
    returnEntries: select === 'ALL_PROJECTED_ATTRIBUTES',
  };
  if (index === undefined || projected === undefined) return base;
  const unfiltered = topLevel(filterPaths)
    .filter((name) => !projected.has(name))
    .sort();
  if (unfiltered.length > 0) {
    throw validationException(
      `One or more parameter values were invalid: Secondary index ${index.name} does not project one or more filter attributes: [${unfiltered.join(', ')}]`,
    );
  }
  if (index.global) {
    if (select === 'ALL_ATTRIBUTES') {
      throw validationException(
        `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
      );
    }
    const missing = topLevel(projection?.paths ?? []).filter((name) => !projected.has(name));
    if (missing.length > 0) {
      throw validationException(
        `One or more parameter values were invalid: Global secondary index ${index.name} does not project [${missing.join(', ')}]`,
      );
    }
    return base;
  }
  const needsTable =
    select === 'ALL_ATTRIBUTES' || topLevel(projection?.paths ?? []).some((name) => !projected.has(name));
  if (!needsTable) return base;
  return { ...base, fetch: (entry) => table.getItem(entry) ?? entry };
};

export type { ProjectionPlan };
export { planProjection };
