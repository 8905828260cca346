import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/runCli.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The Eddy emulator in a process of its own, so its CPU and memory can be read apart from the benchmark's
 * client: the built CLI when `dist/` exists, the TypeScript source through tsx otherwise. The child is node
 * itself, so its pid is the server's. With `dataDir`, it keeps its data there (`--data-dir`).
 */
const startEddyProcess = async (
  options: { dataDir?: string } = {},
): Promise<{ endpoint: string; pid: number; close(): Promise<void> }> => {
  const port = await freePort();
  const built = `${ROOT}dist/local-runtime/cli/main.js`;
  const flags = [
    'emulator',
    '--port',
    String(port),
    ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
  ];
  const args = existsSync(built)
    ? [built, ...flags]
    : ['--import', 'tsx', `${ROOT}local-runtime/cli/main.ts`, ...flags];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
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
