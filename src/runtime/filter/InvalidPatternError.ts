/**
 * Thrown while compiling one pattern; {@link compileFilterCriteria} turns it into a `FilterCriteriaError` that
 * names the filter. Kept apart so the compilers need not know which filter they are compiling.
 */
class InvalidPatternError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidPatternError';
  }
}

export { InvalidPatternError };
