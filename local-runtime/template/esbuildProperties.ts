/**
 * `Metadata.BuildProperties` of a function built with `BuildMethod: esbuild`, read as `sam build` reads them.
 *
 * SAM documents the properties in "Building Node.js Lambda functions with esbuild in AWS SAM"
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html).
 * SAM CLI turns each key into snake case (`ResourceMetadataNormalizer.normalize_build_properties`,
 * https://github.com/aws/aws-sam-cli/blob/develop/samcli/lib/samlib/resource_metadata_normalizer.py) and
 * aws-lambda-builders turns them into esbuild flags
 * (https://github.com/aws/aws-lambda-builders/blob/develop/aws_lambda_builders/workflows/nodejs_npm_esbuild/esbuild.py):
 * - always `--bundle --platform=node --outdir=<artifacts>`, and `--target=es2020`, `--format=cjs`, `--minify` when
 *   the template does not set Target, Format or Minify (so `Minify: false` turns the default off);
 * - Minify and Sourcemap add their flag only when they are the boolean `true`;
 * - Target, Format, MainFields and SourcesContent are passed as one value (`--main-fields=module,main`);
 * - External, Loader, OutExtension and Banner must be lists, one flag per item (`--loader:.png=file`,
 *   `--out-extension:.js=.mjs`, `--banner:js=…`); anything else fails the build ("Invalid type for property");
 * - EntryPoints are relative to CodeUri; one without an extension is tried with `.ts`, then `.js`. Without
 *   EntryPoints, the Handler's file is the entry point (`handler.split('.')[0]`).
 *
 * Mistakes that `sam build` would only report once esbuild runs, or would silently ignore (a string `'true'`, a
 * misspelt key), are refused here, before `eddy dev` starts anything, naming the template path and property.
 */

/** esbuild's loaders (https://esbuild.github.io/api/#loader). */
const LOADERS = [
  'base64',
  'binary',
  'copy',
  'css',
  'dataurl',
  'default',
  'empty',
  'file',
  'js',
  'json',
  'jsx',
  'local-css',
  'text',
  'ts',
  'tsx',
] as const;

/** The properties SAM documents, as spelt in the template. */
const KNOWN = [
  'EntryPoints',
  'External',
  'Format',
  'Loader',
  'MainFields',
  'Minify',
  'OutExtension',
  'Sourcemap',
  'SourcesContent',
  'Target',
  'Banner',
] as const;

/** A target as esbuild takes it: `es2020`, `esnext`, `node22`, `node20.19`, `chrome120`… */
const TARGET = /^(esnext|es\d+|[a-z]+\d+(\.\d+){0,2})$/;

/** BuildProperties checked, with SAM's defaults applied: what `buildFunction` hands to esbuild. */
interface EsbuildSettings {
  /** Absolute files: `EntryPoints` resolved against CodeUri, or the Handler's file. */
  readonly entryPoints: readonly string[];
  /** @default 'cjs' (SAM's default) */
  readonly format: 'esm' | 'cjs';
  /** @default ['es2020'] (SAM's default) */
  readonly target: readonly string[];
  /** @default true (SAM's default) */
  readonly minify: boolean;
  /** The template's `Sourcemap`, or true when NODE_OPTIONS has `--enable-source-maps` (as SAM sets it). */
  readonly sourcemap: boolean;
  readonly sourcesContent?: boolean;
  /** esbuild's default for platform node (`main,module`) when absent. */
  readonly mainFields?: readonly string[];
  readonly external: readonly string[];
  /** `{'.png': 'file'}` from `['.png=file']`. */
  readonly loader: Readonly<Record<string, string>>;
  /** `{'.js': '.mjs'}` from `['.js=.mjs']`. */
  readonly outExtension: Readonly<Record<string, string>>;
  /** `{js: '…'}` from `['js=…']`. */
  readonly banner: Readonly<Record<string, string>>;
}

interface ReadEsbuildInput {
  /** `Metadata.BuildProperties` as written (a map). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** `Resources.<Fn>.Metadata.BuildProperties`. */
  readonly location: string;
  /** The function's environment variables: NODE_OPTIONS `--enable-source-maps` turns Sourcemap on. */
  readonly environment: Readonly<Record<string, string>>;
  /** The function's CodeUri folder, for messages. */
  readonly codeUri: string;
  /** Resolves an entry point (relative to CodeUri) to an absolute file, or undefined when there is none. */
  readonly findEntryPoint: (entry: string) => string | undefined;
  /** The Handler's entry point when EntryPoints is absent (`handler.split('.')[0]`), and where it is set. */
  readonly handlerEntry: { readonly entry: string; readonly location: string };
  readonly fail: (location: string, problem: string) => never;
}

const at = (location: string, key: string | number) =>
  typeof key === 'number' ? `${location}[${key}]` : `${location}.${key}`;

const has = (record: Readonly<Record<string, unknown>>, key: string) => Object.hasOwn(record, key);

/**
 * Reads and checks `Metadata.BuildProperties` for `BuildMethod: esbuild`, with SAM's defaults.
 *
 * @example
 * readEsbuildProperties({ properties: { Format: 'esm', OutExtension: ['.js=.mjs'] }, … });
 * // { format: 'esm', target: ['es2020'], minify: true, outExtension: { '.js': '.mjs' }, … }
 */
const readEsbuildProperties = (input: ReadEsbuildInput): EsbuildSettings => {
  const { properties: p, location } = input;
  // Annotated, so that TypeScript narrows after a call (a never-returning call through a property does not).
  const fail: (location: string, problem: string) => never = input.fail;

  for (const key of Object.keys(p)) {
    if ((KNOWN as readonly string[]).includes(key)) continue;
    // SAM passes unknown keys on and lambda-builders ignores them: a misspelling would silently do nothing.
    const meant = KNOWN.find((known) => known.toLowerCase() === key.toLowerCase());
    if (meant !== undefined) {
      fail(at(location, key), `sam build reads ${meant} (spelt so) and ignores ${key}`);
    }
  }

  const boolean = (key: string): boolean | undefined => {
    if (!has(p, key)) return undefined;
    const value = p[key];
    if (typeof value !== 'boolean') {
      fail(
        at(location, key),
        `expected true or false, got ${JSON.stringify(value)} (sam build adds --${key.toLowerCase()} only for the boolean true)`,
      );
    }
    return value;
  };

  const list = (key: string): string[] => {
    if (!has(p, key)) return [];
    const value = p[key];
    if (!Array.isArray(value)) {
      fail(
        at(location, key),
        `expected a list (sam build refuses any other type), got ${JSON.stringify(value)}`,
      );
    }
    return value.map((item: unknown, index) => {
      if (typeof item !== 'string' || item === '') {
        fail(at(at(location, key), index), `expected a non-empty string, got ${JSON.stringify(item)}`);
      }
      return item;
    });
  };

  /** `['.png=file']` → `{'.png': 'file'}`, each item checked by `check` (a problem, or undefined). */
  const pairs = (
    key: string,
    example: string,
    check: (name: string, value: string) => string | undefined,
  ): Record<string, string> => {
    const entries = list(key).map((item, index): [string, string] => {
      const equals = item.indexOf('=');
      const name = item.slice(0, Math.max(equals, 0));
      const value = item.slice(equals + 1);
      const problem = equals <= 0 ? `expected ${example}, got ${JSON.stringify(item)}` : check(name, value);
      if (problem !== undefined) fail(at(at(location, key), index), problem);
      return [name, value];
    });
    return Object.fromEntries(entries);
  };

  let format: 'esm' | 'cjs' = 'cjs';
  if (has(p, 'Format')) {
    if (p.Format !== 'esm' && p.Format !== 'cjs') {
      fail(
        at(location, 'Format'),
        `expected esm or cjs, got ${JSON.stringify(p.Format)}${p.Format === 'iife' ? ' (an iife bundle exports no handler)' : ''}`,
      );
    }
    format = p.Format;
  }

  let target = ['es2020'];
  if (has(p, 'Target')) {
    const value = p.Target;
    const targets = typeof value === 'string' ? value.split(',').map((t) => t.trim()) : [];
    const wrong = targets.find((t) => !TARGET.test(t));
    if (typeof value !== 'string' || targets.length === 0 || wrong !== undefined) {
      fail(
        at(location, 'Target'),
        `expected an esbuild target such as es2020 or node22 (several separated by commas), got ${JSON.stringify(value)}`,
      );
    }
    target = targets;
  }

  let mainFields: string[] | undefined;
  if (has(p, 'MainFields')) {
    const value = p.MainFields;
    const fields = typeof value === 'string' ? value.split(',').map((f) => f.trim()) : [];
    if (typeof value !== 'string' || fields.some((f) => f === '')) {
      fail(
        at(location, 'MainFields'),
        `expected package.json fields separated by commas, such as module,main (sam build passes one value to --main-fields), got ${JSON.stringify(value)}`,
      );
    }
    mainFields = fields;
  }

  const minify = boolean('Minify') ?? true;
  const sourceMapsOption = (input.environment.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .includes('--enable-source-maps');
  // SAM: NODE_OPTIONS --enable-source-maps without Sourcemap sets Sourcemap (samcli/lib/build/bundler.py).
  const sourcemap = boolean('Sourcemap') ?? sourceMapsOption;
  const sourcesContent = boolean('SourcesContent');

  const loader = pairs('Loader', '.<extension>=<loader>, such as .png=file', (name, value) => {
    if (!name.startsWith('.')) return `the extension must start with a dot, such as .${name}=${value}`;
    if (!(LOADERS as readonly string[]).includes(value)) {
      return `unknown loader ${value}; esbuild's loaders are ${LOADERS.join(', ')}`;
    }
    return undefined;
  });
  const outExtension = pairs('OutExtension', '.js=<extension>, such as .js=.mjs', (name, value) => {
    if (name !== '.js' && name !== '.css') return `esbuild renames .js and .css outputs, not ${name}`;
    if (!value.startsWith('.')) return `the new extension must start with a dot, such as ${name}=.${value}`;
    return undefined;
  });
  const banner = pairs('Banner', 'js=<code>', (name) =>
    name === 'js' || name === 'css' ? undefined : `a banner is for js or css, not ${name}`,
  );
  const external = list('External');

  let entryPoints: string[];
  if (has(p, 'EntryPoints')) {
    const entryLocation = at(location, 'EntryPoints');
    const entries = p.EntryPoints;
    if (!Array.isArray(entries) || entries.length === 0) {
      fail(entryLocation, 'EntryPoints must be a non-empty list of files relative to CodeUri');
    }
    entryPoints = entries.map((entry: unknown, index) => {
      const file = typeof entry === 'string' && entry !== '' ? input.findEntryPoint(entry) : undefined;
      if (file === undefined) {
        fail(at(entryLocation, index), `entry point ${String(entry)} is not a file in ${input.codeUri}`);
      }
      return file;
    });
  } else {
    const file = input.findEntryPoint(input.handlerEntry.entry);
    if (file === undefined) {
      fail(
        input.handlerEntry.location,
        `no entry point for esbuild: neither ${input.handlerEntry.entry}.ts nor ${input.handlerEntry.entry}.js is in ${input.codeUri} (set BuildProperties.EntryPoints)`,
      );
    }
    entryPoints = [file];
  }

  return {
    entryPoints,
    format,
    target,
    minify,
    sourcemap,
    ...(sourcesContent === undefined ? {} : { sourcesContent }),
    ...(mainFields === undefined ? {} : { mainFields }),
    external,
    loader,
    outExtension,
    banner,
  };
};

export type { EsbuildSettings, ReadEsbuildInput };
export { readEsbuildProperties };
