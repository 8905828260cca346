import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';
import { FileCheckpointStore } from '../../src/checkpoint/FileCheckpointStore.js';
import { MemoryCheckpointStore } from '../../src/checkpoint/MemoryCheckpointStore.js';
import { destinationFor } from '../../src/runtime/destinations/destinationFor.js';
import { FileDestination } from '../../src/runtime/destinations/FileDestination.js';
import type { OnFailureDestination } from '../../src/runtime/destinations/OnFailureDestination.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { MappingConfigError } from '../../src/runtime/errors.js';
import type { Logger } from '../../src/runtime/logger.js';
import { resolveMappingConfig } from '../../src/runtime/resolveMappingConfig.js';
import type { InvocationReport } from '../../src/runtime/ShardConsumer.js';
import { type Clock, systemClock } from '../../src/time/clock.js';
import { AccessKeys, type EmulatorCredential } from '../emulator/server/AccessKeys.js';
import { type RunningEmulator, startEmulator } from '../emulator/startEmulator.js';
import { buildFunction } from '../functions/buildFunction.js';
import { FunctionError, WorkerInvoker } from '../functions/WorkerInvoker.js';
import { workerEntry } from '../functions/workerEntry.js';
import { parseCfnYaml } from '../template/cfnYaml.js';
import { ensureTable } from '../template/ensureTable.js';
import { splitHandler } from '../template/lambdaHandler.js';
import { loadTemplate } from '../template/loadTemplate.js';
import { runtimeLifecycleWarning } from '../template/runtimeLifecycle.js';
import { TemplateError } from '../template/TemplateError.js';
import { problemsOf, throwProblems } from '../template/TemplateErrors.js';
import type { DynamoDBEventDefinition, FunctionDefinition, LocalTemplate } from '../template/types.js';
import { type EndpointKind, endpointKind } from './endpointKind.js';
import { endpointProblem } from './endpointProblem.js';
import { formatInvocation } from './formatInvocation.js';
import { functionEnvironment } from './functionEnvironment.js';
import { failureLogger, MappingMonitor } from './MappingMonitor.js';
import { MissingStreamError } from './MissingStreamError.js';
import { mappingSettingProblems } from './mappingSettingProblems.js';
import { prepareFunctions } from './prepareFunctions.js';
import { resolveStreamArn } from './resolveStreamArn.js';
import { userCredentials } from './userCredentials.js';

interface StartDevOptions {
  readonly templatePath: string;
  readonly host?: string;
  /** @default 8000 */
  readonly port?: number;
  /**
   * Consume the streams of this endpoint (real AWS, DynamoDB Local) instead of starting the emulator. The
   * functions' own DynamoDB and DynamoDB Streams clients go there too (see `functionEnvironment`); an endpoint
   * that is not AWS also gets the template's missing tables and local failure files, as the emulator does.
   */
  readonly endpoint?: string;
  /** The region of the tables and streams. @default 'us-east-1'. Give `region` or `regions`, not both. */
  readonly region?: string;
  /**
   * Run the template in each of these regions of the one emulator: each region gets the template's tables in
   * its own namespace, and its own copy of every function (a worker with AWS_REGION set to the region) and of
   * every mapping (ids suffixed with `-<region>`). A template parameter `PeerRegion` is set, in each of two
   * regions, to the other one, so a cross-region replicator has its peer. Several regions need the embedded
   * emulator. @default [region]
   */
  readonly regions?: readonly string[];
  /**
   * Keep the local state in this folder so that a restart resumes where it stopped: the checkpoints
   * (`checkpoints.json`) and, with the embedded emulator, its tables, items and streams (`emulator/`, as
   * `eddy emulator --data-dir`; tables that exist already are kept as they are). In memory otherwise.
   */
  readonly stateDir?: string;
  /** With `stateDir`: repair a damaged emulator data dir instead of refusing to start (startEmulator's option). */
  readonly repairJournal?: boolean;
  /** Folder of the functions' bundles. @default <template folder>/.eddy/build */
  readonly buildDir?: string;
  readonly print?: (line: string) => void;
  readonly logger?: Logger;
  /** Today, for the runtime deprecation warnings. @default Date.now */
  readonly now?: () => number;
  /** Every invocation's report, with the function's logical id and the region it runs in. */
  readonly onInvocation?: (functionName: string, report: InvocationReport, region: string) => void;
  /**
   * How often each mapping's metrics line is printed (EventCount sums of the interval, IteratorAge); 0: never.
   * @default 60000, CloudWatch's minute
   */
  readonly metricsIntervalMs?: number;
  /** How often each mapping is checked for lag and failures, and a status line printed if so; 0: never. @default 10000 */
  readonly statusIntervalMs?: number;
  /** The iterator age from which a mapping's status line says it lags. @default 60000 */
  readonly lagThresholdMs?: number;
  /** The clock of the metrics and status intervals. @default the system clock */
  readonly clock?: Clock;
  /** Milliseconds between polls of each shard. @default 250, Lambda's rate */
  readonly pollIntervalMs?: number;
  /** The emulator verifies SigV4 signatures against `credentials` (see `StartEmulatorOptions`). */
  readonly requireSignature?: boolean;
  /**
   * Access keys of the emulator. The first one also signs eddy's own clients and the functions' SDK calls,
   * and its account is the template's (`AWS::AccountId`), so ARNs match the tables eddy creates.
   */
  readonly credentials?: readonly EmulatorCredential[];
  /** Browser origins the emulator grants besides loopback pages (see `StartEmulatorOptions`). */
  readonly allowOrigins?: readonly string[];
  /** `Host` names the emulator serves besides loopback names and IP addresses (see `StartEmulatorOptions`). */
  readonly allowHosts?: readonly string[];
}

interface DevSession {
  readonly endpoint: string;
  /** The first region. */
  readonly region: string;
  readonly regions: readonly string[];
  /** The template as resolved for the first region. */
  readonly template: LocalTemplate;
  /** The template as resolved for each region (its `PeerRegion` set to the other region). */
  readonly templates: ReadonlyMap<string, LocalTemplate>;
  /** Every region's mappings. */
  readonly mappings: readonly EventSourceMapping[];
  stop(): Promise<void>;
}

/** A problem with the options of `eddy dev` (not with the template), said in the user's terms. */
class DevOptionsError extends Error {
  override readonly name = 'DevOptionsError';
}

const DUMMY_CREDENTIALS = { accessKeyId: 'eddy', secretAccessKey: 'eddy' };
const DEFAULT_REGION = 'us-east-1';
/** The template parameter that names the other region of a two-region deployment. */
const PEER_REGION_PARAMETER = 'PeerRegion';
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The regions to run, checked: names, no repeats, and several only on the embedded emulator. */
const regionsOf = (options: StartDevOptions): string[] => {
  if (options.region !== undefined && options.regions !== undefined) {
    throw new DevOptionsError('eddy dev: give --region or --regions, not both');
  }
  const regions = options.regions ?? [options.region ?? DEFAULT_REGION];
  if (regions.length === 0) throw new DevOptionsError('eddy dev: --regions needs at least one region');
  for (const region of regions) {
    if (!REGION_NAME.test(region)) {
      throw new DevOptionsError(`eddy dev: '${region}' is not a region name (e.g. us-east-1)`);
    }
  }
  const repeated = regions.find((region, index) => regions.indexOf(region) !== index);
  if (repeated !== undefined) throw new DevOptionsError(`eddy dev: --regions names ${repeated} twice`);
  if (regions.length > 1 && options.endpoint !== undefined) {
    throw new DevOptionsError(
      'eddy dev: several --regions run on the embedded emulator; with --endpoint give one --region',
    );
  }
  return [...regions];
};

/**
 * The parameter overrides of each region: `PeerRegion` is the other region when the template declares it and
 * two regions run. With three or more there is no single peer, so such a template is refused.
 */
const peerOverrides = async (templatePath: string, regions: readonly string[]) => {
  const overrides = new Map<string, Record<string, string>>(regions.map((region) => [region, {}]));
  if (regions.length < 2) return overrides;
  let text: string;
  try {
    text = await readFile(templatePath, 'utf8');
  } catch {
    return overrides; // loadTemplate reports an unreadable template
  }
  const root = parseCfnYaml(text, templatePath) as { Parameters?: unknown } | null;
  const parameters = root?.Parameters;
  if (
    typeof parameters !== 'object' ||
    parameters === null ||
    !Object.hasOwn(parameters, PEER_REGION_PARAMETER)
  ) {
    return overrides;
  }
  if (regions.length > 2) {
    throw new TemplateError(
      templatePath,
      `Parameters.${PEER_REGION_PARAMETER}`,
      `names one peer region, and --regions gives ${regions.length} (${regions.join(', ')}); run two regions`,
    );
  }
  const [a, b] = regions as [string, string];
  overrides.set(a, { [PEER_REGION_PARAMETER]: b });
  overrides.set(b, { [PEER_REGION_PARAMETER]: a });
  return overrides;
};

/**
 * `eddy dev`: reads template.yaml, starts the emulator, creates the template's tables in each region, bundles
 * each function and runs, per region, one event source mapping per `Type: DynamoDB` event with the template's
 * settings.
 */
const startDev = async (options: StartDevOptions): Promise<DevSession> => {
  const print = options.print ?? ((line: string) => console.log(line));
  const regions = regionsOf(options);
  const multiRegion = regions.length > 1;
  let kind: EndpointKind;
  try {
    kind = endpointKind(options.endpoint);
  } catch (error) {
    throw new DevOptionsError((error as Error).message);
  }
  const own = options.endpoint === undefined ? options.credentials?.[0] : undefined;
  const localCredentials =
    own === undefined
      ? DUMMY_CREDENTIALS
      : { accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey };
  const accountId =
    own === undefined ? undefined : new AccessKeys(options.credentials).accountFor(own.accessKeyId);
  const overrides = await peerOverrides(options.templatePath, regions);
  const templates = new Map<string, LocalTemplate>();
  // Problems of single resources, kept until the rest is built and checked, so that all are said together.
  const problems: TemplateError[] = [];
  for (const region of regions) {
    templates.set(
      region,
      await loadTemplate(options.templatePath, {
        region,
        parameterOverrides: overrides.get(region) ?? {},
        ...(accountId === undefined ? {} : { accountId }),
        // Mapping settings are template errors too, found with the others before anything starts.
        checkEventProperties: mappingSettingProblems,
        resourceProblems: problems,
      }),
    );
  }
  const first = templates.get(regions[0] as string) as LocalTemplate;
  // Said before anything starts: a runtime AWS has retired still runs here, but `sam deploy` would fail.
  for (const fn of first.functions) {
    const warning = runtimeLifecycleWarning(fn.runtime, options.now?.() ?? Date.now());
    if (warning !== undefined) print(`eddy dev: warning: ${fn.logicalId}: Runtime ${warning}`);
  }
  // Built and checked before anything starts: every function's build and Handler export problems at once.
  const buildDir = options.buildDir ?? join(first.path, '..', '.eddy', 'build');
  const bundles = await prepareFunctions(first, (fn) => bundleOf(fn, first, buildDir)).catch(
    (error: unknown) => {
      if (!(error instanceof TemplateError)) throw error;
      problems.push(...problemsOf(error));
      return new Map<string, string>();
    },
  );
  throwProblems(problems);
  let emulator: RunningEmulator | undefined;
  let endpoint = options.endpoint;
  if (endpoint === undefined) {
    emulator = await startEmulator({
      ...(options.host === undefined ? {} : { host: options.host }),
      port: options.port ?? 8000,
      ...(options.requireSignature === undefined ? {} : { requireSignature: options.requireSignature }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      ...(options.allowOrigins === undefined ? {} : { allowOrigins: options.allowOrigins }),
      ...(options.allowHosts === undefined ? {} : { allowHosts: options.allowHosts }),
      ...(options.stateDir === undefined ? {} : { dataDir: join(options.stateDir, 'emulator') }),
      ...(options.repairJournal === undefined ? {} : { repairJournal: options.repairJournal }),
    });
    endpoint = emulator.endpoint;
  }
  const stopAll: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stopAll.reverse()) await step();
  };
  try {
    const local = emulator !== undefined;
    // An endpoint that is not AWS (DynamoDB Local, another emulator) is treated as the embedded emulator is:
    // tables created from the template, failures to files, and keys for everyone when the user has none.
    const emulated = kind !== 'aws';
    const regionList = `${multiRegion ? 'regions' : 'region'} ${regions.join(', ')}`;
    if (emulator !== undefined) {
      const running = emulator;
      stopAll.unshift(() => running.close());
      print(`eddy dev: emulator listening on ${endpoint} (${regionList})`);
    } else {
      print(`eddy dev: consuming streams at ${endpoint} (${regionList})`);
    }
    let ownCredentials = local ? localCredentials : undefined;
    if (kind === 'other' && (await userCredentials(regions[0] as string)) === undefined) {
      ownCredentials = DUMMY_CREDENTIALS;
      print(
        `  no AWS credentials found: eddy and the functions sign with access key ${DUMMY_CREDENTIALS.accessKeyId} ` +
          '(DynamoDB Local accepts any, and without -sharedDb keeps a database per key and region: write with it too)',
      );
    }

    const checkpoints: CheckpointStore =
      options.stateDir === undefined
        ? new MemoryCheckpointStore()
        : new FileCheckpointStore(join(options.stateDir, 'checkpoints.json'));
    const failuresDir = join(buildDir, '..', 'failures');
    const workerUrl = await workerEntry(buildDir);
    const described = new Set<string>();
    const mappings: EventSourceMapping[] = [];
    /** Each function's cold start, begun when its environment is prepared: a Handler that is no function shows. */
    const coldStarts: Promise<{ fn: FunctionDefinition; label: string; error: FunctionError | undefined }>[] =
      [];
    const monitor = new MappingMonitor({
      clock: options.clock ?? systemClock,
      print,
      metricsIntervalMs: options.metricsIntervalMs ?? 60_000,
      statusIntervalMs: options.statusIntervalMs ?? 10_000,
      lagThresholdMs: options.lagThresholdMs ?? 60_000,
    });
    stopAll.push(async () => monitor.stop());

    for (const region of regions) {
      const template = templates.get(region) as LocalTemplate;
      const clientConfig = {
        endpoint,
        region,
        ...(ownCredentials === undefined ? {} : { credentials: ownCredentials }),
      };
      const dynamodb = new DynamoDBClient(clientConfig);
      const streams = new DynamoDBStreamsClient(clientConfig);
      stopAll.push(async () => {
        dynamodb.destroy();
        streams.destroy();
      });
      if (!local) {
        // One line with the fix when nothing answers at --endpoint or there is nothing to sign with; any answer
        // of the service (even AccessDenied) means the endpoint is fine.
        await dynamodb.send(new ListTablesCommand({ Limit: 1 })).catch((error: unknown) => {
          const problem = endpointProblem(error, endpoint as string);
          if (problem !== undefined) throw new DevOptionsError(problem);
        });
      }
      if (emulated) {
        const created = [];
        for (const table of template.tables) created.push(await ensureTable(dynamodb, table));
        print(`  ${region}: tables ${created.join(', ')}`);
      }
      const streamArns = await streamArnsOf({ dynamodb, streams }, template, {
        endpoint,
        region,
        local: emulated,
        suffix: multiRegion ? `-${region}` : '',
      });
      const regionFailuresDir = multiRegion ? join(failuresDir, region) : failuresDir;
      const started: string[] = [];
      for (const fn of template.functions) {
        if (fn.events.length === 0) continue;
        const label = multiRegion ? `${fn.logicalId}@${region}` : fn.logicalId;
        const invoker = startFunction(fn, template, {
          // One bundle per function, shared by its copies in every region.
          bundleUrl: bundles.get(fn.logicalId) as string,
          label,
          endpoint: { url: endpoint, kind },
          workerUrl,
          credentials: ownCredentials,
        });
        stopAll.push(() => invoker.close());
        coldStarts.push(initWithin(invoker.prepare()).then((error) => ({ fn, label, error })));
        for (const event of fn.events) {
          const config = resolveEventConfig(template, event.location, event.properties);
          const streamArn = streamArns.get(event) as string;
          const onFailure = onFailureDestination(event.properties, {
            local: emulated,
            failuresDir: regionFailuresDir,
          });
          const mappingId = `${fn.logicalId}-${event.name}${multiRegion ? `-${region}` : ''}`;
          const failures = monitor.watch(mappingId, () => mapping);
          const mapping = new EventSourceMapping({
            mappingId,
            ...(onFailure === undefined ? {} : { onFailure }),
            streamArn,
            config,
            client: streams,
            invoker,
            checkpoints,
            logger: failureLogger(failures, options.logger),
            // The monitor prints the metrics, in the console's words.
            metricsLogIntervalMs: 0,
            ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
            ...(emulator === undefined
              ? {}
              : {
                  wakeUps: {
                    subscribe: (listener: (shardId: string) => void) =>
                      (emulator as RunningEmulator).emulator.onRecords((e) => {
                        if (e.streamArn === streamArn) listener(e.shardId);
                      }),
                  },
                }),
            onInvocation: (report) => {
              print(formatInvocation(label, report));
              failures.invocation(report);
              options.onInvocation?.(fn.logicalId, report, region);
            },
          });
          stopAll.push(() => mapping.stop());
          mappings.push(mapping);
          started.push(mappingId);
          // The settings are the template's, the same in every region: described once.
          const key = `${fn.logicalId} ← ${event.name}`;
          if (!described.has(key)) {
            described.add(key);
            const destination =
              onFailure === undefined
                ? ''
                : `, on failure → ${emulated ? shownFile(onFailure.destination, first.path, multiRegion) : onFailure.destination}`;
            const filters = config.FilterCriteria?.Filters?.length ?? 0;
            print(
              `  ${key}: BatchSize ${config.BatchSize}, ${config.StartingPosition}${destination}` +
                `${config.ReportBatchItemFailures ? ', ReportBatchItemFailures' : ''}, MaximumRetryAttempts ${config.MaximumRetryAttempts}` +
                `${filters === 0 ? '' : `, FilterCriteria (${filters} pattern${filters === 1 ? '' : 's'})`}`,
            );
          }
        }
      }
      const peer = overrides.get(region)?.[PEER_REGION_PARAMETER];
      print(
        `  ${region}${peer === undefined ? '' : ` (${PEER_REGION_PARAMETER} ${peer})`}: ` +
          `${started.length} mapping${started.length === 1 ? '' : 's'}${started.length === 0 ? '' : ` ${started.join(', ')}`}`,
      );
    }
    await checkColdStarts(await Promise.all(coldStarts), first.path, print);
    // Started once every function's cold start is done: no invocation reaches a Handler that is not a function.
    for (const mapping of mappings) mapping.start();
    // "ready" means a write from now on is read, StartingPosition LATEST included.
    await Promise.all(mappings.map((mapping) => mapping.started()));
    monitor.start();
    return { endpoint, region: first.region, regions, template: first, templates, mappings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

/**
 * A failures file as the console shows it: relative to the template when under its folder, its region folder
 * as `<region>`.
 */
const shownFile = (file: string, templatePath: string, multiRegion: boolean): string => {
  const near = relative(join(templatePath, '..'), file);
  const shown = near.startsWith('..') ? file : near;
  return multiRegion ? join(dirname(dirname(shown)), '<region>', basename(shown)) : shown;
};

/**
 * DestinationConfig.OnFailure: on the emulator there is no SQS or SNS, so failure records go to a local NDJSON
 * file named after the destination (`.eddy/failures/<name>.ndjson`, in a folder per region when several run);
 * against real streams, to the real queue or topic through the AWS SDK.
 */
const onFailureDestination = (
  properties: Record<string, unknown>,
  where: { local: boolean; failuresDir: string },
): OnFailureDestination | undefined => {
  const destination = (properties.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
    ?.OnFailure?.Destination;
  if (typeof destination !== 'string') return undefined;
  if (!where.local) return destinationFor(destination);
  const name = destination.split(':').at(-1) ?? 'failures';
  return new FileDestination(join(where.failuresDir, `${name}.ndjson`));
};

/** A mapping setting out of range is a template error at the event's location. */
const resolveEventConfig = (
  template: LocalTemplate,
  location: string,
  properties: Record<string, unknown>,
) => {
  try {
    return resolveMappingConfig(properties);
  } catch (error) {
    if (error instanceof MappingConfigError) {
      throw new TemplateError(
        template.path,
        `${location}.${error.setting}`,
        error.message.slice(error.setting.length + 2),
        {
          cause: error,
        },
      );
    }
    throw error;
  }
};

/**
 * Lambda gives a cold start 10 s (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html);
 * one that takes longer is said, and the mappings start anyway rather than keep eddy dev from being ready.
 */
const initWithin = (coldStart: Promise<FunctionError | undefined>): Promise<FunctionError | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<FunctionError>((resolve) => {
    timer = setTimeout(
      () => resolve(new FunctionError('Runtime.InitTimeout', 'it has not finished after 10 s')),
      10_000,
    );
    timer.unref();
  });
  return Promise.race([coldStart, late]).finally(() => clearTimeout(timer));
};

/**
 * A Handler that names no function (the cold start's Runtime.HandlerNotFound) is a template error; another cold
 * start failure (the module throws as it loads) is said, and its invocations fail as they would on Lambda.
 */
const checkColdStarts = async (
  coldStarts: readonly { fn: FunctionDefinition; label: string; error: FunctionError | undefined }[],
  templatePath: string,
  print: (line: string) => void,
): Promise<void> => {
  const problems: TemplateError[] = [];
  for (const { fn, label, error } of coldStarts) {
    if (error === undefined) continue;
    if (error.name === 'Runtime.HandlerNotFound') {
      problems.push(
        new TemplateError(
          templatePath,
          `Resources.${fn.logicalId}.Properties.Handler`,
          `${fn.handler}: ${error.message}; Handler is <file>.<export>: after the last dot, name a function the file exports`,
        ),
      );
    } else {
      print(
        `eddy dev: warning: ${label}: its cold start failed (${error.name}: ${error.message}); its invocations fail until that is fixed`,
      );
    }
  }
  throwProblems(problems);
};

/**
 * Every mapping's stream in one region, checked before any mapping starts: a missing stream or table is an error
 * that names each mapping concerned, not a mapping that retries for ever in silence.
 */
const streamArnsOf = async (
  clients: { dynamodb: DynamoDBClient; streams: DynamoDBStreamsClient },
  template: LocalTemplate,
  where: { endpoint: string; region: string; local: boolean; suffix: string },
): Promise<Map<DynamoDBEventDefinition, string>> => {
  const streamArns = new Map<DynamoDBEventDefinition, string>();
  const missing: string[] = [];
  for (const fn of template.functions) {
    for (const event of fn.events) {
      const mappingId = `${fn.logicalId}-${event.name}${where.suffix}`;
      const found = await resolveStreamArn(clients, template, event, { ...where, mappingId });
      if ('problem' in found) missing.push(found.problem);
      else streamArns.set(event, found.streamArn);
    }
  }
  if (missing.length > 0) throw new MissingStreamError(missing);
  return streamArns;
};

/** Builds the function as `sam build` would (see `buildFunction`); resolves with the module Lambda would load. */
const bundleOf = async (fn: FunctionDefinition, template: LocalTemplate, buildDir: string): Promise<string> =>
  (await buildFunction({ function: fn, templatePath: template.path, outDir: buildDir })).moduleUrl;

/** Prepares the function's execution environment in the template's region, with Lambda's reserved variables. */
const startFunction = (
  fn: FunctionDefinition,
  template: LocalTemplate,
  where: {
    bundleUrl: string;
    /** How the console names this copy of the function. */
    label: string;
    endpoint: { url: string; kind: EndpointKind };
    workerUrl: URL;
    /** The keys eddy's own clients sign with, when eddy chose them. */
    credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  },
): WorkerInvoker => {
  // Lambda's split: the module ends at the first dot of the file name; the rest is the export path (`a.b`).
  const exportName = splitHandler(fn.handler).exportPath;
  return new WorkerInvoker({
    functionName: fn.functionName,
    workerUrl: where.workerUrl,
    bundleUrl: where.bundleUrl,
    exportName,
    timeoutSeconds: fn.timeoutSeconds,
    memoryLimitInMB: fn.memorySize,
    region: template.region,
    accountId: template.accountId,
    // The function's own SDK clients reach the same endpoint as eddy (see functionEnvironment); the region of
    // each request (AWS_REGION, or a client's own) picks the emulator's namespace.
    environment: functionEnvironment({
      inherited: process.env,
      fn,
      region: template.region,
      endpoint: where.endpoint,
      credentials: where.credentials,
    }),
    output: (line) => console.log(`[${where.label}] ${line}`),
  });
};

export type { DevSession, StartDevOptions };
export { DevOptionsError, startDev };
