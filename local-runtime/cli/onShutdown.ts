/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits: in-flight batches finish and checkpoints are written first.
 * A second signal exits at once.
 */
const onShutdown = (stop: () => Promise<void>): void => {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\neddy: ${signal} received, stopping (in-flight batches finish first)…`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('eddy: error while stopping:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
};

export { onShutdown };
