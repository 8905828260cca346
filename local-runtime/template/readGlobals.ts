import { childLocation, isRecord } from './resolveIntrinsics.js';
import { own, propertiesOf, type TemplateContext } from './TemplateContext.js';

/**
 * What SAM accepts under `Globals` (samtranslator/plugins/globals/globals.py,
 * https://github.com/aws/serverless-application-model/blob/develop/samtranslator/plugins/globals/globals.py). Only the
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

/** The sections of `Globals` eddy applies, checked against SAM's lists. */
interface Globals {
  Function?: Record<string, unknown>;
  SimpleTable?: Record<string, unknown>;
}

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
  template: TemplateContext,
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

/** Checks `Globals` against SAM's lists and returns the sections eddy applies. */
const readGlobals = (template: TemplateContext, globals: Record<string, unknown>): Globals => {
  const known = Object.keys(GLOBALS);
  const read: Globals = {};
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

export type { Globals };
export { mergeGlobal, readGlobals, withGlobals };
