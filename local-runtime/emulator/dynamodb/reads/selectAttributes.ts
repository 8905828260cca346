import { validationException } from '../../errors.js';

const SELECT_VALUES = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] as const;
type Select = (typeof SELECT_VALUES)[number];

/**
 * Checks Select against the request's projection and index, with DynamoDB's messages, and returns the Select
 * in effect: the one asked for, or SPECIFIC_ATTRIBUTES with a projection, ALL_PROJECTED_ATTRIBUTES on an
 * index, ALL_ATTRIBUTES on a table. Query reports these as front-end validation errors (`prefix`
 * "1 validation error detected: "), Scan without a prefix, as AWS does.
 */
const selectAttributes = (input: Record<string, unknown>, prefix: string): Select => {
  const select = input.Select as Select | undefined;
  const projectedBy =
    input.ProjectionExpression !== undefined && input.ProjectionExpression !== null
      ? 'ProjectionExpression'
      : input.AttributesToGet !== undefined && input.AttributesToGet !== null
        ? 'AttributesToGet'
        : undefined;
  const indexed = input.IndexName !== undefined && input.IndexName !== null;
  if (select === 'SPECIFIC_ATTRIBUTES' && projectedBy === undefined) {
    throw validationException(
      `${prefix}Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES`,
    );
  }
  if (select !== undefined && select !== 'SPECIFIC_ATTRIBUTES' && projectedBy !== undefined) {
    throw validationException(
      `${prefix}Cannot specify the ${projectedBy} when choosing to get ${select === 'COUNT' ? 'only the Count' : select}`,
    );
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !indexed) {
    throw validationException(
      `${prefix}ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName`,
    );
  }
  if (select !== undefined) return select;
  if (projectedBy !== undefined) return 'SPECIFIC_ATTRIBUTES';
  return indexed ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
};

export type { Select };
export { SELECT_VALUES, selectAttributes };
