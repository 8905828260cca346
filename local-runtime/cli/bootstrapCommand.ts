import { join, resolve } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { type Command, InvalidArgumentError } from 'commander';
import type { CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';
import { FileCheckpointStore } from '../../src/checkpoint/FileCheckpointStore.js';
import { MemoryCheckpointStore } from '../../src/checkpoint/MemoryCheckpointStore.js';
import { type BootstrapProgress, bootstrap } from '../../src/runtime/bootstrap.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { BootstrapRetentionError } from '../../src/runtime/errors/BootstrapRetentionError.js';
import type { JobProgress } from '../dashboard/ProgressSource.js';
import { endpointKind } from '../dev/endpointKind.js';
import { formatInvocation } from '../dev/formatInvocation.js';
import { loadDevTemplates } from '../dev/loadDevTemplates.js';
import type { TemplateError } from '../template/TemplateError.js';
import { type AwsClients, awsClients, CommandError, requestProblem } from './awsClients.js';
import { DashboardReporter } from './DashboardReporter.js';
import { EXIT_CODES } from './exitCodes.js';
import { guarded, interruptible } from './guarded.js';
import { ProgressDisplay } from './ProgressDisplay.js';
import { parseSet, type ReplayTarget, replayTarget, stubCredentialsFor } from './replayTarget.js';

interface BootstrapFlags {
  function: string;
  template: string;
  table?: string;
  endpoint?: string;
  region?: string;
  segments: number;
  creationTimeGranularity: number;
  handover: 'cut' | 'trim-horizon';
  stateDir?: string;
  set: Record<string, unknown>;
  live: boolean;
  verbose: boolean;
}

const COMMAND = 'eddy bootstrap';
const usage = (message: string) => new CommandError(`${COMMAND}: ${message}`, EXIT_CODES.usage);

const parseGranularity = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 3600)
    throw new InvalidArgumentError('an integer from 1 to 3600 (seconds; 60 for DynamoDB Local)');
  return n;
};

const parseHandover = (text: string): 'cut' | 'trim-horizon' => {
  if (text !== 'cut' && text !== 'trim-horizon')
    throw new InvalidArgumentError(
      "'cut' (after the cut: projections, aggregates) or 'trim-horizon' (replicate)",
    );
  return text;
};

const parseSegments = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
    throw new InvalidArgumentError('an integer from 1 to 1000000 (parallel Scan segments)');
  return n;
};

/**
 * The function's table, and the mapping id `eddy dev` gives its event (`<LogicalId>-<EventName>`), so a later
 * `eddy dev --state-dir DIR` continues from the bootstrap's checkpoints.
 */
const functionEvent = async (
  flags: BootstrapFlags,
  region: string,
): Promise<{ readonly tableName: string; readonly mappingId: string }> => {
  const problems: TemplateError[] = [];
  const { first: template } = await loadDevTemplates({
    templatePath: resolve(flags.template),
    regions: [region],
    parameterOverrides: {},
    accountId: undefined,
    problems,
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw usage(`--template ${flags.template}: no such file`);
    throw error;
  });
  const fn = template.functions.find((f) => f.logicalId === flags.function);
  if (fn === undefined) {
    const known = template.functions.map((f) => f.logicalId);
    throw usage(
      `--function ${flags.function}: no function with a DynamoDB event in ${flags.template}` +
        (known.length === 0 ? '' : ` (there: ${known.join(', ')})`),
    );
  }
  const tableOf = (logicalId: string | undefined) =>
    template.tables.find((t) => t.logicalId === logicalId)?.createTableInput.TableName as string | undefined;
  const events = fn.events.map((event) => ({ event, tableName: tableOf(event.tableLogicalId) }));
  const chosen =
    flags.table === undefined
      ? events.length === 1
        ? events[0]
        : undefined
      : events.find((e) => e.tableName === flags.table);
  if (chosen === undefined || chosen.tableName === undefined)
    throw usage(
      flags.table === undefined
        ? `--function ${fn.logicalId} has ${events.length} DynamoDB events (${events.map((e) => `${e.event.name} on ${e.tableName ?? '?'}`).join(', ')}): choose one with --table NAME`
        : `--function ${fn.logicalId} has no DynamoDB event on table ${flags.table} (its tables: ${events.map((e) => e.tableName ?? '?').join(', ')})`,
    );
  return { tableName: chosen.tableName, mappingId: `${fn.logicalId}-${chosen.event.name}` };
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One progress line: segments, items scanned, rows emitted, rows superseded by the stream, stream lag. */
const progressLine = (p: BootstrapProgress): string =>
  `${COMMAND}: segments ${p.segmentsDone}/${p.segments} done, ${p.scanned} items scanned, ${p.emitted} rows emitted, ` +
  `${p.superseded} superseded by the stream (${p.streamBases} states from it), ${p.tracked} changes since the cut, ` +
  `stream lag ${seconds(p.streamLagMs)}, cut ${seconds(p.behindCutMs)} ago`;

/** The progress as an Eddy emulator's dashboard shows it (see DashboardReporter). */
const jobProgress = (
  p: BootstrapProgress,
  state: JobProgress['state'] = 'running',
  detail?: string,
): JobProgress => ({
  state,
  done: p.segmentsDone,
  total: p.segments,
  unit: 'segments',
  figures: {
    'items scanned': p.scanned,
    'rows emitted': p.emitted,
    'superseded by the stream': p.superseded,
    'changes since the cut': p.tracked,
    'stream lag (ms)': p.streamLagMs,
  },
  ...(detail === undefined ? {} : { detail }),
});

/** The stream would trim records before the bootstrap reads them: told as the command's failure (exit 1). */
const retentionProblem = (error: unknown): CommandError | undefined =>
  error instanceof BootstrapRetentionError
    ? new CommandError(`${COMMAND}: ${error.message}`, EXIT_CODES.failure)
    : undefined;

const run = async (flags: BootstrapFlags): Promise<void> => {
  let clients: AwsClients | undefined;
  let target: ReplayTarget | undefined;
  let reporter: DashboardReporter | undefined;
  let latest: BootstrapProgress | undefined;
  const stop = interruptible(COMMAND, 'finishing the batches in flight');
  const display = new ProgressDisplay(process.stdout, 2000, progressLine);
  const print = (line: string) => {
    display.finish();
    console.log(line);
  };
  try {
    clients = await awsClients(COMMAND, flags);
    const { tableName, mappingId } = await functionEvent(flags, clients.region);
    const dynamodb = clients.dynamodb;
    reporter = new DashboardReporter({
      endpoint: flags.endpoint,
      name: `bootstrap ${flags.function} (${tableName})`,
      kind: 'bootstrap',
      region: clients.region,
      credentials: () => dynamodb.config.credentials(),
    });
    reporter.watch(clients.dynamodb);
    reporter.watch(clients.streams);
    const kind = endpointKind(flags.endpoint);
    target = await replayTarget({
      command: COMMAND,
      function: flags.function,
      template: flags.template,
      settings: flags.set,
      dryRun: false,
      region: clients.region,
      tableName,
      ...(flags.endpoint === undefined ? {} : { dynamodb: clients.dynamodb }),
      print,
      ...(flags.endpoint === undefined ? {} : { endpoint: { url: flags.endpoint, kind } }),
      credentials: stubCredentialsFor(kind),
    });
    const invoker = target.invoker;
    if (invoker === undefined) throw new Error(`${COMMAND}: the function was not started`);
    // The same file and ids as `eddy dev --state-dir DIR`, so it continues from where this stops.
    const checkpoints: CheckpointStore =
      flags.stateDir === undefined
        ? new MemoryCheckpointStore()
        : new FileCheckpointStore(join(resolve(flags.stateDir), 'checkpoints.json'));
    print(
      `${COMMAND}: ${tableName} → ${target.label} (mapping ${mappingId}, ${flags.segments} segments, ` +
        `BatchSize ${target.config.BatchSize})${flags.stateDir === undefined ? '' : `, state in ${flags.stateDir}`}`,
    );
    const summary = await bootstrap({
      tableName,
      mappingId,
      dynamodb: clients.dynamodb,
      streams: clients.streams,
      invoker,
      config: target.config,
      checkpoints,
      segments: flags.segments,
      creationTimeGranularitySeconds: flags.creationTimeGranularity,
      handover: flags.handover === 'trim-horizon' ? 'trimHorizon' : 'cut',
      ...(target.onFailure === undefined ? {} : { onFailure: target.onFailure }),
      signal: stop.signal,
      progressIntervalMs: 500,
      onProgress: (p) => {
        latest = p;
        display.update(p);
        reporter?.update(jobProgress(p));
      },
      ...(flags.verbose
        ? { onInvocation: (report) => print(formatInvocation(target?.label ?? '', report)) }
        : {}),
    }).catch((error: unknown) => {
      if (error instanceof Error && /^bootstrap: table .* has no stream/.test(error.message))
        throw new CommandError(
          `${COMMAND}: ${error.message.slice('bootstrap: '.length)} (at ${flags.endpoint ?? 'AWS'}, region ${clients?.region})`,
          EXIT_CODES.missingResource,
        );
      throw requestProblem(COMMAND, error, flags, `table ${tableName} (region ${clients?.region})`) ?? error;
    });
    await reporter.end(
      jobProgress(
        summary,
        summary.completed || summary.alreadyDone ? 'done' : 'failed',
        summary.alreadyDone
          ? 'bootstrapped before'
          : !summary.completed
            ? 'stopped by a signal; run the same command again to resume'
            : flags.live
              ? 'handed over to live processing'
              : undefined,
      ),
    );
    if (summary.alreadyDone) print(`${COMMAND}: ${mappingId} was bootstrapped before; continuing live`);
    else if (!summary.completed) {
      print(`${COMMAND}: stopped by a signal; run the same command again to resume`);
      return;
    } else
      print(
        `${COMMAND}: done: ${summary.scanned} items scanned, ${summary.emitted} rows emitted, ` +
          `${summary.superseded} superseded by the stream (${summary.streamBases} states from it); ` +
          `${summary.tracked} changes since the cut go to the live mapping`,
      );
    if (!flags.live) return;
    print(`${COMMAND}: handed over: processing ${summary.streamArn} live (Ctrl-C stops)`);
    const live = new EventSourceMapping({
      mappingId,
      streamArn: summary.streamArn,
      client: new DynamoDBStreamsClient({
        region: clients.region,
        ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
        credentials: await clients.streams.config.credentials(),
      }),
      invoker,
      // Shards without a checkpoint hold only changes since the cut: read from their start.
      config: { ...target.config, StartingPosition: 'TRIM_HORIZON' },
      checkpoints,
      metricsLogIntervalMs: 0,
      ...(target.onFailure === undefined ? {} : { onFailure: target.onFailure }),
      onInvocation: (report) => print(formatInvocation(target?.label ?? '', report)),
    });
    live.start();
    await new Promise<void>((resolveStop) => {
      if (stop.signal.aborted) resolveStop();
      stop.signal.addEventListener('abort', () => resolveStop(), { once: true });
    });
    await live.stop();
    print(`${COMMAND}: stopped`);
  } catch (error) {
    // The dashboard shows the job failed, with the command's own message (a no-op once it ended, or off Eddy).
    await reporter?.end({
      ...(latest === undefined
        ? { state: 'failed', done: 0, unit: 'segments' }
        : jobProgress(latest, 'failed')),
      state: 'failed',
      detail: (error as Error).message.slice(0, 1000),
    });
    throw error;
  } finally {
    display.finish();
    stop.dispose();
    await target?.close();
    clients?.destroy();
  }
};

/**
 * Adds `eddy bootstrap` to the CLI: builds a function's read model from its table's contents plus its stream
 * (`bootstrap` in eddy/runtime), then hands over to live processing from the bootstrap's checkpoints.
 *
 * @example
 * addBootstrapCommand(program); // eddy bootstrap --function OrdersProjectionFunction --endpoint http://localhost:8000 --state-dir .eddy/state
 */
const addBootstrapCommand = (program: Command): void => {
  program
    .command('bootstrap')
    .description(
      "build a function's read model from its table's contents plus its stream, exact per item, then process the stream live",
    )
    .requiredOption(
      '--function <logicalId>',
      'the function of --template to bootstrap, built as eddy dev builds it',
    )
    .option('--template <file>', 'the SAM template of --function', 'template.yaml')
    .option('--table <name>', 'the table to bootstrap from, when the function reads several')
    .option(
      '--endpoint <url>',
      'where the table and its stream are (the emulator, DynamoDB Local); AWS when absent',
    )
    .option('--region <region>', "the region (default: AWS_REGION or your profile's)")
    .option('--segments <n>', 'parallel Scan segments (fixed by the first run)', parseSegments, 4)
    .option(
      '--creation-time-granularity <seconds>',
      "what the source floors stream records' ApproximateCreationDateTime to: 1 on DynamoDB and the emulator, 60 on DynamoDB Local",
      parseGranularity,
      1,
    )
    .option(
      '--handover <where>',
      "where live processing starts: 'cut' (right after the snapshot's cut; projections, aggregates) or 'trim-horizon' (the stream's start; replicate, adding a region while both write)",
      parseHandover,
      'cut',
    )
    .option(
      '--state-dir <dir>',
      'keep the progress and the checkpoints in DIR/checkpoints.json: resume after a crash, and `eddy dev --state-dir DIR` continues from them',
    )
    .option(
      '--set <name=value>',
      "override a mapping setting of the function's event (repeatable), e.g. BatchSize=500",
      parseSet,
      {},
    )
    .option('--no-live', 'exit once the snapshot is processed and the checkpoints are written')
    .option('--verbose', 'print every invocation of the snapshot', false)
    .action(guarded((flags: BootstrapFlags) => run(flags), retentionProblem));
};

export { addBootstrapCommand };
