import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The bundle's file name, next to the compiled server code's tree: `dist/dashboard-ui/dashboard.js`. */
const BUNDLE_FILE = 'dashboard.js';

/** Where the build writes the bundle (from dist/local-runtime/dashboard/: dist/dashboard-ui/). */
const BUILT_BUNDLE = new URL(`../../dashboard-ui/${BUNDLE_FILE}`, import.meta.url);

/**
 * The browser code's entry, from a source checkout: next to local-runtime/ when run from source (tsx), or next to
 * dist/ when run from a build whose bundle is missing.
 */
const SOURCE_ENTRIES = [
  new URL('../../dashboard-ui/main.ts', import.meta.url),
  new URL('../../../dashboard-ui/main.ts', import.meta.url),
];

/**
 * Bundles the dashboard's browser code (dashboard-ui/main.ts: preact, htm, uPlot and its CSS) into one script,
 * with esbuild: what `npm run build` writes to dist/ and what a source checkout builds in memory on first request.
 * Licence comments stay, at the end of the file.
 *
 * @example
 * const js = await bundleDashboard(fileURLToPath(new URL('../../dashboard-ui/main.ts', import.meta.url)));
 */
const bundleDashboard = async (entry: string): Promise<string> => {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    write: false,
    loader: { '.css': 'text' },
    legalComments: 'eof',
    logLevel: 'silent',
  });
  return (result.outputFiles[0] as { text: string }).text;
};

let loaded: Promise<string> | undefined;

/**
 * The dashboard's script: the built bundle when there is one (an installed package ships it), else built from
 * the source checkout once, in memory. Rejects when neither is there.
 *
 * @example
 * const js = await dashboardScript();
 */
const dashboardScript = (): Promise<string> => {
  loaded ??= (async () => {
    if (existsSync(BUILT_BUNDLE)) return readFile(BUILT_BUNDLE, 'utf8');
    const entry = SOURCE_ENTRIES.find((url) => existsSync(url));
    if (entry === undefined) {
      throw new Error(
        `the dashboard's bundle is missing (${fileURLToPath(BUILT_BUNDLE)}) and so is its source: run \`npm run build\``,
      );
    }
    return bundleDashboard(fileURLToPath(entry));
  })();
  // A failed build is tried again on the next request (the source may have been fixed meanwhile).
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
};

export { BUILT_BUNDLE, BUNDLE_FILE, bundleDashboard, dashboardScript, SOURCE_ENTRIES };
