/**
 * The event source mapping settings Eddy honours, under the names of SAM's `Events: Type: DynamoDB`
 * properties, with AWS's ranges and defaults (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html). Declared once: validation,
 * defaults and `--help` all read this table.
 */
interface IntegerSetting {
  readonly kind: 'integer';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** A value outside [min, max] that AWS also accepts (-1 = infinite). */
  readonly special?: number;
}

/**
 * The event source mapping settings Eddy honours, under SAM's names, with AWS's ranges and defaults.
 *
 * @example
 * console.log(MAPPING_SETTINGS.BatchSize); // { kind: 'integer', default: 100, min: 1, max: 10000 }
 */
const MAPPING_SETTINGS = {
  /** @default 100 — records per invocation, at most (1-10000). */
  BatchSize: { kind: 'integer', default: 100, min: 1, max: 10000 },
  /** @default 0 — seconds to gather records before invoking (0-300). */
  MaximumBatchingWindowInSeconds: { kind: 'integer', default: 0, min: 0, max: 300 },
  /** @default -1 — retries of a failed batch; -1 retries until the records expire (0-10000). */
  MaximumRetryAttempts: { kind: 'integer', default: -1, min: 0, max: 10000, special: -1 },
  /** @default -1 — records older than this are discarded; -1 never (60-604800). */
  MaximumRecordAgeInSeconds: { kind: 'integer', default: -1, min: 60, max: 604800, special: -1 },
  /** @default 1 — concurrent batches per shard (1-10). */
  ParallelizationFactor: { kind: 'integer', default: 1, min: 1, max: 10 },
  /** @default 0 — tumbling window length in seconds; 0 means no window (0-900). */
  TumblingWindowInSeconds: { kind: 'integer', default: 0, min: 0, max: 900 },
} as const satisfies Record<string, IntegerSetting>;

const STARTING_POSITIONS = ['TRIM_HORIZON', 'LATEST'] as const;
const FUNCTION_RESPONSE_TYPES = ['ReportBatchItemFailures'] as const;

export type { IntegerSetting };
export { FUNCTION_RESPONSE_TYPES, MAPPING_SETTINGS, STARTING_POSITIONS };
