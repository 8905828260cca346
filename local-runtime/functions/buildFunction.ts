import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

interface BuildFunctionInput {
  readonly logicalId: string;
  readonly entryPoint: string;
  /** SAM's `Metadata.BuildProperties` (esbuild): Target, Format, Sourcemap, External, Loader, MainFields, Banner… */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Where bundles go: `<outDir>/<logicalId>/`. */
  readonly outDir: string;
}

const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string'
      ? value.split(',').map((s) => s.trim())
      : [];

/** `['.node=file']` → `{ '.node': 'file' }`, the form of SAM's Loader, OutExtension and Banner lists. */
const pairs = (value: unknown): Record<string, string> =>
  Object.fromEntries(
    list(value).map((entry) => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );

/**
 * Bundles a function's handler with esbuild, as `sam build` does for `BuildMethod: esbuild`, honouring the
 * template's BuildProperties. Dependencies in node_modules stay external locally (they are already
 * installed), so a rebuild takes milliseconds. Returns the bundle's file URL.
 */
const buildFunction = async (input: BuildFunctionInput): Promise<string> => {
  const p = input.properties;
  const format = String(p.Format ?? 'cjs') === 'esm' ? 'esm' : 'cjs';
  // Node picks the module system by extension; the project is "type": "module".
  const extension = format === 'esm' ? '.mjs' : '.cjs';
  const outfile = join(
    input.outDir,
    input.logicalId,
    `${basename(input.entryPoint, extname(input.entryPoint))}${extension}`,
  );
  const banner = pairs(p.Banner);
  const options: BuildOptions = {
    entryPoints: [input.entryPoint],
    outfile,
    bundle: true,
    platform: 'node',
    format,
    target: String(p.Target ?? 'es2020'),
    packages: 'external',
    sourcemap: p.Sourcemap === true || p.Sourcemap === 'true' ? 'inline' : false,
    logLevel: 'silent',
    ...(p.MainFields === undefined ? {} : { mainFields: list(p.MainFields) }),
    ...(p.Loader === undefined ? {} : { loader: pairs(p.Loader) as BuildOptions['loader'] }),
    ...(banner.js === undefined ? {} : { banner: { js: banner.js } }),
  };
  await build(options);
  return pathToFileURL(outfile).href;
};

export type { BuildFunctionInput };
export { buildFunction };
