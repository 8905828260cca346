import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BuildContext, type BuildFailure, context } from 'esbuild';
import { type BundledFunction, bundleOptions, HIDE_PROJECT_PACKAGE_JSON } from './buildFunction.js';

/** An error of esbuild's, where it is: `file` absolute, `line` from 1, `column` from 1. */
interface BuildProblem {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly text: string;
}

/** What a rebuild gives: the files (absolute) the bundle is made of, or esbuild's errors. */
type Rebuilt =
  | { readonly ok: true; readonly inputs: readonly string[] }
  | { readonly ok: false; readonly errors: readonly BuildProblem[] };

/**
 * A function's bundle kept by an esbuild context (`eddy dev --watch`): each `rebuild` rebuilds incrementally
 * into the same folder `buildFunction` wrote, and says which files went into it (from esbuild's metafile), so
 * the watcher knows what to watch. A failed rebuild writes nothing: the previous bundle stays.
 *
 * @example
 * const rebuilder = await FunctionRebuilder.start(fn, join(buildDir, fn.logicalId));
 * const result = await rebuilder.rebuild();
 * if (!result.ok) console.log(result.errors); // [{ file: '/app/handler.ts', line: 3, column: 7, text: 'Expected ";"…' }]
 */
class FunctionRebuilder {
  readonly #context: BuildContext<{ metafile: true }>;
  readonly #fn: BundledFunction;
  readonly #outdir: string;

  private constructor(ctx: BuildContext<{ metafile: true }>, fn: BundledFunction, outdir: string) {
    this.#context = ctx;
    this.#fn = fn;
    this.#outdir = outdir;
  }

  /**
   * An esbuild context with the function's options (the same as `buildFunction`'s, but not minified), not built
   * yet. Minifying is most of a rebuild's time once the AWS SDK is in the bundle, and it changes names and
   * whitespace only: the code runs the same, and its stack traces read better while it is being edited.
   */
  static async start(fn: BundledFunction, outdir: string): Promise<FunctionRebuilder> {
    const ctx = await context({ ...(await bundleOptions(fn, outdir)), minify: false, metafile: true });
    return new FunctionRebuilder(ctx, fn, outdir);
  }

  async rebuild(): Promise<Rebuilt> {
    try {
      const result = await this.#context.rebuild();
      // Lambda's task root has no package.json; buildFunction wrote this one, and it stays (see buildFunction).
      await writeFile(join(this.#outdir, 'package.json'), HIDE_PROJECT_PACKAGE_JSON);
      const root = result.metafile === undefined ? [] : Object.keys(result.metafile.inputs);
      // Metafile paths are relative to absWorkingDir (CodeUri); some carry a namespace prefix (`file:`).
      return {
        ok: true,
        inputs: root.map((input) => resolve(this.#fn.codeUri, input.replace(/^[a-z-]+:/, ''))),
      };
    } catch (error) {
      if (!(error instanceof Error) || !('errors' in error)) throw error;
      return {
        ok: false,
        errors: (error as BuildFailure).errors.map(({ location, text }) =>
          location === null
            ? { text }
            : {
                file: resolve(this.#fn.codeUri, location.file),
                line: location.line,
                column: location.column + 1,
                text,
              },
        ),
      };
    }
  }

  async dispose(): Promise<void> {
    await this.#context.dispose();
  }
}

export type { BuildProblem, Rebuilt };
export { FunctionRebuilder };
