/**
 * Streams (or their tables) that mappings of the template read and that do not exist at the endpoint. Each line
 * names the mapping, the stream ARN or the table, and what to do.
 */
class MissingStreamError extends Error {
  /** One line per mapping whose stream is missing. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'MissingStreamError';
    this.problems = problems;
  }
}

export { MissingStreamError };
