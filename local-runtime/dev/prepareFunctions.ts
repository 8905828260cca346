import { relative } from 'node:path';
import { splitHandler } from '../template/lambdaHandler.js';
import { TemplateError } from '../template/TemplateError.js';
import { problemsOf, throwProblems } from '../template/TemplateErrors.js';
import type { FunctionDefinition, LocalTemplate } from '../template/types.js';
import { handlerExportProblem } from './handlerExportProblem.js';

/** esbuild's BuildFailure, as far as a message needs it. */
interface BuildFailure {
  readonly errors: readonly {
    readonly text: string;
    readonly location?: { readonly file: string; readonly line: number; readonly column: number } | null;
  }[];
}

const isBuildFailure = (error: unknown): error is BuildFailure =>
  typeof error === 'object' && error !== null && Array.isArray((error as BuildFailure).errors);

/** An esbuild failure as one line per error: `file:line:column: text`. */
const buildFailureText = (failure: BuildFailure, cwd: string): string =>
  failure.errors
    .map(({ text, location }) =>
      location == null
        ? text
        : `${relative(cwd, location.file) || location.file}:${location.line}:${location.column}: ${text}`,
    )
    .join('; ');

/**
 * `eddy dev`'s checks of the functions before anything starts: each function with a DynamoDB event is built, and
 * its entry point is checked for the export its `Handler` names. Every problem of every function is collected and
 * thrown together as template errors at the function's place in the template.
 *
 * Returns each function's bundle (a file URL) by logical id.
 *
 * @example
 * const bundles = await prepareFunctions(template, (fn) => buildFunction({ … }));
 */
const prepareFunctions = async (
  template: LocalTemplate,
  bundle: (fn: FunctionDefinition) => Promise<string>,
  cwd: string = process.cwd(),
): Promise<Map<string, string>> => {
  const bundles = new Map<string, string>();
  const functions = template.functions.filter((fn) => fn.events.length > 0);
  const found = await Promise.all(
    functions.map(async (fn): Promise<TemplateError[]> => {
      const location = `Resources.${fn.logicalId}`;
      // The export a Handler names first (`app.a.b` looks in `a`), as Lambda splits it.
      const exportName = splitHandler(fn.handler).exportPath.split('.')[0] as string;
      const entryPoint = fn.build.entryPoints[0];
      const [built, missing] = await Promise.allSettled([
        bundle(fn),
        entryPoint === undefined
          ? Promise.resolve(undefined)
          : handlerExportProblem(entryPoint, exportName, cwd),
      ]);
      const problems: TemplateError[] = [];
      if (built.status === 'fulfilled') bundles.set(fn.logicalId, built.value);
      else if (built.reason instanceof TemplateError) problems.push(...problemsOf(built.reason));
      else {
        const why = isBuildFailure(built.reason)
          ? buildFailureText(built.reason, cwd)
          : String((built.reason as Error)?.message ?? built.reason);
        problems.push(new TemplateError(template.path, location, `the build failed: ${why}`));
      }
      if (missing.status === 'fulfilled' && missing.value !== undefined) {
        problems.push(
          new TemplateError(
            template.path,
            `${location}.Properties.Handler`,
            `${missing.value}; Handler is <file>.<export>: after the last dot, name a function the file exports`,
          ),
        );
      }
      return problems;
    }),
  );
  throwProblems(found.flat());
  return bundles;
};

export { prepareFunctions };
