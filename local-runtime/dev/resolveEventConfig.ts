import { resolveMappingConfig } from '../../src/runtime/config/resolveMappingConfig.js';
import { MappingConfigError } from '../../src/runtime/errors/MappingConfigError.js';
import { TemplateError } from '../template/TemplateError.js';

/** An event's mapping settings with Lambda's defaults; one out of range is a template error at the event's location. */
const resolveEventConfig = (templatePath: string, location: string, properties: Record<string, unknown>) => {
  try {
    return resolveMappingConfig(properties);
  } catch (error) {
    if (error instanceof MappingConfigError) {
      throw new TemplateError(
        templatePath,
        `${location}.${error.setting}`,
        error.message.slice(error.setting.length + 2),
        { cause: error },
      );
    }
    throw error;
  }
};

export { resolveEventConfig };
