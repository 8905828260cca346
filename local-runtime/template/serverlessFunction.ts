import { resolve as resolvePath } from 'node:path';
import { buildOf } from './buildOf.js';
import { dynamoDBEvent } from './dynamoDBEvent.js';
import { splitHandler } from './lambdaHandler.js';
import { withGlobals } from './readGlobals.js';
import { childLocation, isRecord, isStreamArnMarker } from './resolveIntrinsics.js';
import { collecting, isKind, numberAt, own, resolveOwn, type TemplateContext } from './TemplateContext.js';
import type { TemplateError } from './TemplateError.js';
import { throwProblems } from './TemplateErrors.js';
import type { DynamoDBEventDefinition, FunctionDefinition } from './types.js';

const environmentOf = (template: TemplateContext, properties: Record<string, unknown>, location: string) => {
  const environment = resolveOwn(template, properties, 'Environment', location);
  const environmentLocation = childLocation(location, 'Environment');
  if (environment === undefined) return {};
  if (!isRecord(environment)) template.fail(environmentLocation, 'Environment must be a map with Variables');
  const variables = own(environment, 'Variables') ?? {};
  const variablesLocation = childLocation(environmentLocation, 'Variables');
  if (!isRecord(variables)) template.fail(variablesLocation, 'Variables must be a map');
  const entries = Object.entries(variables).map(([key, value]): [string, string] => {
    if (typeof value === 'string') return [key, value];
    if (typeof value === 'number' || typeof value === 'boolean') return [key, String(value)];
    const variableLocation = childLocation(variablesLocation, key);
    if (isStreamArnMarker(value)) {
      template.fail(
        variableLocation,
        `the stream ARN of ${value.streamOf} exists only once the emulator has created the table, ` +
          'so it cannot be an environment variable locally',
      );
    }
    return template.fail(variableLocation, 'an environment variable must be a string');
  });
  return Object.fromEntries(entries);
};

/** `AWS::Serverless::Function` → its definition, or undefined when it has no `Type: DynamoDB` event. */
const serverlessFunction = (
  template: TemplateContext,
  logicalId: string,
  resource: Record<string, unknown>,
  globals: Record<string, unknown> | undefined,
): FunctionDefinition | undefined => {
  const location = `Resources.${logicalId}.Properties`;
  const properties = withGlobals(template, logicalId, resource, globals);
  const get = (key: string) => resolveOwn(template, properties, key, location);
  const events = own(properties, 'Events') ?? {};
  const eventsLocation = childLocation(location, 'Events');
  if (!isRecord(events)) template.fail(eventsLocation, 'Events must be a map');
  const streamEvents = Object.entries(events).filter(([name, event]) => {
    const type = isRecord(event) ? own(event, 'Type') : undefined;
    if (typeof type !== 'string') template.fail(childLocation(eventsLocation, name), 'an event needs a Type');
    return type === 'DynamoDB';
  }) as [string, Record<string, unknown>][];
  if (streamEvents.length === 0) return undefined;

  if (get('PackageType') === 'Image') {
    template.fail(childLocation(location, 'PackageType'), 'eddy runs Zip functions only');
  }
  if (Object.hasOwn(properties, 'InlineCode')) {
    template.fail(childLocation(location, 'InlineCode'), 'InlineCode is not supported locally; use CodeUri');
  }
  const handlerLocation = childLocation(location, 'Handler');
  const handler = get('Handler');
  const parts = typeof handler === 'string' ? splitHandler(handler) : undefined;
  if (typeof handler !== 'string' || parts?.module === '' || parts?.exportPath === '') {
    template.fail(handlerLocation, 'Handler is required, as <file>.<export> (e.g. app.handler)');
  }
  const runtime = get('Runtime');
  if (typeof runtime !== 'string' || !runtime.startsWith('nodejs')) {
    template.fail(
      childLocation(location, 'Runtime'),
      `eddy runs Node.js functions (e.g. nodejs22.x), got ${String(runtime)}`,
    );
  }
  const codeUri = codeUriOf(template, get('CodeUri'), childLocation(location, 'CodeUri'));
  const functionName = template.resolver.resolve({ Ref: logicalId }, childLocation(location, 'FunctionName'));
  // Every event's problems, with the function's own, are reported together.
  const problems: TemplateError[] = [];
  const definitions = streamEvents.map(([name, event]) =>
    collecting(problems, () => dynamoDBEvent(template, logicalId, name, event)),
  );
  const definition = collecting(problems, () => {
    const environment = environmentOf(template, properties, location);
    const build = buildOf(template, logicalId, resource, codeUri, handler, environment);
    // SAM appends --enable-source-maps to NODE_OPTIONS of an esbuild function with Sourcemap: true
    // (samcli/lib/build/bundler.py, _set_sourcemap_env_from_metadata), so the deployed function has it.
    const nodeOptions = environment.NODE_OPTIONS ?? '';
    if (build.esbuild?.sourcemap === true && !nodeOptions.split(/\s+/).includes('--enable-source-maps')) {
      environment.NODE_OPTIONS = [nodeOptions, '--enable-source-maps'].filter((o) => o !== '').join(' ');
    }
    return {
      logicalId,
      functionName: functionName as string,
      handler,
      runtime,
      codeUri,
      timeoutSeconds: numberAt(template, get('Timeout') ?? 3, childLocation(location, 'Timeout'), 'Timeout'),
      memorySize: numberAt(
        template,
        get('MemorySize') ?? 128,
        childLocation(location, 'MemorySize'),
        'MemorySize',
      ),
      environment,
      build,
      events: definitions as DynamoDBEventDefinition[],
    };
  });
  throwProblems(problems);
  return definition;
};

const codeUriOf = (template: TemplateContext, codeUri: unknown, location: string): string => {
  if (codeUri === undefined) return template.folder;
  if (typeof codeUri !== 'string' || codeUri.startsWith('s3://')) {
    template.fail(location, 'CodeUri must be a local folder; code in S3 cannot be run locally');
  }
  const folder = resolvePath(template.folder, codeUri);
  if (!isKind(folder, 'directory')) template.fail(location, `${folder} is not a folder`);
  return folder;
};

export { serverlessFunction };
