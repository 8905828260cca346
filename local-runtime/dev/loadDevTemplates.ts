import { parseCfnYaml } from '../template/cfnYaml.js';
import { readTemplateFile, resolveTemplate } from '../template/loadTemplate.js';
import type { TemplateError } from '../template/TemplateError.js';
import type { LocalTemplate } from '../template/types.js';
import { mappingSettingProblems } from './mappingSettingProblems.js';
import { regionParameterOverrides } from './regionParameterOverrides.js';

/** The template as each region sees it, with the overrides it was resolved with. */
interface DevTemplates {
  readonly templates: ReadonlyMap<string, LocalTemplate>;
  readonly overrides: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The first region's template. */
  readonly first: LocalTemplate;
}

/**
 * Reads and parses the template once, then resolves it for each region with that region's parameter overrides
 * (see `regionParameterOverrides`). Problems of single resources go to `problems`, so that they are said with
 * the build's; a problem of the template as a whole (its YAML, an unknown parameter) is thrown.
 */
const loadDevTemplates = async (input: {
  readonly templatePath: string;
  readonly regions: readonly string[];
  readonly parameterOverrides: Readonly<Record<string, string>>;
  readonly accountId: string | undefined;
  readonly problems: TemplateError[];
}): Promise<DevTemplates> => {
  const { templatePath, regions } = input;
  const root = parseCfnYaml(await readTemplateFile(templatePath), templatePath);
  const parameters = (root as { Parameters?: unknown } | null)?.Parameters;
  const overrides = regionParameterOverrides({
    templatePath,
    parameters:
      typeof parameters === 'object' && parameters !== null ? (parameters as Record<string, unknown>) : {},
    regions,
    overrides: input.parameterOverrides,
  });
  const templates = new Map<string, LocalTemplate>();
  for (const region of regions) {
    templates.set(
      region,
      resolveTemplate(root, {
        path: templatePath,
        region,
        parameterOverrides: overrides.get(region) ?? {},
        ...(input.accountId === undefined ? {} : { accountId: input.accountId }),
        // Mapping settings are template errors too, found with the others before anything starts.
        checkEventProperties: mappingSettingProblems,
        resourceProblems: input.problems,
      }),
    );
  }
  return { templates, overrides, first: templates.get(regions[0] as string) as LocalTemplate };
};

export type { DevTemplates };
export { loadDevTemplates };
