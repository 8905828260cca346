import { resolveMappingConfig } from '../../src/runtime/config/resolveMappingConfig.js';
import { MappingConfigError } from '../../src/runtime/errors/MappingConfigError.js';

/** A setting of an event source mapping that AWS would refuse, and why (without the setting's name). */
interface MappingSettingProblem {
  readonly property: string;
  readonly problem: string;
}

/**
 * Every setting of a `Type: DynamoDB` event that CreateEventSourceMapping would refuse, not only the first:
 * `resolveMappingConfig` stops at the first one, so each refused setting is noted and taken out (a missing or
 * wrong StartingPosition replaced by a valid one) and the rest checked again, until nothing is refused.
 *
 * @example
 * mappingSettingProblems({ StartingPosition: 'NOW', BatchSize: 0 });
 * // [{ property: 'StartingPosition', problem: 'must be one of …' }, { property: 'BatchSize', problem: 'must be …' }]
 */
const mappingSettingProblems = (properties: Readonly<Record<string, unknown>>): MappingSettingProblem[] => {
  const problems: MappingSettingProblem[] = [];
  const rest: Record<string, unknown> = { ...properties };
  // Each round removes one setting, so this ends; the bound is a guard against a setting that cannot be removed.
  for (let round = 0; round <= Object.keys(properties).length + 1; round += 1) {
    try {
      resolveMappingConfig(rest);
      return problems;
    } catch (error) {
      if (!(error instanceof MappingConfigError)) throw error;
      const problem = error.message.startsWith(`${error.setting}: `)
        ? error.message.slice(error.setting.length + 2)
        : error.message;
      if (problems.some((p) => p.property === error.setting)) return problems;
      problems.push({ property: error.setting, problem });
      if (error.setting === 'StartingPosition') rest.StartingPosition = 'LATEST';
      else delete rest[error.setting];
    }
  }
  return problems;
};

export type { MappingSettingProblem };
export { mappingSettingProblems };
