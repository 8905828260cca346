import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/runCli.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The Eddy emulator in a process of its own, so its CPU and memory can be read apart from the benchmark's
 * client: the built CLI when `dist/` exists, the TypeScript source through tsx otherwise. The child is node
 * itself, so its pid is the server's.
 */
const startEddyProcess = async (
  options: {
    /** Another checkout of Eddy to run instead of this one (a baseline: `BENCH_EDDY_BASELINE`). */
    readonly root?: string;
    /** More `eddy emulator` arguments, e.g. `['--data-dir', dir]`. */
    readonly args?: readonly string[];
    /** Node's own options before the script, e.g. `['--cpu-prof']` to profile the server. */
    readonly nodeArgs?: readonly string[];
  } = {},
): Promise<{ endpoint: string; pid: number; close(): Promise<void> }> => {
  const root = options.root ?? ROOT;
  const port = await freePort();
  const built = `${root}dist/local-runtime/cli/main.js`;
  const args = existsSync(built)
    ? [...(options.nodeArgs ?? []), built, 'emulator', '--port', String(port), ...(options.args ?? [])]
    : [
        ...(options.nodeArgs ?? []),
        '--import',
        'tsx',
        `${root}local-runtime/cli/main.ts`,
        'emulator',
        '--port',
        String(port),
        ...(options.args ?? []),
      ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`eddy emulator exited (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
};

export { startEddyProcess };
