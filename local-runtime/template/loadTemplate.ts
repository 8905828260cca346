import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve as resolvePath } from 'node:path';
import { parseCfnYaml } from './cfnYaml.js';
import { readEsbuildProperties } from './esbuildProperties.js';
import { LAMBDA_EXTENSIONS, lambdaHandlerFile, splitHandler } from './lambdaHandler.js';
import {
  childLocation,
  createIntrinsicResolver,
  type IntrinsicResolver,
  isRecord,
  isStreamArnMarker,
} from './resolveIntrinsics.js';
import { TemplateError } from './TemplateError.js';
import { problemsOf, throwProblems } from './TemplateErrors.js';
import type {
  DynamoDBEventDefinition,
  FunctionDefinition,
  LoadTemplateOptions,
  LocalTemplate,
  TableDefinition,
} from './types.js';

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/**
 * What SAM accepts under `Globals` (samtranslator/plugins/globals/globals.py, streams-spec.md §5.4). Only the
 * `Function` and `SimpleTable` lists are checked: eddy uses no other SAM resource.
 */
const GLOBALS: Readonly<Record<string, readonly string[] | undefined>> = {
  Function: [
    'Handler',
    'Runtime',
    'CodeUri',
    'DeadLetterQueue',
    'Description',
    'MemorySize',
    'Timeout',
    'VpcConfig',
    'Environment',
    'Tags',
    'PropagateTags',
    'Tracing',
    'KmsKeyArn',
    'AutoPublishAlias',
    'AutoPublishAliasAllProperties',
    'Layers',
    'DeploymentPreference',
    'RolePath',
    'PermissionsBoundary',
    'ReservedConcurrentExecutions',
    'ProvisionedConcurrencyConfig',
    'AssumeRolePolicyDocument',
    'EventInvokeConfig',
    'FileSystemConfigs',
    'CodeSigningConfigArn',
    'Architectures',
    'SnapStart',
    'EphemeralStorage',
    'FunctionUrlConfig',
    'RuntimeManagementConfig',
    'LoggingConfig',
    'RecursiveLoop',
    'SourceKMSKeyArn',
    'TenancyConfig',
    'DurableConfig',
    'CapacityProviderConfig',
    'FunctionScalingConfig',
    'PublishToLatestPublished',
    'VersionDeletionPolicy',
  ],
  SimpleTable: ['SSESpecification'],
  Api: undefined,
  HttpApi: undefined,
  WebSocketApi: undefined,
  LayerVersion: undefined,
  StateMachine: undefined,
  CapacityProvider: undefined,
};

/** SAM's DynamoDBEventProperties (sam.schema.json). */
const DYNAMODB_EVENT_PROPERTIES = [
  'BatchSize',
  'BisectBatchOnFunctionError',
  'DestinationConfig',
  'Enabled',
  'FilterCriteria',
  'FunctionResponseTypes',
  'KmsKeyArn',
  'MaximumBatchingWindowInSeconds',
  'MaximumRecordAgeInSeconds',
  'MaximumRetryAttempts',
  'MetricsConfig',
  'ParallelizationFactor',
  'StartingPosition',
  'StartingPositionTimestamp',
  'Stream',
  'TumblingWindowInSeconds',
];

const ON_FAILURE_TYPES = ['SQS', 'SNS', 'S3', 'Kafka'];

const STREAM_ARN = /^arn:[\w-]+:dynamodb:[\w-]*:\d*:table\/[\w.-]+\/stream\/.+$/;

const ATTRIBUTE_TYPES: Readonly<Record<string, string>> = { String: 'S', Number: 'N', Binary: 'B' };

const DEFAULTS = { stackName: 'eddy', region: 'us-east-1', accountId: '000000000000' } as const;

/** `Object.hasOwn` lookups, so that keys such as `__proto__` or `constructor` in the template stay data. */
const own = (record: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined;

const isKind = (path: string, kind: 'file' | 'directory'): boolean => {
  try {
    const stats = statSync(path);
    return kind === 'file' ? stats.isFile() : stats.isDirectory();
  } catch {
    return false;
  }
};

/** Parsing state for one template: where it is, how to report, how to resolve. */
interface Template {
  fail(location: string, problem: string): never;
  resolver: IntrinsicResolver;
  /** Folder of the template, absolute. */
  folder: string;
  /** The template file as the caller named it, for errors. */
  path: string;
  /** The caller's check of an event's resolved properties (LoadTemplateOptions.checkEventProperties). */
  checkEvent?: LoadTemplateOptions['checkEventProperties'];
}

/**
 * Runs `read`, and on a TemplateError keeps its problems in `problems` and returns undefined, so one pass over
 * the template finds every resource's and every event's problems, not only the first.
 */
const collecting = <T>(problems: TemplateError[], read: () => T): T | undefined => {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    problems.push(...problemsOf(error));
    return undefined;
  }
};

/**
 * SAM's Globals merge (samtranslator/plugins/globals/globals.py): maps merge key by key with the resource winning,
 * lists get the globals prepended, and anything else, intrinsics included, is replaced by the resource's value.
 *
 * @example
 * mergeGlobal({ Timeout: 3, Layers: ['a'] }, { Timeout: 9, Layers: ['b'] }); // { Timeout: 9, Layers: ['a', 'b'] }
 */
const mergeGlobal = (global: unknown, local: unknown): unknown => {
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  if (!isRecord(global) || !isRecord(local) || isIntrinsicCall(global) || isIntrinsicCall(local)) {
    return local;
  }
  const merged = new Map(Object.entries(global));
  for (const [key, value] of Object.entries(local)) {
    merged.set(key, merged.has(key) ? mergeGlobal(merged.get(key), value) : value);
  }
  return Object.fromEntries(merged);
};

/** SAM treats a one-key `Ref`/`Condition`/`Fn::` map as a single value when merging Globals. */
const isIntrinsicCall = (value: Record<string, unknown>): boolean => {
  const keys = Object.keys(value);
  const key = keys[0];
  return (
    keys.length === 1 && key !== undefined && (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))
  );
};

/** The resource's properties with `Globals.<section>` merged in, minus what `IgnoreGlobals` names. */
const withGlobals = (
  template: Template,
  logicalId: string,
  resource: Record<string, unknown>,
  globals: Record<string, unknown> | undefined,
): Record<string, unknown> => {
  const properties = propertiesOf(template, logicalId, resource);
  if (globals === undefined) return properties;
  const ignore = own(resource, 'IgnoreGlobals');
  if (ignore === '*') return properties;
  const ignored = typeof ignore === 'string' ? [ignore] : Array.isArray(ignore) ? ignore : [];
  const applied = Object.fromEntries(Object.entries(globals).filter(([key]) => !ignored.includes(key)));
  return mergeGlobal(applied, properties) as Record<string, unknown>;
};

const propertiesOf = (
  template: Template,
  logicalId: string,
  resource: Record<string, unknown>,
): Record<string, unknown> => {
  const properties = own(resource, 'Properties');
  if (properties === undefined || properties === null) return {};
  if (!isRecord(properties)) template.fail(`Resources.${logicalId}.Properties`, 'Properties must be a map');
  return properties;
};

/** A map section of the template root (`Parameters`, `Globals`, …); absent or empty → `{}`. */
const sectionOf = (
  fail: Template['fail'],
  root: Record<string, unknown>,
  name: string,
): Record<string, unknown> => {
  const section = own(root, name);
  if (section === undefined || section === null) return {};
  if (!isRecord(section)) fail(name, `${name} must be a map`);
  return section;
};

/** Checks `Globals` against SAM's lists and returns the sections eddy applies. */
const readGlobals = (
  template: Template,
  globals: Record<string, unknown>,
): { Function?: Record<string, unknown>; SimpleTable?: Record<string, unknown> } => {
  const known = Object.keys(GLOBALS);
  const read: { Function?: Record<string, unknown>; SimpleTable?: Record<string, unknown> } = {};
  for (const [section, properties] of Object.entries(globals)) {
    const location = `Globals.${section}`;
    if (!Object.hasOwn(GLOBALS, section)) {
      template.fail(
        location,
        `'${section}' is not supported in Globals. Must be one of: ${known.join(', ')}`,
      );
    }
    if (!isRecord(properties)) template.fail(location, `Globals.${section} must be a map`);
    const allowed = GLOBALS[section];
    if (allowed === undefined) continue;
    for (const property of Object.keys(properties)) {
      if (!allowed.includes(property)) {
        template.fail(
          childLocation(location, property),
          `'${property}' is not a supported property of '${section}' in Globals. ` +
            `Must be one of the following values - [${allowed.join(', ')}]`,
        );
      }
    }
    if (section === 'Function' || section === 'SimpleTable') read[section] = properties;
  }
  return read;
};

const checkTransform = (
  template: Template,
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

/** A resolved value that must be a number: a number, or a numeric string as a `!Ref` or quoted YAML gives. */
const numberAt = (template: Template, value: unknown, location: string, what: string): number => {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    template.fail(location, `${what} must be a number, got ${JSON.stringify(value)}`);
  }
  return number;
};

const resolveOwn = (
  template: Template,
  properties: Record<string, unknown>,
  key: string,
  location: string,
): unknown =>
  Object.hasOwn(properties, key)
    ? template.resolver.resolve(properties[key], childLocation(location, key))
    : undefined;

/** DynamoDB wants numbers in ProvisionedThroughput; a parameter or a quoted YAML value gives strings. */
const throughput = (template: Template, value: unknown, location: string): unknown => {
  if (!isRecord(value)) return value;
  const units = Object.entries(value).map(([key, units]) => [
    key,
    key.endsWith('CapacityUnits') ? numberAt(template, units, childLocation(location, key), key) : units,
  ]);
  return Object.fromEntries(units);
};

/** CloudFormation's SSESpecification says `SSEEnabled`; CreateTable says `Enabled`. */
const sseSpecification = (value: unknown): unknown => {
  if (!isRecord(value)) return value;
  const { SSEEnabled, ...rest } = value;
  return SSEEnabled === undefined ? rest : { Enabled: SSEEnabled, ...rest };
};

/** `AWS::DynamoDB::Table` → CreateTable input (+ TTL). Properties CreateTable has no field for are left out. */
const dynamoDBTable = (
  template: Template,
  logicalId: string,
  properties: Record<string, unknown>,
): TableDefinition => {
  const location = `Resources.${logicalId}.Properties`;
  const get = (key: string) => resolveOwn(template, properties, key, location);
  const input = new Map<string, unknown>();
  input.set('TableName', template.resolver.resolve({ Ref: logicalId }, childLocation(location, 'TableName')));
  const keySchema = get('KeySchema');
  if (keySchema === undefined) template.fail(childLocation(location, 'KeySchema'), 'KeySchema is required');
  input.set('KeySchema', keySchema);
  input.set('AttributeDefinitions', get('AttributeDefinitions'));
  const billingMode = get('BillingMode') ?? 'PROVISIONED';
  input.set('BillingMode', billingMode);
  const provisioned = get('ProvisionedThroughput');
  if (provisioned !== undefined) {
    input.set(
      'ProvisionedThroughput',
      throughput(template, provisioned, childLocation(location, 'ProvisionedThroughput')),
    );
  } else if (billingMode === 'PROVISIONED') {
    template.fail(
      childLocation(location, 'ProvisionedThroughput'),
      'ProvisionedThroughput is required when BillingMode is PROVISIONED (the default)',
    );
  }
  const gsis = get('GlobalSecondaryIndexes');
  if (Array.isArray(gsis)) {
    const gsiLocation = childLocation(location, 'GlobalSecondaryIndexes');
    input.set(
      'GlobalSecondaryIndexes',
      gsis.map((index: unknown, position) => {
        if (!isRecord(index)) return index;
        // ContributorInsightsSpecification is a CloudFormation-only member of an index.
        const { ContributorInsightsSpecification: _, ...rest } = index;
        const indexLocation = childLocation(gsiLocation, position);
        return rest.ProvisionedThroughput === undefined
          ? rest
          : {
              ...rest,
              ProvisionedThroughput: throughput(
                template,
                rest.ProvisionedThroughput,
                `${indexLocation}.ProvisionedThroughput`,
              ),
            };
      }),
    );
  } else if (gsis !== undefined) input.set('GlobalSecondaryIndexes', gsis);
  input.set('LocalSecondaryIndexes', get('LocalSecondaryIndexes'));
  const stream = get('StreamSpecification');
  if (stream !== undefined) {
    const viewType = isRecord(stream) ? stream.StreamViewType : undefined;
    if (viewType === undefined) {
      template.fail(
        childLocation(location, 'StreamSpecification.StreamViewType'),
        'StreamViewType is required',
      );
    }
    input.set('StreamSpecification', { StreamEnabled: true, StreamViewType: viewType });
  }
  const sse = get('SSESpecification');
  input.set('SSESpecification', sse === undefined ? undefined : sseSpecification(sse));
  for (const key of ['TableClass', 'DeletionProtectionEnabled', 'Tags']) input.set(key, get(key));
  const table: TableDefinition = { logicalId, createTableInput: definedEntries(input) };
  const ttl = get('TimeToLiveSpecification');
  if (ttl !== undefined) {
    const ttlLocation = childLocation(location, 'TimeToLiveSpecification');
    const attributeName = isRecord(ttl) ? ttl.AttributeName : undefined;
    const enabled = isRecord(ttl) ? ttl.Enabled : undefined;
    if (enabled !== true && enabled !== false && enabled !== 'true' && enabled !== 'false') {
      template.fail(childLocation(ttlLocation, 'Enabled'), 'Enabled must be true or false');
    }
    if (typeof attributeName === 'string' && attributeName !== '') {
      table.timeToLive = { AttributeName: attributeName, Enabled: enabled === true || enabled === 'true' };
    } else if (enabled === true || enabled === 'true') {
      template.fail(
        childLocation(ttlLocation, 'AttributeName'),
        'AttributeName is required when Enabled is true',
      );
    }
  }
  return table;
};

/** `AWS::Serverless::SimpleTable` → what SAM generates: a hash key, on-demand unless throughput is given, no stream. */
const simpleTable = (
  template: Template,
  logicalId: string,
  properties: Record<string, unknown>,
): TableDefinition => {
  const location = `Resources.${logicalId}.Properties`;
  const get = (key: string) => resolveOwn(template, properties, key, location);
  const primaryKey = get('PrimaryKey') ?? { Name: 'id', Type: 'String' };
  const keyLocation = childLocation(location, 'PrimaryKey');
  if (!isRecord(primaryKey)) template.fail(keyLocation, 'PrimaryKey must be a map with Name and Type');
  const { Name: name, Type: type } = primaryKey;
  if (typeof name !== 'string' || name === '') {
    template.fail(childLocation(keyLocation, 'Name'), 'Name is required');
  }
  const attributeType =
    typeof type === 'string' && Object.hasOwn(ATTRIBUTE_TYPES, type) ? ATTRIBUTE_TYPES[type] : undefined;
  if (attributeType === undefined) {
    template.fail(childLocation(keyLocation, 'Type'), 'Type must be String, Number or Binary');
  }
  const input = new Map<string, unknown>();
  input.set('TableName', template.resolver.resolve({ Ref: logicalId }, childLocation(location, 'TableName')));
  input.set('KeySchema', [{ AttributeName: name, KeyType: 'HASH' }]);
  input.set('AttributeDefinitions', [{ AttributeName: name, AttributeType: attributeType }]);
  const provisioned = get('ProvisionedThroughput');
  input.set('BillingMode', provisioned === undefined ? 'PAY_PER_REQUEST' : 'PROVISIONED');
  input.set(
    'ProvisionedThroughput',
    throughput(template, provisioned, childLocation(location, 'ProvisionedThroughput')),
  );
  const sse = get('SSESpecification');
  input.set('SSESpecification', sse === undefined ? undefined : sseSpecification(sse));
  // SimpleTable Tags are a map; CreateTable takes a list.
  const tags = get('Tags');
  if (isRecord(tags)) {
    input.set(
      'Tags',
      Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    );
  }
  return { logicalId, createTableInput: definedEntries(input) };
};

/** Map → object, leaving out what is undefined (absent or `AWS::NoValue`). */
const definedEntries = (entries: Map<string, unknown>): Record<string, unknown> =>
  Object.fromEntries([...entries].filter(([, value]) => value !== undefined));

/** `Events.<name>` with `Type: DynamoDB` → its checked, resolved properties. */
const dynamoDBEvent = (
  template: Template,
  functionId: string,
  name: string,
  event: Record<string, unknown>,
): DynamoDBEventDefinition => {
  const location = `Resources.${functionId}.Properties.Events.${name}.Properties`;
  const raw = own(event, 'Properties') ?? {};
  if (!isRecord(raw)) template.fail(location, 'Properties must be a map');
  for (const key of Object.keys(raw)) {
    if (!DYNAMODB_EVENT_PROPERTIES.includes(key)) {
      template.fail(
        childLocation(location, key),
        `'${key}' is not a property of a DynamoDB event. Allowed: ${DYNAMODB_EVENT_PROPERTIES.join(', ')}`,
      );
    }
  }
  for (const required of ['Stream', 'StartingPosition']) {
    if (!Object.hasOwn(raw, required)) {
      template.fail(childLocation(location, required), `${required} is required`);
    }
  }
  checkDestinationConfig(
    template,
    own(raw, 'DestinationConfig'),
    childLocation(location, 'DestinationConfig'),
  );
  const streamLocation = childLocation(location, 'Stream');
  const stream = template.resolver.resolve(raw.Stream, streamLocation);
  const definition: DynamoDBEventDefinition = { name, location, tableLogicalId: '', properties: {} };
  if (isStreamArnMarker(stream)) definition.tableLogicalId = stream.streamOf;
  else if (typeof stream === 'string' && STREAM_ARN.test(stream)) definition.streamArn = stream;
  else {
    template.fail(
      streamLocation,
      `Stream must be the stream of a table in this template (!GetAtt <Table>.StreamArn) or a DynamoDB stream ARN, got ${JSON.stringify(stream)}`,
    );
  }
  const properties = new Map<string, unknown>();
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'Stream') properties.set(key, template.resolver.resolve(value, childLocation(location, key)));
  }
  definition.properties = definedEntries(properties);
  const problems = (template.checkEvent?.(definition.properties) ?? []).map(
    ({ property, problem }) => new TemplateError(template.path, childLocation(location, property), problem),
  );
  throwProblems(problems);
  return definition;
};

/** SAM's own check (samtranslator/model/eventsources/pull.py); `Type` is SAM-only and takes no intrinsics. */
const checkDestinationConfig = (template: Template, config: unknown, location: string): void => {
  if (config === undefined) return;
  const onFailure = isRecord(config) ? own(config, 'OnFailure') : undefined;
  if (!isRecord(onFailure)) {
    template.fail(
      childLocation(location, 'OnFailure'),
      "Property 'DestinationConfig.OnFailure' should be a map.",
    );
  }
  const type = own(onFailure, 'Type');
  if (type !== undefined && type !== null && type !== '' && !ON_FAILURE_TYPES.includes(type as string)) {
    template.fail(
      childLocation(location, 'OnFailure.Type'),
      "The only valid values for 'Type' are 'SQS', 'SNS', 'S3', and 'Kafka'",
    );
  }
};

/** What `sam build` tries for an esbuild entry point written without an extension, in its order. */
const ESBUILD_EXTENSIONS = ['.ts', '.js'];

const ESBUILD_DOCS =
  'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html';

/** An esbuild entry point relative to CodeUri as `sam build` resolves it: as written, or with `.ts`, then `.js`. */
const esbuildEntryPoint = (codeUri: string, entry: string): string | undefined => {
  const file = resolvePath(codeUri, entry);
  if (extname(entry) !== '') return isKind(file, 'file') ? file : undefined;
  return ESBUILD_EXTENSIONS.map((extension) => file + extension).find((found) => isKind(found, 'file'));
};

/**
 * Without `Metadata`, `sam build` uses the npm builder: it copies CodeUri (with its installed dependencies) as it
 * is, and Lambda loads the Handler's `.js`, `.mjs` or `.cjs` file. eddy dev runs that file from a copy of CodeUri
 * (see `buildFunction`).
 */
const plainHandlerFile = (template: Template, codeUri: string, handler: string, location: string): string => {
  const found = lambdaHandlerFile(codeUri, handler);
  if (found !== undefined) return found;
  const { moduleRoot, module } = splitHandler(handler);
  const base = resolvePath(codeUri, moduleRoot, module);
  const typescript = ['.ts', '.mts', '.cts'].map((e) => base + e).find((file) => isKind(file, 'file'));
  if (typescript !== undefined) {
    template.fail(
      location,
      `${typescript} is TypeScript, and Lambda's Node.js runtime loads only ${module}.js, .mjs or .cjs: ` +
        `add Metadata: {BuildMethod: esbuild} to the function so that sam build (and eddy dev) bundle it (${ESBUILD_DOCS})`,
    );
  }
  return template.fail(
    location,
    `no file for Handler ${handler}: tried ${base}{${LAMBDA_EXTENSIONS.join(',')}}, as Lambda's Node.js runtime does`,
  );
};

const buildOf = (
  template: Template,
  logicalId: string,
  resource: Record<string, unknown>,
  codeUri: string,
  handler: string,
  environment: Record<string, string>,
): FunctionDefinition['build'] => {
  const metadataLocation = `Resources.${logicalId}.Metadata`;
  const handlerLocation = `Resources.${logicalId}.Properties.Handler`;
  const metadata = own(resource, 'Metadata') ?? {};
  if (!isRecord(metadata)) template.fail(metadataLocation, 'Metadata must be a map');
  const method = own(metadata, 'BuildMethod');
  if (method !== undefined && typeof method !== 'string') {
    template.fail(childLocation(metadataLocation, 'BuildMethod'), 'BuildMethod must be a string');
  }
  const propertiesLocation = childLocation(metadataLocation, 'BuildProperties');
  const properties = own(metadata, 'BuildProperties') ?? {};
  if (!isRecord(properties)) template.fail(propertiesLocation, 'BuildProperties must be a map');
  // No BuildMethod, or a runtime name (SAM's default builder for that runtime): the npm builder, run as is.
  if (method === undefined || method.startsWith('nodejs')) {
    const file = plainHandlerFile(template, codeUri, handler, handlerLocation);
    return { ...(method === undefined ? {} : { method }), builder: 'none', entryPoints: [file], properties };
  }
  const esbuild = readEsbuildProperties({
    // Other build methods (makefile…) run tools eddy dev cannot; it bundles their handler with SAM's defaults.
    properties: method === 'esbuild' ? properties : {},
    location: propertiesLocation,
    environment,
    codeUri,
    findEntryPoint: (entry) => esbuildEntryPoint(codeUri, entry),
    handlerEntry: { entry: handler.split('.')[0] as string, location: handlerLocation },
    fail: template.fail,
  });
  return { method, builder: 'esbuild', entryPoints: [...esbuild.entryPoints], properties, esbuild };
};

const environmentOf = (template: Template, properties: Record<string, unknown>, location: string) => {
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
  template: Template,
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

const codeUriOf = (template: Template, codeUri: unknown, location: string): string => {
  if (codeUri === undefined) return template.folder;
  if (typeof codeUri !== 'string' || codeUri.startsWith('s3://')) {
    template.fail(location, 'CodeUri must be a local folder; code in S3 cannot be run locally');
  }
  const folder = resolvePath(template.folder, codeUri);
  if (!isKind(folder, 'directory')) template.fail(location, `${folder} is not a folder`);
  return folder;
};

const checkUnique = (
  template: Template,
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
 * Reads a SAM/CloudFormation template from a string; see {@link loadTemplate}.
 *
 * @param options.path - the template's file name: errors name it, and CodeUri is relative to its folder
 */
const parseTemplate = (text: string, options: LoadTemplateOptions & { path: string }): LocalTemplate => {
  const templatePath = options.path;
  const stackName = options.stackName ?? DEFAULTS.stackName;
  const region = options.region ?? DEFAULTS.region;
  const accountId = options.accountId ?? DEFAULTS.accountId;
  const parameterOverrides = options.parameterOverrides ?? {};
  const fail: Template['fail'] = (location, problem) => {
    throw new TemplateError(templatePath, location, problem);
  };

  const root = parseCfnYaml(text, templatePath);
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
      fail('Parameters', `parameter override ${name}: the template has no parameter ${name}`);
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
  const template: Template = {
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
const loadTemplate = async (path: string, options: LoadTemplateOptions = {}): Promise<LocalTemplate> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TemplateError(path, '', `cannot read the template: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseTemplate(text, { ...options, path });
};

export { loadTemplate, mergeGlobal, parseTemplate };
