import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './publicApi.js';

/**
 * The AWS SDK packages a fresh process has loaded after importing `entry` (from source, through tsx). The SDK
 * ships CommonJS, so whatever way it is reached, it lands in `require.cache`.
 */
const sdkPackagesLoadedBy = async (entry: string): Promise<string[]> => {
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    await import(${JSON.stringify(join(ROOT, entry))});
    const names = Object.keys(require.cache).map((p) => p.match(/node_modules\\/(@aws-sdk\\/[^/]+)/)?.[1]);
    console.log(JSON.stringify([...new Set(names.filter(Boolean))].sort()));`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: ROOT },
  );
  return JSON.parse(stdout) as string[];
};

// A handler's cold start pays for every module it loads; one that only reads its event must not load the
// DynamoDB client (https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html: "Minimize your deployment
// package size to its runtime necessities").
describe('importing an entry point', () => {
  it('`eddy` loads no AWS SDK client', async () => {
    const loaded = await sdkPackagesLoadedBy('src/index.ts');
    expect(loaded.filter((name) => name.startsWith('@aws-sdk/client-'))).toEqual([]);
  }, 30_000);

  it('`eddy/dynamodb` loads the DynamoDB client (so the check above can see one)', async () => {
    expect(await sdkPackagesLoadedBy('src/dynamodb/index.ts')).toContain('@aws-sdk/client-dynamodb');
  }, 30_000);
});
