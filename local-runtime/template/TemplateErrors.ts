import { TemplateError } from './TemplateError.js';

/**
 * Several problems in one template, found in one pass so the user fixes them all at once. It is a
 * {@link TemplateError} about the first problem (its `location` and `problem`), and its message lists every
 * problem on a line of its own, in the order found.
 */
class TemplateErrors extends TemplateError {
  /** Every problem, each with its own location. */
  readonly errors: readonly TemplateError[];

  constructor(errors: readonly TemplateError[]) {
    const first = errors[0];
    if (first === undefined) throw new RangeError('TemplateErrors needs at least one error');
    super(first.templatePath, first.location, first.problem);
    this.name = 'TemplateErrors';
    this.errors = errors;
    this.message = errors.map((error) => error.message).join('\n');
  }
}

/** The problems of an error thrown while reading a template: several for TemplateErrors, else itself. */
const problemsOf = (error: TemplateError): readonly TemplateError[] =>
  error instanceof TemplateErrors ? error.errors : [error];

/**
 * Throws what `problems` hold: nothing when empty, the one error itself, or a {@link TemplateErrors}. Problems
 * with the same message (the same template read for several regions) are said once.
 */
const throwProblems = (problems: readonly TemplateError[]): void => {
  const seen = new Set<string>();
  const unique = problems.filter((problem) => !seen.has(problem.message) && seen.add(problem.message));
  if (unique.length === 1) throw unique[0];
  if (unique.length > 1) throw new TemplateErrors(unique);
};

export { problemsOf, TemplateErrors, throwProblems };
