import { CommandError } from './awsClients.js';
import { EXIT_CODES } from './exitCodes.js';

/**
 * Runs a command's action and prints a {@link CommandError} as it is (the command's own words) with its exit
 * code, instead of a stack trace; `known` turns other errors the command expects into one. Anything else is a
 * bug and goes up.
 *
 * @example
 * program.command('redrive').action(guarded(async (source: string) => redriveFrom(source)));
 */
const guarded =
  <A extends unknown[]>(
    action: (...args: A) => Promise<void>,
    known: (error: unknown) => CommandError | undefined = () => undefined,
  ) =>
  async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (error) {
      const told = error instanceof CommandError ? error : known(error);
      if (told === undefined) throw error;
      console.error(told.message);
      process.exitCode = told.exitCode;
    }
  };

/**
 * Stops a command gently on SIGINT or SIGTERM: the first signal aborts the returned signal (the command
 * finishes what is in flight and writes what it must), a second one exits at once. `dispose` removes the
 * handlers when the command ends.
 *
 * @example
 * const stop = interruptible('eddy replay', 'finishing the batches in flight');
 * try { await replay({ …, signal: stop.signal }); } finally { stop.dispose(); }
 */
const interruptible = (command: string, doing: string): { readonly signal: AbortSignal; dispose(): void } => {
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(EXIT_CODES.interrupted);
    process.stderr.write(`\n${command}: ${signal} received, ${doing}…\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: stop.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
};

export { guarded, interruptible };
