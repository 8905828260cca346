import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildFailure, type BuildOptions, build, type Loader } from 'esbuild';
import { lambdaHandlerFile, splitHandler } from '../template/lambdaHandler.js';
import { TemplateError } from '../template/TemplateError.js';
import type { FunctionDefinition } from '../template/types.js';

interface BuildFunctionInput {
  readonly function: Pick<FunctionDefinition, 'logicalId' | 'handler' | 'codeUri' | 'build'>;
  /** The template file, for errors. */
  readonly templatePath: string;
  /** Where bundles go: `<outDir>/<logicalId>/`, like `.aws-sam/build/<logicalId>/`. */
  readonly outDir: string;
}

interface BuiltFunction {
  /** The file URL of the module Lambda would load for the Handler. */
  readonly moduleUrl: string;
  /** The export path after the module name (`handler`, or `a.b` for `app.a.b`). */
  readonly exportPath: string;
}

/**
 * SAM's "auto dependency layer" switch: `External: ['./node_modules/*']` makes every dependency in CodeUri's
 * package.json external and drops the other External entries (aws-lambda-builders, nodejs_npm_esbuild/actions.py,
 * `_should_bundle_deps_externally`, and esbuild.py `build_with_no_dependencies`).
 */
const externalsOf = async (codeUri: string, external: readonly string[]): Promise<string[]> => {
  if (!external.includes('./node_modules/*')) return [...external];
  try {
    const manifest = JSON.parse(await readFile(join(codeUri, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    return Object.keys(manifest.dependencies ?? {});
  } catch {
    return [];
  }
};

/** Left out of the copy of CodeUri, as SAM's builders leave out `.aws-sam` and `.git`; `.eddy` is eddy's own. */
const NOT_COPIED = new Set(['.aws-sam', '.git', '.eddy', 'node_modules']);

const HIDE_PROJECT_PACKAGE_JSON = `${JSON.stringify({
  '//': "eddy dev: Lambda's task root has no package.json; this one hides the project's",
})}\n`;

/**
 * SAM's npm builder deploys CodeUri as it is, with its dependencies. It is copied (node_modules linked), so that
 * Node decides a `.js` file's module type from CodeUri's own package.json, as Lambda does, and not from a
 * package.json in a folder above it (which Lambda never sees), and a relative import outside CodeUri fails here
 * as it would on Lambda.
 */
const copyCodeUri = async (codeUri: string, outdir: string): Promise<void> => {
  const root = resolve(codeUri);
  const out = resolve(outdir);
  await mkdir(out, { recursive: true });
  // Entry by entry: the build folder may be inside CodeUri (`.eddy/build` when CodeUri is `.`), and fs.cp refuses
  // to copy a folder into itself even when a filter leaves that part out.
  const copy = async (from: string, to: string): Promise<void> => {
    for (const entry of await readdir(from, { withFileTypes: true })) {
      const source = join(from, entry.name);
      if (NOT_COPIED.has(entry.name) || source === out) continue;
      const target = join(to, entry.name);
      if (entry.isDirectory() && out.startsWith(`${source}${sep}`)) {
        await mkdir(target, { recursive: true });
        await copy(source, target);
      } else {
        await cp(source, target, { recursive: true });
      }
    }
  };
  await copy(root, out);
  if (existsSync(join(root, 'node_modules'))) {
    await symlink(join(root, 'node_modules'), join(out, 'node_modules'), 'junction');
  }
  if (!existsSync(join(root, 'package.json'))) {
    await writeFile(join(out, 'package.json'), HIDE_PROJECT_PACKAGE_JSON);
  }
};

const describeFailure = (failure: BuildFailure, codeUri: string): string =>
  failure.errors
    .map((message) => {
      const where = message.location;
      const file = where === null ? '' : `${where.file}:${where.line}:${where.column + 1}: `;
      return `${file}${message.text}`;
    })
    .join('; ') || `esbuild failed in ${codeUri}`;

/** A function `BuildMethod: esbuild` bundles. */
type BundledFunction = Pick<FunctionDefinition, 'codeUri'> & {
  readonly build: { readonly esbuild: NonNullable<FunctionDefinition['build']['esbuild']> };
};

/**
 * esbuild's options for a function, as aws-lambda-builders passes them (see `buildFunction`); shared by the
 * one-off build and `eddy dev --watch`'s incremental rebuilds (`FunctionRebuilder`).
 */
const bundleOptions = async (fn: BundledFunction, outdir: string): Promise<BuildOptions> => {
  const settings = fn.build.esbuild;
  return {
    entryPoints: [...settings.entryPoints],
    outdir,
    absWorkingDir: fn.codeUri,
    bundle: true,
    platform: 'node',
    format: settings.format,
    target: [...settings.target],
    minify: settings.minify,
    sourcemap: 'linked',
    ...(settings.sourcesContent === undefined ? {} : { sourcesContent: settings.sourcesContent }),
    ...(settings.mainFields === undefined ? {} : { mainFields: [...settings.mainFields] }),
    external: await externalsOf(fn.codeUri, settings.external),
    loader: settings.loader as Record<string, Loader>,
    outExtension: settings.outExtension,
    banner: settings.banner,
    logLevel: 'silent',
  };
};

/**
 * Builds a function as `sam build` would and returns what Lambda would load.
 *
 * - `BuildMethod: esbuild`: bundles with esbuild as aws-lambda-builders does
 *   (https://github.com/aws/aws-lambda-builders/blob/develop/aws_lambda_builders/workflows/nodejs_npm_esbuild/esbuild.py):
 *   `--bundle --platform=node --outdir`, the template's Format, Target, Minify, External, Loader, OutExtension,
 *   Banner, MainFields and SourcesContent with SAM's defaults (cjs, es2020, minified), node_modules bundled. Only
 *   one thing differs: the bundle always carries a source map (Sourcemap only adds `.map` files and the
 *   NODE_OPTIONS switch on Lambda), so that stack traces name the `.ts` lines locally.
 * - No Metadata: SAM's npm builder copies CodeUri as is, so the Handler's own `.js`/`.mjs`/`.cjs` file runs,
 *   from a copy (see `copyCodeUri`).
 *
 * The output folder holds only the bundles, as SAM's artifacts folder does, plus a package.json without "type":
 * Lambda's task root has none, so Node must not read the project's ("type": "module" would make a CommonJS
 * `app.js` fail).
 *
 * @example
 * const { moduleUrl, exportPath } = await buildFunction({ function: fn, templatePath, outDir: '.eddy/build' });
 */
const buildFunction = async (input: BuildFunctionInput): Promise<BuiltFunction> => {
  const fn = input.function;
  const exportPath = splitHandler(fn.handler).exportPath;
  const settings = fn.build.esbuild;
  const location = `Resources.${fn.logicalId}`;
  const outdir = join(input.outDir, fn.logicalId);
  await rm(outdir, { recursive: true, force: true });
  if (fn.build.builder === 'none' || settings === undefined) {
    await copyCodeUri(fn.codeUri, outdir);
    const file = lambdaHandlerFile(outdir, fn.handler);
    if (file === undefined) {
      throw new TemplateError(
        input.templatePath,
        `${location}.Properties.Handler`,
        `no file for Handler ${fn.handler}`,
      );
    }
    return { moduleUrl: pathToFileURL(file).href, exportPath };
  }
  const options = await bundleOptions({ codeUri: fn.codeUri, build: { esbuild: settings } }, outdir);
  try {
    await build(options);
  } catch (error) {
    if (!(error instanceof Error) || !('errors' in error)) throw error;
    throw new TemplateError(
      input.templatePath,
      location,
      `esbuild could not bundle it: ${describeFailure(error as BuildFailure, fn.codeUri)}`,
      { cause: error },
    );
  }
  await writeFile(join(outdir, 'package.json'), HIDE_PROJECT_PACKAGE_JSON);
  // SAM points the Handler at the bundle's folder when the path it names was not built
  // (samcli/lib/build/bundler.py, _update_function_handler): `src/app.handler` runs `app.js`.
  const file = lambdaHandlerFile(outdir, fn.handler) ?? lambdaHandlerFile(outdir, basename(fn.handler));
  if (file === undefined) {
    const { module } = splitHandler(fn.handler);
    const built = settings.entryPoints.map((entry) => relative(fn.codeUri, entry)).join(', ');
    throw new TemplateError(
      input.templatePath,
      `${location}.Properties.Handler`,
      `the bundle of ${built} has no ${module}.js, .mjs or .cjs for Handler ${fn.handler}, so Lambda could not ` +
        'load it: name the Handler after an entry point (its file name without extension)',
    );
  }
  return { moduleUrl: pathToFileURL(file).href, exportPath };
};

export type { BuildFunctionInput, BuiltFunction, BundledFunction };
export { buildFunction, bundleOptions, HIDE_PROJECT_PACKAGE_JSON };
