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

export { MappingConfigError };
