/**
 * A mapping setting outside what AWS accepts; the message names the setting and its allowed values.
 *
 * @example
 * try {
 *   resolveMappingConfig({ StartingPosition: 'TRIM_HORIZON', BatchSize: 0 });
 * } catch (error) {
 *   if (error instanceof MappingConfigError) console.error(error.setting, error.message); // BatchSize …
 * }
 */
class MappingConfigError extends Error {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = 'MappingConfigError';
    this.setting = setting;
  }
}

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

export { FunctionTimeoutError, MappingConfigError };
