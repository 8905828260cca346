import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * The script a function's worker thread runs. From `dist` it is the compiled `functionWorker.js`; from source
 * (tsx, vitest) worker threads cannot load TypeScript on Node 20, so it is bundled with esbuild once.
 */
const workerEntry = async (buildDir: string): Promise<URL> => {
  const compiled = new URL('./functionWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return compiled;
  const outfile = join(buildDir, '_runtime', 'functionWorker.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./functionWorker.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return pathToFileURL(outfile);
};

export { workerEntry };
