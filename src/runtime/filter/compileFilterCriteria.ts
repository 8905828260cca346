import type { DynamoDBRecord } from 'aws-lambda';
import { type CompiledPattern, compilePattern } from './compilePattern.js';
import { FilterCriteriaError } from './FilterCriteriaError.js';
import { flattenRecord } from './flattenRecord.js';
import { InvalidPatternError } from './InvalidPatternError.js';
import { matchPattern } from './matchPattern.js';

/**
 * `FilterCriteria` as CreateEventSourceMapping and the SAM `DynamoDB` event take it.
 *
 * @example
 * const criteria: FilterCriteria = { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] };
 * new EventSourceMapping({ ...options, filter: compileFilterCriteria(criteria) });
 */
interface FilterCriteria {
  readonly Filters?: readonly { readonly Pattern?: string }[];
}

/** Filters per mapping: Lambda's default quota (it can be raised to 10; https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html). */
const MAX_FILTERS = 5;
/** Characters per `Pattern` (Lambda API model). */
const MAX_PATTERN_LENGTH = 4096;

/** Lambda's own message for a pattern it refuses (recorded against AWS; https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html). */
const INVALID_PATTERN = 'Invalid filter pattern definition.';

const matchEverything = (): boolean => true;

const compileFilter = (filter: unknown, index: number): CompiledPattern => {
  const invalid = (reason: string) =>
    new FilterCriteriaError(`${INVALID_PATTERN} Filters[${index}].Pattern: ${reason}`);
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw invalid(`the filter must be an object with a Pattern; got ${JSON.stringify(filter)}`);
  }
  const pattern: unknown = (filter as { Pattern?: unknown }).Pattern;
  if (typeof pattern !== 'string') {
    throw invalid(`must be a JSON string (got ${pattern === undefined ? 'no Pattern' : typeof pattern})`);
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw invalid(`is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`);
  }
  try {
    return compilePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidPatternError) throw invalid(error.message);
    throw error;
  }
};

const union = (sets: readonly ReadonlySet<string>[]): Set<string> => new Set(sets.flatMap((set) => [...set]));

/**
 * Validates `FilterCriteria` like CreateEventSourceMapping and returns the matcher Lambda would apply to each
 * record (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html): EventBridge patterns, ORed across filters,
 * evaluated against the record as
 * the function receives it, every top-level field included (`eventName`, `userIdentity`, `dynamodb`, …). No
 * criteria, `{}` or an empty `Filters` list lets every record through.
 *
 * Values under `dynamodb` keep their type descriptors, so a pattern names them too:
 * `{"dynamodb":{"NewImage":{"status":{"S":["open"]}}}}`. `N` attributes are strings, so `numeric` never
 * matches them; it does match `ApproximateCreationDateTime` and `SizeBytes`, which are JSON numbers.
 *
 * @example
 * const keep = compileFilterCriteria({ Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] });
 * records.filter(keep);
 * @throws FilterCriteriaError for more than 5 filters or a pattern Lambda would refuse; the message names the
 * filter and what is wrong.
 */
const compileFilterCriteria = (
  criteria: FilterCriteria | undefined,
): ((record: DynamoDBRecord) => boolean) => {
  if (criteria === undefined || criteria === null) return matchEverything;
  if (typeof criteria !== 'object' || Array.isArray(criteria)) {
    throw new FilterCriteriaError(
      `must be an object like { Filters: [{ Pattern: "…" }] }; got ${JSON.stringify(criteria)}`,
    );
  }
  const filters: unknown = criteria.Filters;
  if (filters === undefined || filters === null) return matchEverything;
  if (!Array.isArray(filters)) {
    throw new FilterCriteriaError(
      `Filters must be a list of { Pattern: "…" }; got ${JSON.stringify(filters)}`,
    );
  }
  if (filters.length === 0) return matchEverything;
  if (filters.length > MAX_FILTERS) {
    throw new FilterCriteriaError(
      `Filters has ${filters.length} filters; a mapping allows at most ${MAX_FILTERS} (Lambda's default quota)`,
    );
  }
  const patterns = filters.map(compileFilter);
  const prefixes = union(patterns.map((p) => p.prefixes));
  const paths = union(patterns.map((p) => p.paths));
  return (record) => {
    const leaves = flattenRecord(record, prefixes, paths);
    return patterns.some((pattern) => matchPattern(pattern.tree, leaves));
  };
};

export type { FilterCriteria };
export { compileFilterCriteria, FilterCriteriaError };
