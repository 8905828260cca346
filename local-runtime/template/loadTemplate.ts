import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { parseCfnYaml } from './cfnYaml.js';
import { readGlobals, withGlobals } from './readGlobals.js';
import { createIntrinsicResolver, isRecord } from './resolveIntrinsics.js';
import { serverlessFunction } from './serverlessFunction.js';
import { collecting, own, propertiesOf, type TemplateContext } from './TemplateContext.js';
import { TemplateError } from './TemplateError.js';
import { throwProblems } from './TemplateErrors.js';
import { dynamoDBTable, simpleTable } from './tables.js';
import type { FunctionDefinition, LoadTemplateOptions, LocalTemplate, TableDefinition } from './types.js';

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

const DEFAULTS = { stackName: 'eddy', region: 'us-east-1', accountId: '000000000000' } as const;

/** A map section of the template root (`Parameters`, `Globals`, …); absent or empty → `{}`. */
const sectionOf = (
  fail: TemplateContext['fail'],
  root: Record<string, unknown>,
  name: string,
): Record<string, unknown> => {
  const section = own(root, name);
  if (section === undefined || section === null) return {};
  if (!isRecord(section)) fail(name, `${name} must be a map`);
  return section;
};

const checkTransform = (
  template: TemplateContext,
  root: Record<string, unknown>,
  resources: Record<string, unknown>,
) => {
  const samResource = Object.entries(resources).find(
    ([, resource]) => isRecord(resource) && String(resource.Type).startsWith('AWS::Serverless::'),
  );
  const usesGlobals = own(root, 'Globals') !== undefined;
  if (samResource === undefined && !usesGlobals) return;
  const transform = own(root, 'Transform');
  const transforms = Array.isArray(transform) ? transform : [transform];
  if (transforms.includes(SAM_TRANSFORM)) return;
  const user = samResource === undefined ? 'the Globals section' : `resource ${samResource[0]}`;
  template.fail('Transform', `${user} is SAM syntax and needs 'Transform: ${SAM_TRANSFORM}'`);
};

const checkUnique = (
  template: TemplateContext,
  items: { logicalId: string; name: string; location: string }[],
  what: string,
): void => {
  const seen = new Map<string, string>();
  for (const { logicalId, name, location } of items) {
    const other = seen.get(name);
    if (other !== undefined) template.fail(location, `${what} ${name} is also the ${what} of ${other}`);
    seen.set(name, logicalId);
  }
};

/**
 * Resolves a template already parsed with `parseCfnYaml`, so that a caller that reads the template for several
 * regions (or looks at its Parameters first) parses the YAML once; see {@link loadTemplate}.
 *
 * @param options.path - the template's file name: errors name it, and CodeUri is relative to its folder
 */
const resolveTemplate = (root: unknown, options: LoadTemplateOptions & { path: string }): LocalTemplate => {
  const templatePath = options.path;
  const stackName = options.stackName ?? DEFAULTS.stackName;
  const region = options.region ?? DEFAULTS.region;
  const accountId = options.accountId ?? DEFAULTS.accountId;
  const parameterOverrides = options.parameterOverrides ?? {};
  const fail: TemplateContext['fail'] = (location, problem) => {
    throw new TemplateError(templatePath, location, problem);
  };

  if (!isRecord(root)) fail('', 'a template must be a YAML map with a Resources section');
  const section = (name: string) => sectionOf(fail, root, name);
  const resources = section('Resources');
  if (Object.keys(resources).length === 0) {
    fail('Resources', 'Resources is required and must name at least one resource');
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    // CloudFormation's rule; it also keeps ids such as `__proto__` out of generated names and ARNs.
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) {
      fail(`Resources.${logicalId}`, 'a logical ID must be alphanumeric (A-Za-z0-9)');
    }
    if (!isRecord(resource) || typeof resource.Type !== 'string') {
      fail(`Resources.${logicalId}`, 'a resource must be a map with a Type');
    }
  }
  const parameters = section('Parameters');
  for (const name of Object.keys(parameterOverrides)) {
    if (!Object.hasOwn(parameters, name)) {
      const declared = Object.keys(parameters);
      fail(
        'Parameters',
        `parameter override ${name}: the template has no parameter ${name}` +
          (declared.length === 0
            ? ' (it declares no Parameters)'
            : ` (its Parameters: ${declared.join(', ')})`),
      );
    }
  }
  const resolver = createIntrinsicResolver({
    templatePath,
    stackName,
    region,
    accountId,
    parameters,
    parameterOverrides,
    mappings: section('Mappings'),
    conditions: section('Conditions'),
    resources,
  });
  const template: TemplateContext = {
    fail,
    resolver,
    folder: dirname(resolvePath(templatePath)),
    path: templatePath,
    ...(options.checkEventProperties === undefined ? {} : { checkEvent: options.checkEventProperties }),
  };
  checkTransform(template, root, resources);
  const globals = readGlobals(template, section('Globals'));

  const tables: TableDefinition[] = [];
  const functions: FunctionDefinition[] = [];
  // Each resource is read even when one before it is wrong, so that every problem is reported in one go.
  const problems: TemplateError[] = [];
  for (const [logicalId, resource] of Object.entries(resources) as [string, Record<string, unknown>][]) {
    const type = resource.Type;
    collecting(problems, () => {
      if (type === 'AWS::DynamoDB::Table' && resolver.isCreated(logicalId)) {
        tables.push(dynamoDBTable(template, logicalId, propertiesOf(template, logicalId, resource)));
      } else if (type === 'AWS::Serverless::SimpleTable' && resolver.isCreated(logicalId)) {
        tables.push(
          simpleTable(template, logicalId, withGlobals(template, logicalId, resource, globals.SimpleTable)),
        );
      } else if (type === 'AWS::Serverless::Function' && resolver.isCreated(logicalId)) {
        const definition = serverlessFunction(template, logicalId, resource, globals.Function);
        if (definition !== undefined) functions.push(definition);
      }
    });
  }
  if (options.resourceProblems === undefined) throwProblems(problems);
  else options.resourceProblems.push(...problems);
  const tableNames = tables.map(({ logicalId, createTableInput }) => ({
    logicalId,
    name: String(createTableInput.TableName),
    location: `Resources.${logicalId}.Properties.TableName`,
  }));
  checkUnique(template, tableNames, 'table name');
  const functionNames = functions.map(({ logicalId, functionName }) => ({
    logicalId,
    name: functionName,
    location: `Resources.${logicalId}.Properties.FunctionName`,
  }));
  checkUnique(template, functionNames, 'function name');
  return { path: resolvePath(templatePath), stackName, region, accountId, tables, functions };
};

/**
 * Reads a SAM template (`template.yaml`) and describes, for `eddy dev`, the tables to create and the functions whose
 * `Type: DynamoDB` events to run, with every intrinsic function resolved for the local environment.
 *
 * `AWS::DynamoDB::Table` and `AWS::Serverless::SimpleTable` become {@link TableDefinition}s; each
 * `AWS::Serverless::Function` with at least one DynamoDB event, `Globals.Function` merged in, becomes a
 * {@link FunctionDefinition}. Resources whose `Condition` is false and resources of other types are skipped, and
 * their properties are not resolved, so they may use what cannot be resolved locally.
 *
 * @example
 * const template = await loadTemplate('template.yaml', { parameterOverrides: { Stage: 'dev' } });
 * for (const table of template.tables) await dynamodb.send(new CreateTableCommand(table.createTableInput));
 *
 * @param path - the template file; `options.stackName` (default `eddy`), `region` (`us-east-1`) and `accountId`
 *   (`000000000000`) stand in for the deployment's
 * @throws {TemplateError} naming the file and the template path of the problem; a {@link TemplateErrors} (a
 *   TemplateError too) when several resources or events have problems, listing each
 */
const loadTemplate = async (path: string, options: LoadTemplateOptions = {}): Promise<LocalTemplate> =>
  parseTemplate(await readTemplateFile(path), { ...options, path });

/**
 * Reads a SAM/CloudFormation template from a string; see {@link loadTemplate}.
 *
 * @param options.path - the template's file name: errors name it, and CodeUri is relative to its folder
 */
const parseTemplate = (text: string, options: LoadTemplateOptions & { path: string }): LocalTemplate =>
  resolveTemplate(parseCfnYaml(text, options.path), options);

/** The template file's text; a file that cannot be read is a TemplateError naming it. */
const readTemplateFile = async (path: string): Promise<string> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new TemplateError(path, '', `cannot read the template: ${(error as Error).message}`, {
      cause: error,
    });
  }
};

export { loadTemplate, parseTemplate, readTemplateFile, resolveTemplate };
