import { relative } from 'node:path';
import { MissingStreamError } from '../dev/MissingStreamError.js';
import { DevOptionsError } from '../dev/startDev.js';
import { JournalDamageError } from '../emulator/persistence/DataDir.js';
import { TemplateError } from '../template/TemplateError.js';
import { problemsOf } from '../template/TemplateErrors.js';
import { EXIT_CODES } from './exitCodes.js';

/** What `eddy` prints for an error that ends it, and the exit code. */
interface Failure {
  readonly lines: readonly string[];
  readonly exitCode: number;
}

/** A path as the user would type it: relative to the working folder when under it. */
const shownPath = (path: string, cwd: string): string => {
  const near = relative(cwd, path);
  return near === '' || near.startsWith('..') ? path : near;
};

/** A listen error of node's net module (`listen EADDRINUSE: address already in use 127.0.0.1:8000`). */
interface ListenError {
  readonly code: string;
  readonly syscall: 'listen';
  readonly address?: string;
  readonly port?: number;
}

const isListenError = (error: unknown): error is ListenError =>
  typeof error === 'object' && error !== null && (error as { syscall?: unknown }).syscall === 'listen';

const listenFailure = (error: ListenError): string => {
  const port = error.port ?? 'the';
  const address = `${error.address ?? 'the address'}:${error.port ?? ''}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `eddy: port ${port} is in use (something already listens on ${address}); pass --port N or --port 0 (any free port)`;
    case 'EACCES':
      return `eddy: not permitted to listen on ${address} (ports below 1024 need privileges); pass --port N or --port 0 (any free port)`;
    case 'EADDRNOTAVAIL':
      return `eddy: ${error.address ?? 'the address'} is not an address of this machine; pass --host 127.0.0.1 (or another local address)`;
    default:
      return `eddy: cannot listen on ${address} (${error.code}); pass --port N or --port 0 (any free port)`;
  }
};

/**
 * An error that ends `eddy`, in the user's terms, with the exit code a script can branch on (see EXIT_CODES):
 * every template problem on its own line (`template.yaml: <location>: <problem>`), a port in use as one line
 * with the fix, a missing stream naming the mapping and the ARN.
 *
 * @example
 * describeFailure(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', syscall: 'listen', address: '127.0.0.1', port: 8000 }));
 * // { lines: ['eddy: port 8000 is in use (…); pass --port N or --port 0 (any free port)'], exitCode: 3 }
 */
const describeFailure = (error: unknown, cwd: string = process.cwd()): Failure => {
  if (error instanceof TemplateError) {
    const problems = problemsOf(error);
    const file = shownPath(error.templatePath, cwd);
    const lines = problems.map((p) =>
      p.location === ''
        ? `${shownPath(p.templatePath, cwd)}: ${p.problem}`
        : `${shownPath(p.templatePath, cwd)}: ${p.location}: ${p.problem}`,
    );
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    const fix = problems.length === 1 ? 'it is' : 'they are';
    return {
      lines: [...lines, `eddy: ${count} in ${file}; nothing runs until ${fix} fixed`],
      exitCode: EXIT_CODES.usage,
    };
  }
  if (error instanceof DevOptionsError) return { lines: [error.message], exitCode: EXIT_CODES.usage };
  if (isListenError(error)) return { lines: [listenFailure(error)], exitCode: EXIT_CODES.address };
  if (error instanceof MissingStreamError) {
    return {
      lines: [...error.problems.map((p) => `eddy dev: ${p}`), 'eddy dev: stopped; no mapping was started'],
      exitCode: EXIT_CODES.missingResource,
    };
  }
  if (error instanceof JournalDamageError) return { lines: [error.message], exitCode: EXIT_CODES.failure };
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { lines: [`eddy: unexpected error: ${text}`], exitCode: EXIT_CODES.failure };
};

export type { Failure };
export { describeFailure };
