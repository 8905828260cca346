import { FunctionError } from '../functions/WorkerInvoker.js';
import { TemplateError } from '../template/TemplateError.js';
import { throwProblems } from '../template/TemplateErrors.js';
import type { FunctionDefinition } from '../template/types.js';

/** One copy of a function's cold start, as `checkColdStarts` judges it. */
interface ColdStart {
  readonly fn: FunctionDefinition;
  /** How the console names this copy of the function. */
  readonly label: string;
  readonly error: FunctionError | undefined;
}

/**
 * Lambda gives a cold start 10 s (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html);
 * one that takes longer is said, and the mappings start anyway rather than keep eddy dev from being ready.
 */
const initWithin = (coldStart: Promise<FunctionError | undefined>): Promise<FunctionError | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<FunctionError>((resolve) => {
    timer = setTimeout(
      () => resolve(new FunctionError('Runtime.InitTimeout', 'it has not finished after 10 s')),
      10_000,
    );
    timer.unref();
  });
  return Promise.race([coldStart, late]).finally(() => clearTimeout(timer));
};

/**
 * What to do about a cold start failure people meet often, when there is something to say. An ESM bundle
 * (`Format: esm`) with CommonJS dependencies inside (the AWS SDK's Node.js HTTP handler among them) calls
 * `require`, which ES modules do not have: esbuild's "Dynamic require of … is not supported", on Lambda as here.
 */
const coldStartHint = (fn: FunctionDefinition, error: FunctionError): string => {
  if (!/Dynamic require of .* is not supported/.test(error.message)) return '';
  return (
    `; an ESM bundle needs a require for the CommonJS code it includes: add to Resources.${fn.logicalId}.Metadata.BuildProperties ` +
    `MainFields: module,main and Banner: ["js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"]`
  );
};

/**
 * A Handler that names no function (the cold start's Runtime.HandlerNotFound) is a template error; another cold
 * start failure (the module throws as it loads) is said, and its invocations fail as they would on Lambda.
 */
const checkColdStarts = (
  coldStarts: readonly ColdStart[],
  templatePath: string,
  print: (line: string) => void,
): void => {
  const problems: TemplateError[] = [];
  for (const { fn, label, error } of coldStarts) {
    if (error === undefined) continue;
    if (error.name === 'Runtime.HandlerNotFound') {
      problems.push(
        new TemplateError(
          templatePath,
          `Resources.${fn.logicalId}.Properties.Handler`,
          `${fn.handler}: ${error.message}; Handler is <file>.<export>: after the last dot, name a function the file exports`,
        ),
      );
    } else {
      print(
        `eddy dev: warning: ${label}: its cold start failed (${error.name}: ${error.message}); its invocations fail until that is fixed` +
          coldStartHint(fn, error),
      );
    }
  }
  throwProblems(problems);
};

export type { ColdStart };
export { checkColdStarts, initWithin };
