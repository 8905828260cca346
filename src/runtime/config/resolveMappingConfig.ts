import { MappingConfigError } from '../errors/MappingConfigError.js';
import { compileFilterCriteria, type FilterCriteria } from '../filter/compileFilterCriteria.js';
import {
  FUNCTION_RESPONSE_TYPES,
  type IntegerSetting,
  MAPPING_SETTINGS,
  STARTING_POSITIONS,
} from './mappingSettings.js';

type StartingPosition = (typeof STARTING_POSITIONS)[number];

/**
 * Settings after validation, every default applied. Nothing downstream applies a default again.
 *
 * @example
 * const config: ResolvedMappingConfig = resolveMappingConfig({ StartingPosition: 'LATEST' });
 * console.log(config.BatchSize, config.MaximumRetryAttempts); // 100 -1
 */
interface ResolvedMappingConfig {
  readonly BatchSize: number;
  readonly MaximumBatchingWindowInSeconds: number;
  readonly MaximumRetryAttempts: number;
  readonly MaximumRecordAgeInSeconds: number;
  readonly ParallelizationFactor: number;
  readonly TumblingWindowInSeconds: number;
  readonly StartingPosition: StartingPosition;
  readonly BisectBatchOnFunctionError: boolean;
  readonly Enabled: boolean;
  readonly ReportBatchItemFailures: boolean;
  /** Validated; compiled into a matcher by the mapping. */
  readonly FilterCriteria?: FilterCriteria;
}

/**
 * Settings as a template or a caller gives them (SAM property names).
 *
 * @example
 * const input: MappingConfigInput = { StartingPosition: 'TRIM_HORIZON', BatchSize: 10, BisectBatchOnFunctionError: true };
 * new EventSourceMapping({ ...options, config: input });
 */
type MappingConfigInput = Readonly<Record<string, unknown>>;

/** Properties that are valid on a DynamoDB mapping but whose effect comes in later work. */
const ACCEPTED = new Set([
  ...Object.keys(MAPPING_SETTINGS),
  'StartingPosition',
  'BisectBatchOnFunctionError',
  'Enabled',
  'FunctionResponseTypes',
  'FilterCriteria',
  'DestinationConfig',
  'KmsKeyArn',
  'MetricsConfig',
  'StartingPositionTimestamp',
]);

const integer = (name: keyof typeof MAPPING_SETTINGS, value: unknown): number => {
  const setting: IntegerSetting = MAPPING_SETTINGS[name];
  if (value === undefined) return setting.default;
  const range = `${setting.special === undefined ? '' : `${setting.special} or `}an integer from ${setting.min} to ${setting.max}`;
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw new MappingConfigError(name, `must be ${range}; got ${JSON.stringify(value)}`);
  }
  if (number !== setting.special && (number < setting.min || number > setting.max)) {
    throw new MappingConfigError(name, `must be ${range}; got ${number}`);
  }
  return number;
};

const boolean = (name: string, value: unknown, fallback: boolean): boolean => {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new MappingConfigError(name, `must be true or false; got ${JSON.stringify(value)}`);
};

/**
 * Validates mapping settings and applies AWS's defaults. Unknown names and values outside AWS's ranges are
 * errors that name the setting and what it accepts.
 *
 * @example
 * resolveMappingConfig({ StartingPosition: 'TRIM_HORIZON', BatchSize: 10 }).MaximumRetryAttempts // -1
 */
const resolveMappingConfig = (input: MappingConfigInput): ResolvedMappingConfig => {
  for (const name of Object.keys(input)) {
    if (!ACCEPTED.has(name) && name !== 'Stream') {
      throw new MappingConfigError(
        name,
        `is not a DynamoDB event source mapping setting; known settings: ${[...ACCEPTED].join(', ')}`,
      );
    }
  }
  const startingPosition = input.StartingPosition;
  if (!STARTING_POSITIONS.includes(startingPosition as StartingPosition)) {
    throw new MappingConfigError(
      'StartingPosition',
      `must be one of ${STARTING_POSITIONS.join(', ')} for DynamoDB streams; got ${JSON.stringify(startingPosition)}`,
    );
  }
  const responseTypes = input.FunctionResponseTypes ?? [];
  if (
    !Array.isArray(responseTypes) ||
    responseTypes.length > 1 ||
    responseTypes.some((t) => !FUNCTION_RESPONSE_TYPES.includes(t))
  ) {
    throw new MappingConfigError(
      'FunctionResponseTypes',
      `must be [] or [${FUNCTION_RESPONSE_TYPES.join(', ')}]; got ${JSON.stringify(responseTypes)}`,
    );
  }
  const filterCriteria = input.FilterCriteria as FilterCriteria | undefined;
  // Refused here, when the mapping is configured, as CreateEventSourceMapping refuses an invalid pattern.
  compileFilterCriteria(filterCriteria);
  return {
    ...(filterCriteria === undefined ? {} : { FilterCriteria: filterCriteria }),
    BatchSize: integer('BatchSize', input.BatchSize),
    MaximumBatchingWindowInSeconds: integer(
      'MaximumBatchingWindowInSeconds',
      input.MaximumBatchingWindowInSeconds,
    ),
    MaximumRetryAttempts: integer('MaximumRetryAttempts', input.MaximumRetryAttempts),
    MaximumRecordAgeInSeconds: integer('MaximumRecordAgeInSeconds', input.MaximumRecordAgeInSeconds),
    ParallelizationFactor: integer('ParallelizationFactor', input.ParallelizationFactor),
    TumblingWindowInSeconds: integer('TumblingWindowInSeconds', input.TumblingWindowInSeconds),
    StartingPosition: startingPosition as StartingPosition,
    BisectBatchOnFunctionError: boolean(
      'BisectBatchOnFunctionError',
      input.BisectBatchOnFunctionError,
      false,
    ),
    Enabled: boolean('Enabled', input.Enabled, true),
    ReportBatchItemFailures: responseTypes.length === 1,
  };
};

export type { MappingConfigInput, ResolvedMappingConfig, StartingPosition };
export { resolveMappingConfig };
