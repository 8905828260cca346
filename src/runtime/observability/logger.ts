/**
 * Structured logging for the runtime: a message and fields. Implementations decide the format.
 *
 * @example
 * const logger: Logger = {
 *   debug: () => {},
 *   info: (message, fields) => console.log(message, fields),
 *   warn: (message, fields) => console.warn(message, fields),
 *   error: (message, fields) => console.error(message, fields),
 * };
 */
interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/**
 * One JSON object per line, the format CloudWatch Logs Insights and most log pipelines read.
 *
 * @example
 * new EventSourceMapping({ ...options, logger: jsonLogger((line) => process.stdout.write(`${line}\n`), 'debug') });
 */
const jsonLogger = (
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  minimum: Level = 'info',
): Logger => {
  const log =
    (level: Level) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS.indexOf(level) < LEVELS.indexOf(minimum)) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
};

/**
 * A logger that drops everything, for tests.
 *
 * @example
 * new EventSourceMapping({ ...options, logger: silentLogger, metricsLogIntervalMs: 0 });
 */
const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export type { Logger };
export { jsonLogger, silentLogger };
