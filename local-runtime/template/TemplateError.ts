/**
 * A problem in template.yaml, reported with the file and the place inside it so the user can go straight there.
 *
 * `location` is a dotted path from the template root (`Resources.OrdersFunction.Properties.Timeout`, list items as
 * `[0]`), or `line L, column C` for YAML syntax errors, or empty when the whole file is at fault.
 */
class TemplateError extends Error {
  /** The template file, as the caller named it. */
  readonly templatePath: string;
  /** Where in the template the problem is. */
  readonly location: string;
  /** What is wrong, without the file and location prefix. */
  readonly problem: string;

  constructor(templatePath: string, location: string, problem: string, options?: ErrorOptions) {
    super(
      location === '' ? `${templatePath}: ${problem}` : `${templatePath}: ${location}: ${problem}`,
      options,
    );
    this.name = 'TemplateError';
    this.templatePath = templatePath;
    this.location = location;
    this.problem = problem;
  }
}

export { TemplateError };
