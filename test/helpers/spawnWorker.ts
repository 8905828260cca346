import { type ChildProcess, spawn } from 'node:child_process';
import { ROOT } from './runCli.js';

/**
 * Starts a worker process (test/helpers/streamWorker.ts unless `script` names another worker of
 * test/helpers/workerProcess.ts's protocol, e.g. 'eventCountWorker') and resolves once its mapping runs.
 */
const spawnWorker = async (
  env: Record<string, string>,
  script: 'streamWorker' | 'eventCountWorker' = 'streamWorker',
): Promise<ChildProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}test/helpers/${script}.ts`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('worker ready')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${text}`)));
  });
  return child;
};

const kill = async (child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
};

export { kill, spawnWorker };
