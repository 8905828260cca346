import { join } from 'node:path';
import type { CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';
import { FileCheckpointStore } from '../../src/checkpoint/FileCheckpointStore.js';
import { MemoryCheckpointStore } from '../../src/checkpoint/MemoryCheckpointStore.js';
import type { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import type { InvocationReport } from '../../src/runtime/observability/InvocationReport.js';
import type { Logger } from '../../src/runtime/observability/logger.js';
import { type Clock, systemClock } from '../../src/time/clock.js';
import { DashboardRegistry } from '../dashboard/DashboardRegistry.js';
import { DASHBOARD_PATH, dashboardPages } from '../dashboard/dashboardPages.js';
import { AccessKeys, type EmulatorCredential } from '../emulator/server/AccessKeys.js';
import { type RunningEmulator, startEmulator } from '../emulator/startEmulator.js';
import { buildFunction } from '../functions/buildFunction.js';
import { workerEntry } from '../functions/workerEntry.js';
import { runtimeLifecycleWarning } from '../template/runtimeLifecycle.js';
import { TemplateError } from '../template/TemplateError.js';
import { problemsOf, throwProblems } from '../template/TemplateErrors.js';
import type { FunctionDefinition, LocalTemplate } from '../template/types.js';
import { type ColdStart, checkColdStarts } from './coldStarts.js';
import { DevOptionsError } from './DevOptionsError.js';
import { devRegions } from './devRegions.js';
import { type EndpointKind, endpointKind } from './endpointKind.js';
import { type LoadedTapes, layDevTapes, readDevTapes } from './loadDevTapes.js';
import { loadDevTemplates } from './loadDevTemplates.js';
import { MappingMonitor } from './MappingMonitor.js';
import { prepareFunctions } from './prepareFunctions.js';
import { startRegion } from './startRegion.js';
import { userCredentials } from './userCredentials.js';
import { type Reloadable, watchFunctions } from './watchFunctions.js';

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
   * every mapping (ids suffixed with `-<region>`). A template parameter `PeerRegion`, when the template declares
   * one, is set in each of two regions to the other one, so a cross-region replicator has its peer. Several regions need the embedded
   * emulator. @default [region]
   */
  readonly regions?: readonly string[];
  /**
   * Values of the template's parameters, as `sam deploy --parameter-overrides` gives them. A name the template
   * does not declare is a template error. A `PeerRegion` given here wins over the one `regions` sets.
   */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
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
  /**
   * Tapes (`eddy record`, gzip or not) laid into the embedded emulator before the mappings start: each tape's
   * table, its records in the stream and its items as of the last record (see `Emulator.loadTape`).
   */
  readonly load?: readonly string[];
  /** Browser origins the emulator grants besides loopback pages (see `StartEmulatorOptions`). */
  readonly allowOrigins?: readonly string[];
  /** `Host` names the emulator serves besides loopback names and IP addresses (see `StartEmulatorOptions`). */
  readonly allowHosts?: readonly string[];
  /**
   * Rebuild a function when a file of its bundle changes and swap it in between two batches (see
   * `watchFunctions`).
   */
  readonly watch?: boolean;
}

interface DevSession {
  readonly endpoint: string;
  /** The first region. */
  readonly region: string;
  readonly regions: readonly string[];
  /** The template as resolved for the first region. */
  readonly template: LocalTemplate;
  /** The template as resolved for each region (with that region's parameter overrides). */
  readonly templates: ReadonlyMap<string, LocalTemplate>;
  /** Every region's mappings. */
  readonly mappings: readonly EventSourceMapping[];
  stop(): Promise<void>;
}

const DUMMY_CREDENTIALS = { accessKeyId: 'eddy', secretAccessKey: 'eddy' };

type Keys = { accessKeyId: string; secretAccessKey: string };

/** Whether `promise` settles within `ms` (the timer does not keep the process alive). */
const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer));
};

/**
 * `eddy dev`: reads template.yaml, starts the emulator, creates the template's tables in each region, bundles
 * each function and runs, per region, one event source mapping per `Type: DynamoDB` event with the template's
 * settings. Its stages, in order: the regions and the endpoint's kind (options), the template for each region,
 * the build and its checks (every template problem said at once), the emulator or the endpoint, then each
 * region's tables, functions and mappings, the cold starts, and the monitor.
 */
const startDev = async (options: StartDevOptions): Promise<DevSession> => {
  const print = options.print ?? ((line: string) => console.log(line));
  const regions = devRegions(options);
  const kind = endpointKindOf(options.endpoint);
  const own = options.endpoint === undefined ? options.credentials?.[0] : undefined;
  const accountId =
    own === undefined ? undefined : new AccessKeys(options.credentials).accountFor(own.accessKeyId);
  // Problems of single resources, kept until the rest is built and checked, so that all are said together.
  const problems: TemplateError[] = [];
  const { templates, overrides, first } = await loadDevTemplates({
    templatePath: options.templatePath,
    regions,
    parameterOverrides: options.parameterOverrides ?? {},
    accountId,
    problems,
  });
  const tapes = await readDevTapes(options.load ?? [], { regions, templates, ...options });
  const buildDir = options.buildDir ?? join(first.path, '..', '.eddy', 'build');
  const bundles = await buildAndCheck(first, { buildDir, problems, print, now: options.now ?? Date.now });

  const dashboard = options.endpoint === undefined ? new DashboardRegistry() : undefined;
  const emulator = dashboard === undefined ? undefined : await startEmbeddedEmulator(options, dashboard);
  const endpoint = emulator?.endpoint ?? (options.endpoint as string);
  const stopAll: (() => Promise<void>)[] = [];
  // --watch: every region's copy of each function, by logical id.
  const copies = new Map<string, Reloadable[]>();
  const copiesOf = (id: string): Reloadable[] => copies.get(id) ?? copies.set(id, []).get(id) ?? [];
  let loaded: LoadedTapes | undefined;
  const stop = async () => {
    for (const step of stopAll.reverse()) await step();
  };
  try {
    const multiRegion = regions.length > 1;
    const regionList = `${multiRegion ? 'regions' : 'region'} ${regions.join(', ')}`;
    if (emulator !== undefined) {
      stopAll.unshift(() => emulator.close());
      print(`eddy dev: emulator listening on ${endpoint} (${regionList})`);
      print(dashboardLine(endpoint, options.requireSignature === true));
      loaded = layDevTapes(emulator.emulator, tapes, templates, print);
    } else {
      print(`eddy dev: consuming streams at ${endpoint} (${regionList})`);
    }
    const ownKeys =
      own === undefined
        ? DUMMY_CREDENTIALS
        : { accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey };
    const credentials = await signingKeys(kind, emulator === undefined ? undefined : ownKeys, regions, print);
    const checkpoints: CheckpointStore =
      options.stateDir === undefined
        ? new MemoryCheckpointStore()
        : new FileCheckpointStore(join(options.stateDir, 'checkpoints.json'));
    const monitor = new MappingMonitor({
      clock: options.clock ?? systemClock,
      print,
      metricsIntervalMs: options.metricsIntervalMs ?? 60_000,
      statusIntervalMs: options.statusIntervalMs ?? 10_000,
      lagThresholdMs: options.lagThresholdMs ?? 60_000,
      // Coloured state words on a terminal only: a pipe or a file gets plain lines (and NO_COLOR is honoured).
      color:
        options.print === undefined && process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    });
    stopAll.push(async () => monitor.stop());
    const run = {
      endpoint,
      kind,
      emulator,
      credentials,
      multiRegion,
      bundles,
      workerUrl: await workerEntry(buildDir),
      checkpoints,
      monitor,
      failuresDir: join(buildDir, '..', 'failures'),
      s3Dir: join(options.stateDir ?? join(buildDir, '..'), 's3'),
      templatePath: first.path,
      ...(loaded === undefined ? {} : { loaded }),
      ...(dashboard === undefined ? {} : { dashboard }),
      described: new Set<string>(),
      stopAll,
      print,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      ...(options.onInvocation === undefined ? {} : { onInvocation: options.onInvocation }),
      ...(options.watch === true
        ? { onFunction: (id: string, copy: Reloadable) => copiesOf(id).push(copy) }
        : {}),
    };
    const mappings: EventSourceMapping[] = [];
    const coldStarts: Promise<ColdStart>[] = [];
    for (const region of regions) {
      const started = await startRegion(
        run,
        templates.get(region) as LocalTemplate,
        overrides.get(region) ?? {},
      );
      mappings.push(...started.mappings);
      coldStarts.push(...started.coldStarts);
    }
    checkColdStarts(await Promise.all(coldStarts), first.path, print);
    // Started once every function's cold start is done: no invocation reaches a Handler that is not a function.
    for (const mapping of mappings) mapping.start();
    // "ready" means a write from now on is read, StartingPosition LATEST included. A stream that does not answer
    // (a slow --endpoint) is said after 10 s rather than keeping eddy dev silent.
    const positioned = await settlesWithin(Promise.all(mappings.map((mapping) => mapping.started())), 10_000);
    if (!positioned) {
      print(
        'eddy dev: warning: a mapping has not taken its first shard iterator after 10 s; ' +
          'with StartingPosition LATEST, records written before it does are not read',
      );
    }
    monitor.start();
    if (options.watch === true) {
      const watcher = await watchFunctions({ functions: first.functions, buildDir, copiesOf, print });
      stopAll.push(() => watcher.close());
    }
    return { endpoint, region: first.region, regions, template: first, templates, mappings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

/** `--endpoint`'s kind; a URL that is none is a problem with the options. */
const endpointKindOf = (endpoint: string | undefined): EndpointKind => {
  try {
    return endpointKind(endpoint);
  } catch (error) {
    throw new DevOptionsError((error as Error).message);
  }
};

/**
 * Said before anything starts: runtimes AWS has retired (they still run here, but `sam deploy` would fail), and
 * every function's build and Handler export problems at once, with the template's `problems`. Resolves with each
 * function's bundle by logical id.
 */
const buildAndCheck = async (
  template: LocalTemplate,
  how: { buildDir: string; problems: TemplateError[]; print: (line: string) => void; now: () => number },
): Promise<Map<string, string>> => {
  for (const fn of template.functions) {
    const warning = runtimeLifecycleWarning(fn.runtime, how.now());
    if (warning !== undefined) how.print(`eddy dev: warning: ${fn.logicalId}: Runtime ${warning}`);
  }
  const bundles = await prepareFunctions(template, (fn) => bundleOf(fn, template, how.buildDir)).catch(
    (error: unknown) => {
      if (!(error instanceof TemplateError)) throw error;
      how.problems.push(...problemsOf(error));
      return new Map<string, string>();
    },
  );
  throwProblems(how.problems);
  return bundles;
};

/** Builds the function as `sam build` would (see `buildFunction`); resolves with the module Lambda would load. */
const bundleOf = async (fn: FunctionDefinition, template: LocalTemplate, buildDir: string): Promise<string> =>
  (await buildFunction({ function: fn, templatePath: template.path, outDir: buildDir })).moduleUrl;

/**
 * The dashboard's address, as `eddy dev` and `eddy emulator` print it at start-up. A browser cannot sign its
 * requests, so under --require-signature the emulator refuses it like any unsigned caller: said here.
 */
const dashboardLine = (endpoint: string, requireSignature: boolean): string =>
  `eddy dev: dashboard at ${endpoint}${DASHBOARD_PATH}` +
  (requireSignature ? ' (refused to browsers under --require-signature: a browser cannot sign)' : '');

const startEmbeddedEmulator = (
  options: StartDevOptions,
  dashboard: DashboardRegistry,
): Promise<RunningEmulator> =>
  startEmulator({
    pages: dashboardPages(dashboard),
    ...(options.host === undefined ? {} : { host: options.host }),
    port: options.port ?? 8000,
    ...(options.requireSignature === undefined ? {} : { requireSignature: options.requireSignature }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.allowOrigins === undefined ? {} : { allowOrigins: options.allowOrigins }),
    ...(options.allowHosts === undefined ? {} : { allowHosts: options.allowHosts }),
    ...(options.stateDir === undefined ? {} : { dataDir: join(options.stateDir, 'emulator') }),
    ...(options.repairJournal === undefined ? {} : { repairJournal: options.repairJournal }),
  });

/**
 * The keys eddy's clients and the functions sign with, when eddy chooses them: the emulator's own (`embedded`),
 * or, at an endpoint that is neither AWS nor the emulator with no user credentials, dummy ones. Undefined: the
 * user's credentials, found by the SDK.
 */
const signingKeys = async (
  kind: EndpointKind,
  embedded: Keys | undefined,
  regions: readonly string[],
  print: (line: string) => void,
): Promise<Keys | undefined> => {
  if (kind !== 'other' || (await userCredentials(regions[0] as string)) !== undefined) return embedded;
  print(
    `  no AWS credentials found: eddy and the functions sign with access key ${DUMMY_CREDENTIALS.accessKeyId} ` +
      '(DynamoDB Local accepts any, and without -sharedDb keeps a database per key and region: write with it too)',
  );
  return DUMMY_CREDENTIALS;
};

export type { DevSession, StartDevOptions };
export { DevOptionsError, startDev };
