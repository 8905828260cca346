import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { FileDestination } from '../../src/runtime/failures/destinations/FileDestination.js';
import type { InvocationReport } from '../../src/runtime/observability/InvocationReport.js';
import type { Logger } from '../../src/runtime/observability/logger.js';
import type { DashboardRegistry } from '../dashboard/DashboardRegistry.js';
import type { RunningEmulator } from '../emulator/startEmulator.js';
import { ensureTable } from '../template/ensureTable.js';
import type { DynamoDBEventDefinition, FunctionDefinition, LocalTemplate } from '../template/types.js';
import { type ColdStart, initWithin } from './coldStarts.js';
import { DevOptionsError } from './DevOptionsError.js';
import type { EndpointKind } from './endpointKind.js';
import { endpointProblem } from './endpointProblem.js';
import { formatInvocation } from './formatInvocation.js';
import { type LoadedTapes, loadedMappingWarnings } from './loadDevTapes.js';
import { failureLogger, type MappingMonitor } from './MappingMonitor.js';
import { onFailureDestination, shownDestination } from './onFailureDestination.js';
import { PEER_REGION_PARAMETER } from './regionParameterOverrides.js';
import { resolveEventConfig } from './resolveEventConfig.js';
import { startFunction } from './startFunction.js';
import { streamArnsOf } from './streamArnsOf.js';

/** What every region's run shares: the endpoint, the bundles, the checkpoints, the monitor, the console. */
interface RegionRun {
  readonly endpoint: string;
  readonly kind: EndpointKind;
  /** The embedded emulator, when eddy started one: its record notifications wake the mappings. */
  readonly emulator: RunningEmulator | undefined;
  /** The keys eddy's clients and the functions sign with, when eddy chose them. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  readonly multiRegion: boolean;
  /** Each function's bundle by logical id, shared by its copies in every region. */
  readonly bundles: ReadonlyMap<string, string>;
  readonly workerUrl: URL;
  readonly checkpoints: CheckpointStore;
  readonly monitor: MappingMonitor;
  readonly failuresDir: string;
  /** Where a bucket destination's objects go on the emulator: `<s3Dir>/<bucket>/<AWS's key>`. */
  readonly s3Dir?: string;
  /** The first region's template path, for the console's file names. */
  readonly templatePath: string;
  /** The mappings whose settings are printed already: they are the template's, the same in every region. */
  readonly described: Set<string>;
  /** Where each region adds what `stop` undoes. */
  readonly stopAll: (() => Promise<void>)[];
  readonly print: (line: string) => void;
  readonly logger?: Logger;
  readonly pollIntervalMs?: number;
  readonly onInvocation?: (functionName: string, report: InvocationReport, region: string) => void;
  /** The tapes `--load` laid into the emulator, by stream ARN: mappings on them are warned about (loadDevTapes). */
  readonly loaded?: LoadedTapes;
  /** The dashboard's view of the mappings (with the embedded emulator). */
  readonly dashboard?: DashboardRegistry;
  /** Told of each copy of a function as it is made (`--watch` reloads them). */
  readonly onFunction?: (logicalId: string, invoker: ReturnType<typeof startFunction>) => void;
}

/** One region's functions and mappings, created but not started, and its functions' cold starts. */
interface StartedRegion {
  readonly mappings: EventSourceMapping[];
  readonly coldStarts: Promise<ColdStart>[];
}

/**
 * Runs the template in one region: checks the endpoint answers, creates the tables on an endpoint that is not
 * AWS, finds every mapping's stream, and prepares a copy of each function with its mappings (started later, once
 * every cold start is done).
 */
const startRegion = async (
  run: RegionRun,
  template: LocalTemplate,
  overrides: Readonly<Record<string, string>>,
): Promise<StartedRegion> => {
  const { region } = template;
  const clientConfig = {
    endpoint: run.endpoint,
    region,
    ...(run.credentials === undefined ? {} : { credentials: run.credentials }),
  };
  const dynamodb = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  run.stopAll.push(async () => {
    dynamodb.destroy();
    streams.destroy();
  });
  if (run.emulator === undefined) await checkEndpoint(dynamodb, run.endpoint);
  // An endpoint that is not AWS (DynamoDB Local, another emulator) is treated as the embedded emulator is:
  // tables created from the template, failures to files.
  const emulated = run.kind !== 'aws';
  if (emulated) await createTables(dynamodb, template, run.print);
  const streamArns = await streamArnsOf({ dynamodb, streams }, template, {
    endpoint: run.endpoint,
    region,
    local: emulated,
    suffix: run.multiRegion ? `-${region}` : '',
  });
  const mappings: EventSourceMapping[] = [];
  const coldStarts: Promise<ColdStart>[] = [];
  for (const fn of template.functions) {
    if (fn.events.length === 0) continue;
    const label = run.multiRegion ? `${fn.logicalId}@${region}` : fn.logicalId;
    const invoker = startFunction(fn, template, {
      bundleUrl: run.bundles.get(fn.logicalId) as string,
      label,
      endpoint: { url: run.endpoint, kind: run.kind },
      workerUrl: run.workerUrl,
      credentials: run.credentials,
    });
    run.stopAll.push(() => invoker.close());
    run.onFunction?.(fn.logicalId, invoker);
    coldStarts.push(initWithin(invoker.prepare()).then((error) => ({ fn, label, error })));
    for (const event of fn.events) {
      mappings.push(mappingOf(run, { template, fn, event, label, streams, invoker }, streamArns));
    }
  }
  const peer = overrides[PEER_REGION_PARAMETER];
  const ids = mappings.map((mapping) => mapping.mappingId);
  run.print(
    `  ${region}${peer === undefined ? '' : ` (${PEER_REGION_PARAMETER} ${peer})`}: ` +
      `${ids.length} mapping${ids.length === 1 ? '' : 's'}${ids.length === 0 ? '' : ` ${ids.join(', ')}`}`,
  );
  return { mappings, coldStarts };
};

/**
 * One line with the fix when nothing answers at --endpoint or there is nothing to sign with; any answer of the
 * service (even AccessDenied) means the endpoint is fine.
 */
const checkEndpoint = async (dynamodb: DynamoDBClient, endpoint: string): Promise<void> => {
  await dynamodb.send(new ListTablesCommand({ Limit: 1 })).catch((error: unknown) => {
    const problem = endpointProblem(error, endpoint);
    if (problem !== undefined) throw new DevOptionsError(problem);
  });
};

/** The template's tables, created where missing (see `ensureTable`). */
const createTables = async (
  dynamodb: DynamoDBClient,
  template: LocalTemplate,
  print: (line: string) => void,
): Promise<void> => {
  const created = [];
  for (const table of template.tables) created.push(await ensureTable(dynamodb, table));
  print(`  ${template.region}: tables ${created.join(', ')}`);
};

/** The event source mapping of one `Type: DynamoDB` event of one copy of a function, watched by the monitor. */
const mappingOf = (
  run: RegionRun,
  of: {
    template: LocalTemplate;
    fn: FunctionDefinition;
    event: DynamoDBEventDefinition;
    label: string;
    streams: DynamoDBStreamsClient;
    invoker: ReturnType<typeof startFunction>;
  },
  streamArns: ReadonlyMap<DynamoDBEventDefinition, string>,
): EventSourceMapping => {
  const { template, fn, event, label } = of;
  const { region } = template;
  const emulated = run.kind !== 'aws';
  const config = resolveEventConfig(template.path, event.location, event.properties);
  const streamArn = streamArns.get(event) as string;
  const onFailure = onFailureDestination(event.properties, {
    local: emulated,
    failuresDir: run.multiRegion ? join(run.failuresDir, region) : run.failuresDir,
    ...(run.s3Dir === undefined ? {} : { s3Dir: run.s3Dir }),
  });
  const mappingId = `${fn.logicalId}-${event.name}${run.multiRegion ? `-${region}` : ''}`;
  const watched = run.monitor.watch(mappingId, () => mapping);
  // The dashboard hears what the monitor hears; registered once the mapping exists, before it starts.
  let shown: ReturnType<DashboardRegistry['addMapping']> | undefined;
  const failures: typeof watched = {
    error: (message) => {
      watched.error(message);
      shown?.error(message);
    },
    invocation: (report) => {
      watched.invocation(report);
      shown?.invocation(report);
    },
  };
  const emulator = run.emulator;
  const mapping = new EventSourceMapping({
    mappingId,
    ...(onFailure === undefined ? {} : { onFailure }),
    streamArn,
    config,
    client: of.streams,
    invoker: of.invoker,
    checkpoints: run.checkpoints,
    logger: failureLogger(failures, run.logger),
    // The monitor prints the metrics, in the console's words.
    metricsLogIntervalMs: 0,
    ...(run.pollIntervalMs === undefined ? {} : { pollIntervalMs: run.pollIntervalMs }),
    ...(emulator === undefined
      ? {}
      : {
          wakeUps: {
            subscribe: (listener: (shardId: string) => void) =>
              emulator.emulator.onRecords((e) => {
                if (e.streamArn === streamArn) listener(e.shardId);
              }),
          },
        }),
    onInvocation: (report) => {
      run.print(formatInvocation(label, report));
      failures.invocation(report);
      run.onInvocation?.(fn.logicalId, report, region);
    },
  });
  shown = run.dashboard?.addMapping({
    mappingId,
    region,
    functionLabel: label,
    streamArn,
    mapping,
    invoker: of.invoker,
    streams: of.streams,
    ...(onFailure === undefined ? {} : { onFailure }),
    ...(onFailure instanceof FileDestination ? { failuresFile: onFailure.destination } : {}),
  });
  run.stopAll.push(() => mapping.stop());
  for (const warning of loadedMappingWarnings(run.loaded, { mappingId, streamArn, config }, Date.now()))
    run.print(warning);
  // The settings are the template's, the same in every region: described once.
  const key = `${fn.logicalId} ← ${event.name}`;
  if (!run.described.has(key)) {
    run.described.add(key);
    const destination =
      onFailure === undefined
        ? ''
        : `, on failure → ${shownDestination(onFailure, {
            local: emulated,
            templatePath: run.templatePath,
            multiRegion: run.multiRegion,
            mapping: run.multiRegion ? `${fn.logicalId}-${event.name}-<region>` : mappingId,
          })}`;
    const filters = config.FilterCriteria?.Filters?.length ?? 0;
    run.print(
      `  ${key}: BatchSize ${config.BatchSize}, ${config.StartingPosition}${destination}` +
        `${config.ReportBatchItemFailures ? ', ReportBatchItemFailures' : ''}, MaximumRetryAttempts ${config.MaximumRetryAttempts}` +
        `${filters === 0 ? '' : `, FilterCriteria (${filters} pattern${filters === 1 ? '' : 's'})`}`,
    );
  }
  return mapping;
};

export type { RegionRun, StartedRegion };
export { startRegion };
