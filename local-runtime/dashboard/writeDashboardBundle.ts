import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILT_BUNDLE, bundleDashboard, SOURCE_ENTRIES } from './dashboardBundle.js';

// `npm run build`, after tsc: `node dist/local-runtime/dashboard/writeDashboardBundle.js` writes the dashboard's
// bundle to dist/dashboard-ui/, which the package ships (package.json `files`), so an installed eddy serves it
// offline and builds nothing.
const entry = SOURCE_ENTRIES.find((url) => existsSync(url));
if (entry === undefined) throw new Error('eddy build: dashboard-ui/main.ts not found');
const script = await bundleDashboard(fileURLToPath(entry));
mkdirSync(new URL('.', BUILT_BUNDLE), { recursive: true });
writeFileSync(BUILT_BUNDLE, script);
console.log(
  `eddy build: dashboard bundle ${fileURLToPath(BUILT_BUNDLE)} (${(Buffer.byteLength(script) / 1024).toFixed(1)} KiB)`,
);
