/**
 * A function invocation that did not return within the function's Timeout.
 *
 * @example
 * await inProcessInvoker(slowHandler, { timeoutSeconds: 1 })
 *   .invoke(event)
 *   .catch((error) => error instanceof FunctionTimeoutError && console.warn(error.message)); // Task timed out after 1.00 seconds
 */
class FunctionTimeoutError extends Error {
  readonly timeoutSeconds: number;

  constructor(timeoutSeconds: number) {
    super(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
    this.name = 'FunctionTimeoutError';
    this.timeoutSeconds = timeoutSeconds;
  }
}

export { FunctionTimeoutError };
