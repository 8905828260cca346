import { createIntrinsicResolver } from '../../../../local-runtime/template/resolveIntrinsics.js';
import type { TemplateContext } from '../../../../local-runtime/template/TemplateContext.js';
import { TemplateError } from '../../../../local-runtime/template/TemplateError.js';

/** A TemplateContext for one part of a template, as `resolveTemplate` makes it, for the readers' unit tests. */
const templateContext = (
  resources: Record<string, unknown> = {},
  options: Partial<Pick<TemplateContext, 'folder' | 'checkEvent'>> = {},
): TemplateContext => ({
  fail: (location, problem) => {
    throw new TemplateError('template.yaml', location, problem);
  },
  resolver: createIntrinsicResolver({
    templatePath: 'template.yaml',
    stackName: 'eddy',
    region: 'us-east-1',
    accountId: '000000000000',
    parameters: {},
    parameterOverrides: {},
    mappings: {},
    conditions: {},
    resources,
  }),
  folder: options.folder ?? '/app',
  path: 'template.yaml',
  ...(options.checkEvent === undefined ? {} : { checkEvent: options.checkEvent }),
});

export { templateContext };
