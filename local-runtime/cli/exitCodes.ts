/**
 * The exit codes of `eddy`, for scripts. Stable: a script may branch on them (e.g. retry on another port on 3).
 * `eddy --help` and the README's CLI section list them.
 */
const EXIT_CODES = {
  /** Stopped cleanly (SIGINT or SIGTERM, in-flight batches finished and checkpointed), or --help/--version. */
  ok: 0,
  /** A failure while running or stopping (an unexpected error, a damaged data dir). */
  failure: 1,
  /** A usage or template error: a bad option, a template problem, a build or Handler export problem. Nothing was started. */
  usage: 2,
  /** The port or address cannot be listened on (in use, not permitted, not on this machine). */
  address: 3,
  /** A stream or table the template names does not exist at the endpoint (or has no stream). */
  missingResource: 4,
  /** A second SIGINT/SIGTERM while stopping: exited at once, without waiting for in-flight batches. */
  interrupted: 130,
} as const;

/** The list `eddy --help` prints after its commands. */
const exitCodesHelp = (): string =>
  [
    'Exit codes:',
    `  ${EXIT_CODES.ok}    stopped cleanly (SIGINT/SIGTERM; in-flight batches finish and are checkpointed first)`,
    `  ${EXIT_CODES.failure}    a failure while running or stopping`,
    `  ${EXIT_CODES.usage}    a usage or template error (every problem listed; nothing was started)`,
    `  ${EXIT_CODES.address}    the port or address cannot be listened on (e.g. in use: pass --port N or --port 0)`,
    `  ${EXIT_CODES.missingResource}    a stream or table the template names does not exist at the endpoint`,
    `  ${EXIT_CODES.interrupted}  a second signal while stopping`,
  ].join('\n');

export { EXIT_CODES, exitCodesHelp };
