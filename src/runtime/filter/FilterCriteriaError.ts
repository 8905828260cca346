import { MappingConfigError } from '../errors/MappingConfigError.js';

/**
 * A `FilterCriteria` that CreateEventSourceMapping would refuse. For a bad pattern the message carries Lambda's
 * own words ("Invalid filter pattern definition.", pinned by
 * test/unit/src/runtime/filter/compileFilterCriteria.test.ts), then which filter and what is wrong,
 * because Lambda's answer alone does not say. It is a MappingConfigError, so callers (and `eddy dev`, which
 * names the template location) handle it like any other invalid setting.
 *
 * @example
 * try {
 *   compileFilterCriteria({ Filters: [{ Pattern: 'not json' }] });
 * } catch (error) {
 *   if (error instanceof FilterCriteriaError) console.error(error.message); // names the filter and what is wrong
 * }
 */
class FilterCriteriaError extends MappingConfigError {
  constructor(message: string) {
    super('FilterCriteria', message);
    this.name = 'FilterCriteriaError';
  }
}

export { FilterCriteriaError };
