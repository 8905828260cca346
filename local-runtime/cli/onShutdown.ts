import { EXIT_CODES } from './exitCodes.js';

/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits: in-flight batches finish and checkpoints are written first.
 * A second signal exits at once.
 */
const onShutdown = (stop: () => Promise<void>): void => {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(EXIT_CODES.interrupted);
    stopping = true;
    console.log(`\neddy: ${signal} received, stopping (in-flight batches finish first)…`);
    stop().then(
      () => process.exit(EXIT_CODES.ok),
      (error: unknown) => {
        console.error('eddy: error while stopping:', error);
        process.exit(EXIT_CODES.failure);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
};

export { onShutdown };
