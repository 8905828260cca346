import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
import { AccessKeys, type EmulatorCredential } from '../emulator/server/AccessKeys.js';
import { type RunningEmulator, startEmulator } from '../emulator/startEmulator.js';
import { buildFunction } from '../functions/buildFunction.js';
import { WorkerInvoker } from '../functions/WorkerInvoker.js';
import { workerEntry } from '../functions/workerEntry.js';
import { loadTemplate } from '../template/loadTemplate.js';
import { TemplateError } from '../template/TemplateError.js';
import type { FunctionDefinition, LocalTemplate } from '../template/types.js';
import { formatInvocation } from './formatInvocation.js';

interface StartDevOptions {
  readonly templatePath: string;
  readonly host?: string;
  /** @default 8000 */
  readonly port?: number;
  /** Consume the streams of this endpoint (real AWS, DynamoDB Local) instead of starting the emulator. */
  readonly endpoint?: string;
  readonly region?: string;
  /** Keep checkpoints in this folder so a restart resumes; in memory otherwise. */
  readonly stateDir?: string;
  /** Folder of the functions' bundles. @default <template folder>/.eddy/build */
  readonly buildDir?: string;
  readonly print?: (line: string) => void;
  readonly logger?: Logger;
  readonly onInvocation?: (functionName: string, report: InvocationReport) => void;
  /** Milliseconds between polls of each shard. @default 250, Lambda's rate */
  readonly pollIntervalMs?: number;
  /** The emulator verifies SigV4 signatures against `credentials` (see `StartEmulatorOptions`). */
  readonly requireSignature?: boolean;
  /**
   * Access keys of the emulator. The first one also signs eddy's own clients and the functions' SDK calls,
   * and its account is the template's (`AWS::AccountId`), so ARNs match the tables eddy creates.
   */
  readonly credentials?: readonly EmulatorCredential[];
}

interface DevSession {
  readonly endpoint: string;
  readonly region: string;
  readonly template: LocalTemplate;
  readonly mappings: readonly EventSourceMapping[];
  stop(): Promise<void>;
}

const DUMMY_CREDENTIALS = { accessKeyId: 'eddy', secretAccessKey: 'eddy' };

/**
 * `eddy dev`: reads template.yaml, starts the emulator, creates the template's tables, bundles each function and
 * runs one event source mapping per `Type: DynamoDB` event with the template's settings.
 */
const startDev = async (options: StartDevOptions): Promise<DevSession> => {
  const print = options.print ?? ((line: string) => console.log(line));
  const own = options.endpoint === undefined ? options.credentials?.[0] : undefined;
  const localCredentials =
    own === undefined
      ? DUMMY_CREDENTIALS
      : { accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey };
  const accountId =
    own === undefined ? undefined : new AccessKeys(options.credentials).accountFor(own.accessKeyId);
  const template = await loadTemplate(options.templatePath, {
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(accountId === undefined ? {} : { accountId }),
  });
  const region = template.region;
  let emulator: RunningEmulator | undefined;
  let endpoint = options.endpoint;
  if (endpoint === undefined) {
    emulator = await startEmulator({
      ...(options.host === undefined ? {} : { host: options.host }),
      port: options.port ?? 8000,
      ...(options.requireSignature === undefined ? {} : { requireSignature: options.requireSignature }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
    endpoint = emulator.endpoint;
  }
  const stopAll: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stopAll.reverse()) await step();
  };
  try {
    const local = emulator !== undefined;
    const clientConfig = { endpoint, region, ...(local ? { credentials: localCredentials } : {}) };
    const dynamodb = new DynamoDBClient(clientConfig);
    const streams = new DynamoDBStreamsClient(clientConfig);
    stopAll.push(async () => {
      dynamodb.destroy();
      streams.destroy();
    });
    if (emulator !== undefined) {
      const running = emulator;
      stopAll.unshift(() => running.close());
      print(`eddy dev: emulator listening on ${endpoint} (region ${region})`);
      for (const table of template.tables) {
        // Through the SDK, over HTTP: tables are created exactly as any client would create them.
        await dynamodb.send(new CreateTableCommand(table.createTableInput as never));
        const stream = (table.createTableInput.StreamSpecification as { StreamViewType?: string } | undefined)
          ?.StreamViewType;
        print(
          `  table ${String(table.createTableInput.TableName)}${stream === undefined ? '' : ` (stream ${stream})`}`,
        );
      }
    } else {
      print(`eddy dev: consuming streams at ${endpoint} (region ${region})`);
    }

    const checkpoints: CheckpointStore =
      options.stateDir === undefined
        ? new MemoryCheckpointStore()
        : new FileCheckpointStore(join(options.stateDir, 'checkpoints.json'));
    const buildDir = options.buildDir ?? join(template.path, '..', '.eddy', 'build');
    const mappings: EventSourceMapping[] = [];
    const workerUrl = await workerEntry(buildDir);
    for (const fn of template.functions) {
      if (fn.events.length === 0) continue;
      const invoker = await startFunction(fn, template, {
        endpoint,
        local,
        buildDir,
        workerUrl,
        credentials: localCredentials,
      });
      stopAll.push(() => invoker.close());
      for (const event of fn.events) {
        const config = resolveEventConfig(template, event.location, event.properties);
        const streamArn =
          event.streamArn ??
          (await latestStreamArn(dynamodb, template, event.tableLogicalId, event.location));
        const onFailure = onFailureDestination(event.properties, {
          local,
          failuresDir: join(buildDir, '..', 'failures'),
        });
        const mapping = new EventSourceMapping({
          mappingId: `${fn.logicalId}-${event.name}`,
          ...(onFailure === undefined ? {} : { onFailure }),
          streamArn,
          config,
          client: streams,
          invoker,
          checkpoints,
          ...(options.logger === undefined ? {} : { logger: options.logger }),
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
            print(formatInvocation(fn.logicalId, report));
            options.onInvocation?.(fn.logicalId, report);
          },
        });
        mapping.start();
        stopAll.push(() => mapping.stop());
        mappings.push(mapping);
        print(
          `  ${fn.logicalId} ← ${event.name}: BatchSize ${config.BatchSize}, ${config.StartingPosition}` +
            `${onFailure === undefined ? '' : `, on failure → ${onFailure.destination}`}` +
            `${config.ReportBatchItemFailures ? ', ReportBatchItemFailures' : ''}, MaximumRetryAttempts ${config.MaximumRetryAttempts}`,
        );
      }
    }
    return { endpoint, region, template, mappings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

/**
 * DestinationConfig.OnFailure: on the emulator there is no SQS or SNS, so failure records go to a local NDJSON
 * file named after the destination (`.eddy/failures/<name>.ndjson`); against real streams, to the real queue or
 * topic through the AWS SDK.
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

const latestStreamArn = async (
  dynamodb: DynamoDBClient,
  template: LocalTemplate,
  tableLogicalId: string,
  location: string,
): Promise<string> => {
  const table = template.tables.find((t) => t.logicalId === tableLogicalId);
  const tableName = String(table?.createTableInput.TableName ?? tableLogicalId);
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.LatestStreamArn === undefined || Table.StreamSpecification?.StreamEnabled !== true) {
    throw new TemplateError(template.path, `${location}.Stream`, `table ${tableName} has no enabled stream`);
  }
  return Table.LatestStreamArn;
};

/** Bundles the function and prepares its execution environment with Lambda's reserved variables. */
const startFunction = async (
  fn: FunctionDefinition,
  template: LocalTemplate,
  where: {
    endpoint: string;
    local: boolean;
    buildDir: string;
    workerUrl: URL;
    credentials: { accessKeyId: string; secretAccessKey: string };
  },
): Promise<WorkerInvoker> => {
  const entryPoint = fn.build.entryPoints[0];
  if (entryPoint === undefined)
    throw new TemplateError(template.path, `Resources.${fn.logicalId}`, 'no entry point to build');
  const bundleUrl = await buildFunction({
    logicalId: fn.logicalId,
    entryPoint,
    properties: fn.build.properties,
    outDir: where.buildDir,
  });
  const exportName = fn.handler.slice(fn.handler.lastIndexOf('.') + 1);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('AWS_ENDPOINT_URL'),
    ),
  );
  return new WorkerInvoker({
    functionName: fn.functionName,
    workerUrl: where.workerUrl,
    bundleUrl,
    exportName,
    timeoutSeconds: fn.timeoutSeconds,
    memoryLimitInMB: fn.memorySize,
    region: template.region,
    accountId: template.accountId,
    environment: {
      ...inherited,
      AWS_REGION: template.region,
      AWS_DEFAULT_REGION: template.region,
      AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      // The function's own SDK clients reach the emulator through the standard endpoint variable.
      ...(where.local
        ? {
            AWS_ENDPOINT_URL: where.endpoint,
            AWS_ACCESS_KEY_ID: where.credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: where.credentials.secretAccessKey,
          }
        : {}),
      ...fn.environment,
    },
    output: (line) => console.log(`[${fn.logicalId}] ${line}`),
  });
};

export type { DevSession, StartDevOptions };
export { startDev };
