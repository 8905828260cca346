import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version of the installed eddy package, read at run time from its package.json: the nearest one above this
 * module named `eddy` (the module is `local-runtime/cli/` from source, `dist/local-runtime/cli/` in the tarball).
 *
 * @example
 * packageVersion(); // '0.1.0'
 */
const packageVersion = (from: string = import.meta.url): string => {
  let folder = dirname(fileURLToPath(from));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === 'eddy' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json here: look further up
    }
    const parent = dirname(folder);
    if (parent === folder) return 'unknown';
    folder = parent;
  }
};

export { packageVersion };
