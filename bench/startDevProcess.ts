import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/runCli.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A running `eddy dev` process: its pid (node itself), its endpoint, and everything it printed so far. */
interface DevProcess {
  readonly endpoint: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything printed on stdout and stderr, line by line. */
  readonly lines: string[];
  /** Resolves with the first line (printed from now on, or already) that `match` accepts. */
  waitFor(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * `eddy dev` in a process of its own, as `npm start` runs it: the built CLI when `dist/` exists (run
 * `npm run build` first), the TypeScript source through tsx otherwise. Resolves once it says "ready".
 */
const startDevProcess = async (
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<DevProcess> => {
  const port = await freePort();
  const built = `${ROOT}dist/local-runtime/cli/main.js`;
  const entry = existsSync(built) ? [built] : ['--import', 'tsx', `${ROOT}local-runtime/cli/main.ts`];
  const child = spawn(process.execPath, [...entry, 'dev', '--port', String(port), ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ match: (line: string) => boolean; resolve: (line: string) => void }>();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        for (const waiter of waiters) {
          if (waiter.match(line)) {
            waiters.delete(waiter);
            waiter.resolve(line);
          }
        }
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (match: (line: string) => boolean, timeoutMs = 60_000): Promise<string> => {
    const seen = lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const waiter = { match, resolve };
      waiters.add(waiter);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(`eddy dev did not print the line awaited within ${timeoutMs} ms:\n${lines.join('\n')}`),
        );
      }, timeoutMs);
      void exited.then((code) => {
        if (!waiters.has(waiter)) return;
        waiters.delete(waiter);
        clearTimeout(timer);
        reject(new Error(`eddy dev exited (${code}):\n${lines.join('\n')}`));
      });
      const done = waiter.resolve;
      waiter.resolve = (line) => {
        clearTimeout(timer);
        done(line);
      };
    });
  };
  await waitFor((line) => line.startsWith('eddy dev: ready'), 120_000);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    child,
    lines,
    waitFor,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};

export type { DevProcess };
export { startDevProcess };
