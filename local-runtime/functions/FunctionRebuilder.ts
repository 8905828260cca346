import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildContext, type BuildFailure, context, type Metafile, type Plugin } from 'esbuild';
import { lambdaHandlerFile } from '../template/lambdaHandler.js';
import { type BundledFunction, bundleOptions, HIDE_PROJECT_PACKAGE_JSON } from './buildFunction.js';
import type { Preload } from './WorkerInvoker.js';

/** An error of esbuild's, where it is: `file` absolute, `line` from 1, `column` from 1. */
interface BuildProblem {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly text: string;
}

/**
 * What a rebuild gives: the files (absolute) the bundle is made of, the module Lambda would load (`moduleUrl`,
 * undefined when the Handler names none of the outputs) and what a spare environment may import before it
 * (`preload`, see `WorkerInvoker.prewarm`); or esbuild's errors.
 */
type Rebuilt =
  | {
      readonly ok: true;
      readonly inputs: readonly string[];
      readonly moduleUrl: string | undefined;
      readonly preload: Preload | undefined;
    }
  | { readonly ok: false; readonly errors: readonly BuildProblem[] };

/** The watched function: its bundle's settings and its Handler. */
type RebuiltFunction = BundledFunction & { readonly handler: string };

const SKIP = Symbol('eddy: resolving a package');

/**
 * Leaves the packages of node_modules out of the bundle (`eddy dev --watch` only): Node loads them from
 * node_modules, as their own files. esbuild resolves each bare import as for the bundle; it is left out when it
 * lands in a node_modules folder on a JavaScript file: a workspace package linked from elsewhere or a tsconfig
 * alias (maybe TypeScript), and JSON or text files (the template's loaders), stay bundled.
 */
const nodeModulesExternal: Plugin = {
  name: 'eddy-watch-node-modules-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === SKIP || isBuiltin(args.path)) return undefined;
      const found = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: SKIP,
      });
      if (found.errors.length > 0 || found.external) return undefined;
      if (!found.path.split(sep).includes('node_modules') || !/\.[cm]?js$/.test(found.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * A function's bundle kept by an esbuild context (`eddy dev --watch`): each `rebuild` rebuilds incrementally
 * into its own folder (not the one `buildFunction` wrote, which stays what `sam build` makes), and says which
 * files went into it (from esbuild's metafile), so the watcher knows what to watch. A failed rebuild writes
 * nothing: the previous bundle stays.
 *
 * The bundle leaves node_modules' packages out (`nodeModulesExternal`): with the AWS SDK in it a bundle is over
 * 1 MB, a rebuild takes ~0.4 s and every new environment compiles it all; without, ~50 ms, and a spare
 * environment may have imported the packages already (`preload`). Node then resolves them from the bundle's
 * folder (node_modules of CodeUri linked there, then the folders above), which finds what esbuild found for the
 * usual layouts; when it does not (the new version fails to load), `rebuild({ whole: true })` makes to SAM's whole bundle.
 *
 * @example
 * const rebuilder = await FunctionRebuilder.start(fn, join(buildDir, '_watch', fn.logicalId));
 * const result = await rebuilder.rebuild();
 * if (!result.ok) console.log(result.errors); // [{ file: '/app/handler.ts', line: 3, column: 7, text: 'Expected ";"…' }]
 */
class FunctionRebuilder {
  readonly #fast: BuildContext<{ metafile: true }>;
  /** SAM's whole bundle, node_modules in it: made when first needed. */
  #whole: Promise<BuildContext<{ metafile: true }>> | undefined;
  readonly #fn: RebuiltFunction;
  readonly #outdir: string;
  #wholeFromNowOn = false;

  private constructor(ctx: BuildContext<{ metafile: true }>, fn: RebuiltFunction, outdir: string) {
    this.#fast = ctx;
    this.#fn = fn;
    this.#outdir = outdir;
  }

  /**
   * An esbuild context with the function's options (the same as `buildFunction`'s, but not minified, and
   * node_modules left out), not built yet. Minifying is most of a rebuild's time once the AWS SDK is in the
   * bundle, and it changes names and whitespace only: the code runs the same, and its stack traces read better
   * while it is being edited.
   */
  static async start(fn: RebuiltFunction, outdir: string): Promise<FunctionRebuilder> {
    const rebuilder = new FunctionRebuilder(await FunctionRebuilder.#open(fn, outdir, false), fn, outdir);
    // A CommonJS bundle requires its packages as its body runs, between its own modules: loading them first in
    // a spare would change that order, and loading them from node_modules without a spare is slower than the
    // whole bundle (hundreds of files, ~0.5 s for the AWS SDK against ~0.15 s bundled). So it stays whole.
    if (fn.build.esbuild.format !== 'esm') rebuilder.wholeFromNowOn();
    return rebuilder;
  }

  static async #open(fn: RebuiltFunction, outdir: string, whole: boolean) {
    const options = await bundleOptions(fn, outdir);
    return context({
      ...options,
      minify: false,
      metafile: true,
      ...(whole ? {} : { plugins: [nodeModulesExternal] }),
    });
  }

  /** Whether the rebuilds bundle node_modules (after `wholeFromNowOn()`). */
  get isWhole(): boolean {
    return this.#wholeFromNowOn;
  }

  /** From now on, bundles node_modules too, as `sam build` does (a bundle without them did not load). */
  wholeFromNowOn(): void {
    this.#wholeFromNowOn = true;
  }

  /**
   * Builds the bundle again: without node_modules, or with them (`whole`, by default once `wholeFromNowOn`
   * was called).
   */
  async rebuild(options: { readonly whole?: boolean } = {}): Promise<Rebuilt> {
    const whole = options.whole ?? this.#wholeFromNowOn;
    if (!whole) return this.#build(this.#fast, false);
    this.#whole ??= FunctionRebuilder.#open(this.#fn, this.#outdir, true);
    return this.#build(await this.#whole, true);
  }

  async #build(ctx: BuildContext<{ metafile: true }>, whole: boolean): Promise<Rebuilt> {
    let metafile: Metafile;
    try {
      metafile = (await ctx.rebuild()).metafile;
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
    // Lambda's task root has no package.json; buildFunction writes one that hides the project's (see there).
    await writeFile(join(this.#outdir, 'package.json'), HIDE_PROJECT_PACKAGE_JSON);
    const modules = join(this.#fn.codeUri, 'node_modules');
    const linked = join(this.#outdir, 'node_modules');
    if (!whole && existsSync(modules) && !existsSync(linked)) await symlink(modules, linked, 'junction');
    const file =
      lambdaHandlerFile(this.#outdir, this.#fn.handler) ??
      lambdaHandlerFile(this.#outdir, basename(this.#fn.handler));
    return {
      ok: true,
      // Metafile paths are relative to absWorkingDir (CodeUri); some carry a namespace prefix (`file:`).
      inputs: Object.keys(metafile.inputs).map((input) =>
        resolve(this.#fn.codeUri, input.replace(/^[a-z-]+:/, '')),
      ),
      moduleUrl: file === undefined ? undefined : pathToFileURL(file).href,
      preload: file === undefined || whole ? undefined : await this.#preload(metafile, file),
    };
  }

  /**
   * The packages an ES module bundle imports with `import` statements, in its order: evaluated before its body,
   * so a spare may import them first (see `WorkerInvoker.prewarm`). A CommonJS bundle requires them as its body
   * runs: none. Written as a module next to the bundle, so that they resolve as the bundle's imports do.
   */
  async #preload(metafile: Metafile, file: string): Promise<Preload | undefined> {
    if (this.#fn.build.esbuild.format !== 'esm') return undefined;
    const output = Object.entries(metafile.outputs).find(
      ([path]) => resolve(this.#fn.codeUri, path) === resolve(file),
    )?.[1];
    const specifiers = (output?.imports ?? [])
      .filter(
        (entry) => entry.external === true && entry.kind === 'import-statement' && !isBuiltin(entry.path),
      )
      .map((entry) => entry.path);
    if (specifiers.length === 0) return undefined;
    const hash = createHash('sha256').update(specifiers.join('\n')).digest('hex').slice(0, 12);
    const path = join(this.#outdir, `.eddy-preload-${hash}.mjs`);
    if (!existsSync(path)) {
      await mkdir(this.#outdir, { recursive: true });
      await writeFile(path, specifiers.map((specifier) => `import ${JSON.stringify(specifier)};\n`).join(''));
    }
    return { url: pathToFileURL(path).href, specifiers };
  }

  async dispose(): Promise<void> {
    await this.#fast.dispose();
    await (await this.#whole)?.dispose();
  }
}

export type { BuildProblem, Rebuilt, RebuiltFunction };
export { FunctionRebuilder };
