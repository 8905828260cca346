import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from 'commander';
import type { ResolvedMappingConfig } from '../../src/runtime/config/resolveMappingConfig.js';
import { resolveMappingConfig } from '../../src/runtime/config/resolveMappingConfig.js';
import { MappingConfigError } from '../../src/runtime/errors/MappingConfigError.js';
import type { OnFailureDestination } from '../../src/runtime/failures/destinations/OnFailureDestination.js';
import type { FunctionInvoker } from '../../src/runtime/invocation/FunctionInvoker.js';
import {
  inProcessInvoker,
  type StreamHandlerFunction,
} from '../../src/runtime/invocation/inProcessInvoker.js';
import type { EndpointKind } from '../dev/endpointKind.js';
import { loadDevTemplates } from '../dev/loadDevTemplates.js';
import { onFailureDestination } from '../dev/onFailureDestination.js';
import { prepareFunctions } from '../dev/prepareFunctions.js';
import { resolveEventConfig } from '../dev/resolveEventConfig.js';
import { startFunction } from '../dev/startFunction.js';
import { buildFunction } from '../functions/buildFunction.js';
import { workerEntry } from '../functions/workerEntry.js';
import { ensureTable } from '../template/ensureTable.js';
import type { TemplateError } from '../template/TemplateError.js';
import { throwProblems } from '../template/TemplateErrors.js';
import type { DynamoDBEventDefinition, FunctionDefinition } from '../template/types.js';
import { CommandError } from './awsClients.js';
import { EXIT_CODES } from './exitCodes.js';

/** What `eddy replay` sends the records to, with the mapping's settings and where failures go. */
interface ReplayTarget {
  /** How the summary and the mapping id name it: the LogicalId, or FILE#EXPORT. */
  readonly label: string;
  readonly config: ResolvedMappingConfig;
  /** Undefined with --dry-run: nothing is invoked. */
  readonly invoker?: FunctionInvoker;
  readonly onFailure?: OnFailureDestination;
  close(): Promise<void>;
}

interface TargetInput {
  /** The command running the target (`eddy replay`, `eddy redrive`): its messages start with it. */
  readonly command: string;
  readonly function?: string;
  readonly template: string;
  readonly handler?: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly dryRun: boolean;
  readonly region: string;
  /** The tape's (or range's) table: picks the function's event when it has several. */
  readonly tableName: string;
  readonly endpoint?: { readonly url: string; readonly kind: EndpointKind };
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** At --endpoint: the template's tables are created there when missing, as `eddy dev --endpoint` does. */
  readonly dynamodb?: DynamoDBClient;
  readonly print: (line: string) => void;
}

/** A mistake in the command line, told in the words of the command that runs the target. */
const usage = (command: string, message: string) =>
  new CommandError(`${command}: ${message}`, EXIT_CODES.usage);

/**
 * Parses `--set Name=Value` (repeatable): the value as JSON when it is JSON (`[…]`, `{…}`, numbers, booleans),
 * otherwise as text. The settings themselves are checked with the template's (see `settingsWith`).
 */
const parseSet = (text: string, previous: Record<string, unknown> = {}): Record<string, unknown> => {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected Name=Value, e.g. --set BatchSize=500');
  const name = text.slice(0, at).trim();
  const raw = text.slice(at + 1).trim();
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Plain text: TRIM_HORIZON, a word.
  }
  return { ...previous, [name]: value };
};

/**
 * The event's settings with `--set` on top, resolved as Lambda would: a bad setting of the template is a template
 * error at its place, a bad `--set` names the setting and its range.
 */
const settingsWith = (
  base: {
    readonly templatePath?: string;
    readonly location?: string;
    readonly properties: Record<string, unknown>;
  },
  sets: Readonly<Record<string, unknown>>,
  command: string,
): ResolvedMappingConfig => {
  if (base.templatePath !== undefined && base.location !== undefined)
    resolveEventConfig(base.templatePath, base.location, base.properties);
  try {
    return resolveMappingConfig({ StartingPosition: 'TRIM_HORIZON', ...base.properties, ...sets });
  } catch (error) {
    if (error instanceof MappingConfigError && error.setting in sets)
      throw usage(
        command,
        `--set ${error.setting}=${JSON.stringify(sets[error.setting])}: ${error.message.replace(`${error.setting}: `, `${error.setting} `)}`,
      );
    throw error;
  }
};

/** The event of `fn` that reads `tableName`'s stream, or its only one. */
const eventOf = (
  fn: FunctionDefinition,
  tableName: string,
  tables: readonly { logicalId: string; createTableInput: Record<string, unknown> }[],
  command: string,
): DynamoDBEventDefinition => {
  if (fn.events.length === 1) return fn.events[0] as DynamoDBEventDefinition;
  const logicalId = tables.find((t) => t.createTableInput.TableName === tableName)?.logicalId;
  const event = fn.events.find((e) => e.tableLogicalId === logicalId);
  if (event !== undefined) return event;
  throw usage(
    command,
    `--function ${fn.logicalId} has ${fn.events.length} DynamoDB events (${fn.events.map((e) => e.name).join(', ')}) ` +
      `and none reads table ${tableName}`,
  );
};

/** `--function LOGICAL_ID`: built as `eddy dev` builds it, run as it runs it, with its event's settings. */
const templateTarget = async (input: TargetInput & { function: string }): Promise<ReplayTarget> => {
  const problems: TemplateError[] = [];
  const templatePath = resolve(input.template);
  const { first: template } = await loadDevTemplates({
    templatePath,
    regions: [input.region],
    parameterOverrides: {},
    accountId: undefined,
    problems,
  });
  const fn = template.functions.find((f) => f.logicalId === input.function);
  if (fn === undefined) {
    const known = template.functions.map((f) => f.logicalId);
    throw usage(
      input.command,
      `--function ${input.function}: no function with a DynamoDB event in ${input.template}` +
        (known.length === 0 ? '' : ` (there: ${known.join(', ')})`),
    );
  }
  // Only this function's problems stop a replay of it.
  throwProblems(problems.filter((p) => p.location.startsWith(`Resources.${fn.logicalId}`)));
  const event = eventOf(fn, input.tableName, template.tables, input.command);
  const config = settingsWith(
    { templatePath, location: event.location, properties: event.properties },
    input.settings,
    input.command,
  );
  const buildDir = join(templatePath, '..', '.eddy', 'build');
  const local = input.endpoint?.kind !== 'aws';
  // A replay's failures are kept apart from the live mapping's.
  const onFailure = onFailureDestination(event.properties, {
    local,
    failuresDir: join(buildDir, '..', 'failures', 'replay'),
  });
  const base = { label: fn.logicalId, config, ...(onFailure === undefined ? {} : { onFailure }) };
  if (input.dryRun) return { ...base, close: async () => undefined };
  if (local && input.dynamodb !== undefined) {
    const created = [];
    for (const table of template.tables) created.push(await ensureTable(input.dynamodb, table));
    input.print(`${input.command}: tables ${created.join(', ')}`);
  }
  const bundles = await prepareFunctions(
    { ...template, functions: [fn] },
    async (f) => (await buildFunction({ function: f, templatePath, outDir: buildDir })).moduleUrl,
  );
  const invoker = startFunction(fn, template, {
    bundleUrl: bundles.get(fn.logicalId) as string,
    label: fn.logicalId,
    endpoint: input.endpoint ?? { url: '', kind: 'aws' },
    workerUrl: await workerEntry(buildDir),
    credentials: input.credentials,
  });
  const coldStart = await invoker.prepare();
  if (coldStart !== undefined) {
    await invoker.close();
    throw usage(
      input.command,
      `--function ${fn.logicalId}: its Handler ${fn.handler} could not start: ${coldStart.message}`,
    );
  }
  return { ...base, invoker, close: () => invoker.close() };
};

/** `--handler FILE#EXPORT`: a plain module (JavaScript, or TypeScript under a loader), run in this process. */
const handlerTarget = async (input: TargetInput & { handler: string }): Promise<ReplayTarget> => {
  const hash = input.handler.lastIndexOf('#');
  const file = hash < 0 ? input.handler : input.handler.slice(0, hash);
  const exportName = hash < 0 ? 'handler' : input.handler.slice(hash + 1);
  if (file === '' || exportName === '')
    throw usage(
      input.command,
      `--handler ${input.handler}: expected FILE#EXPORT, e.g. --handler dist/orders.js#handler`,
    );
  const config = settingsWith({ properties: {} }, input.settings, input.command);
  const label = `${file}#${exportName}`;
  // DestinationConfig given with --set: locally a file under .eddy/failures/replay, as for --function.
  const onFailure = onFailureDestination(input.settings as Record<string, unknown>, {
    local: input.endpoint?.kind !== 'aws',
    failuresDir: resolve('.eddy', 'failures', 'replay'),
  });
  const base = { label, config, ...(onFailure === undefined ? {} : { onFailure }) };
  if (input.dryRun) return { ...base, close: async () => undefined };
  // The handler's own clients reach --endpoint, as a function's do under `eddy dev --endpoint`.
  if (input.endpoint !== undefined && input.endpoint.kind !== 'aws') {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = input.endpoint.url;
    process.env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = input.endpoint.url;
    if (input.credentials !== undefined && process.env.AWS_ACCESS_KEY_ID === undefined) {
      process.env.AWS_ACCESS_KEY_ID = input.credentials.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = input.credentials.secretAccessKey;
    }
  }
  process.env.AWS_REGION ??= input.region;
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (error) {
    throw usage(
      input.command,
      `--handler ${input.handler}: cannot import ${file}: ${(error as Error).message}`,
    );
  }
  const handler = module[exportName];
  if (typeof handler !== 'function')
    throw usage(
      input.command,
      `--handler ${input.handler}: ${file} exports no function ${exportName} (exports: ${Object.keys(module).join(', ') || 'none'})`,
    );
  return {
    ...base,
    invoker: inProcessInvoker(handler as StreamHandlerFunction, {
      functionName: exportName,
      region: input.region,
    }),
    close: async () => undefined,
  };
};

/**
 * `--function` or `--handler` (exactly one), as `eddy replay` runs it: the function, its mapping settings (the
 * template event's, with `--set` on top) and its on-failure destination.
 */
const replayTarget = (input: TargetInput): Promise<ReplayTarget> => {
  if ((input.function === undefined) === (input.handler === undefined))
    throw usage(
      input.command,
      'give --function LOGICAL_ID (from --template) or --handler FILE#EXPORT (one of them)',
    );
  return input.function !== undefined
    ? templateTarget({ ...input, function: input.function })
    : handlerTarget({ ...input, handler: input.handler as string });
};

/**
 * Keys for an endpoint that accepts any (DynamoDB Local, another emulator) when the user has none, as
 * `eddy dev --endpoint` gives its functions; none for AWS or the embedded emulator.
 *
 * @example
 * stubCredentialsFor(endpointKind('http://localhost:8001')); // { accessKeyId: 'eddy', secretAccessKey: 'eddy' } without AWS_ACCESS_KEY_ID
 */
const stubCredentialsFor = (
  kind: EndpointKind,
): { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined =>
  kind === 'other' && process.env.AWS_ACCESS_KEY_ID === undefined
    ? { accessKeyId: 'eddy', secretAccessKey: 'eddy' }
    : undefined;

export type { ReplayTarget };
export { parseSet, replayTarget, stubCredentialsFor };
