import { join, resolve } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { FileCheckpointStore } from '../../src/checkpoint/FileCheckpointStore.js';
import type { InvocationReport } from '../../src/runtime/observability/InvocationReport.js';
import { replay } from '../../src/runtime/replay.js';
import { liveRangeSource } from '../../src/runtime/sources/tape/liveRangeSource.js';
import { TapeSource } from '../../src/runtime/sources/tape/TapeSource.js';
import {
  parseRecordFrom,
  parseRecordUntil,
  type RecordFrom,
  type RecordUntil,
} from '../../src/tape/recordPositions.js';
import { TapeFormatError } from '../../src/tape/TapeFormatError.js';
import type { JobProgress } from '../dashboard/ProgressSource.js';
import { endpointKind } from '../dev/endpointKind.js';
import { formatInvocation } from '../dev/formatInvocation.js';
import { type AwsClients, awsClients, CommandError, requestProblem } from './awsClients.js';
import { DashboardReporter } from './DashboardReporter.js';
import { EXIT_CODES } from './exitCodes.js';
import { FreshRecords } from './FreshRecords.js';
import { guarded, interruptible } from './guarded.js';
import { parseSet, replayTarget, stubCredentialsFor } from './replayTarget.js';

interface ReplayFlags {
  table?: string;
  from?: RecordFrom;
  until?: RecordUntil;
  function?: string;
  template: string;
  handler?: string;
  endpoint?: string;
  region?: string;
  set: Record<string, unknown>;
  speed: number | 'max';
  dryRun: boolean;
  stateDir?: string;
}

/** Commander calls these with the flag's text; their RangeError already names the flag. */
const asArgument =
  <T>(parse: (text: string) => T) =>
  (text: string): T => {
    try {
      return parse(text);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message.replace(/^--\w+ \S+: /, ''));
    }
  };

const parseSpeed = (text: string): number | 'max' => {
  if (text.trim().toLowerCase() === 'max') return 'max';
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('max, or a number greater than 0 (e.g. 10: ten times the recorded pace)');
  return n;
};

const usage = (message: string) => new CommandError(`eddy replay: ${message}`, EXIT_CODES.usage);

/** The table's current stream (DescribeTable's LatestStreamArn) for `--table`. */
const streamOfTable = async (table: string, clients: AwsClients, flags: ReplayFlags): Promise<string> => {
  try {
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.LatestStreamArn === undefined || Table.StreamSpecification?.StreamEnabled === false)
      throw new CommandError(
        `eddy replay: table ${table} has no stream at ${flags.endpoint ?? 'AWS'} (region ${clients.region})`,
        EXIT_CODES.missingResource,
      );
    return Table.LatestStreamArn;
  } catch (error) {
    throw requestProblem('eddy replay', error, flags, `table ${table} (region ${clients.region})`) ?? error;
  }
};

/** A dry run's line per batch: what would be invoked, where. */
const batchLine = (report: InvocationReport): string =>
  `  ${report.shardId}: ${report.records} record${report.records === 1 ? '' : 's'}, ` +
  `${report.firstSequenceNumber}..${report.lastSequenceNumber}`;

const run = async (tape: string | undefined, flags: ReplayFlags, command: Command): Promise<void> => {
  if ((tape === undefined) === (flags.table === undefined))
    command.error('eddy replay: give a TAPE file or --table NAME --from … --until … (one of them)', {
      exitCode: EXIT_CODES.usage,
    });
  if (tape !== undefined && (flags.from !== undefined || flags.until !== undefined))
    command.error('eddy replay: --from and --until choose a range of --table; a TAPE is replayed whole', {
      exitCode: EXIT_CODES.usage,
    });
  let clients: AwsClients | undefined;
  let close: () => Promise<void> = async () => undefined;
  let reporter: DashboardReporter | undefined;
  /** What the dashboard of an Eddy emulator at --endpoint is told (see DashboardReporter). */
  const tally = { replayed: 0, invocations: 0, failed: 0, discarded: 0, total: 0 };
  const jobProgress = (state: JobProgress['state'] = 'running', detail?: string): JobProgress => ({
    state,
    done: tally.replayed,
    total: tally.total,
    unit: 'records',
    figures: {
      invocations: tally.invocations,
      'failed invocations': tally.failed,
      discarded: tally.discarded,
    },
    ...(detail === undefined ? {} : { detail }),
  });
  const stop = interruptible('eddy replay', 'finishing the batches in flight');
  try {
    const needsClients = flags.table !== undefined || flags.endpoint !== undefined;
    if (needsClients) {
      const live = await awsClients('eddy replay', flags);
      clients = live;
      reporter = new DashboardReporter({
        endpoint: flags.endpoint,
        name: `replay ${tape ?? `${flags.table} ${flags.from?.text ?? 'trim-horizon'}..${flags.until?.text ?? 'now'}`}`,
        kind: 'replay',
        region: live.region,
        credentials: () => live.dynamodb.config.credentials(),
      });
      reporter.watch(live.dynamodb);
      reporter.watch(live.streams);
    }
    const region = clients?.region ?? flags.region ?? process.env.AWS_REGION ?? 'us-east-1';
    const sourceOptions = { speed: flags.speed };
    let source: TapeSource;
    if (tape !== undefined) {
      source = await TapeSource.load(resolve(tape), sourceOptions).catch((error: unknown) => {
        if (error instanceof TapeFormatError) throw usage(error.message);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw usage(`${tape}: no such file`);
        throw error;
      });
    } else {
      const live = clients as AwsClients;
      const streamArn = await streamOfTable(flags.table as string, live, flags);
      const from = flags.from ?? parseRecordFrom('trim-horizon');
      const until = flags.until ?? parseRecordUntil('now');
      if (until.kind === 'follow')
        throw usage('--until follow: a replayed range ends; give now or an ISO-8601 time');
      console.log(`eddy replay: reading ${streamArn} from ${from.text} until ${until.text}…`);
      source = await liveRangeSource({
        client: live.streams,
        streamArn,
        from,
        until,
        signal: stop.signal,
        ...sourceOptions,
        ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
      }).catch((error: unknown) => {
        throw requestProblem('eddy replay', error, flags, `stream ${streamArn}`) ?? error;
      });
    }
    const kind = endpointKind(flags.endpoint);
    const target = await replayTarget({
      command: 'eddy replay',
      ...(flags.function === undefined ? {} : { function: flags.function }),
      ...(flags.handler === undefined ? {} : { handler: flags.handler }),
      template: flags.template,
      settings: flags.set,
      dryRun: flags.dryRun,
      region,
      tableName: source.header.tableName,
      ...(clients === undefined || flags.endpoint === undefined ? {} : { dynamodb: clients.dynamodb }),
      print: (line) => console.log(line),
      ...(flags.endpoint === undefined ? {} : { endpoint: { url: flags.endpoint, kind } }),
      credentials: stubCredentialsFor(kind),
    });
    close = async () => {
      await target.close();
      await source.close();
    };
    const mappingId = `replay-${target.label}`;
    console.log(
      `eddy replay: ${source.recordCount} records of ${source.header.tableName} → ${flags.dryRun ? '(dry run) ' : ''}${target.label}` +
        ` (BatchSize ${target.config.BatchSize}, ParallelizationFactor ${target.config.ParallelizationFactor}, speed ${flags.speed})`,
    );
    tally.total = source.recordCount;
    if (clients !== undefined) await reporter?.identify(clients.dynamodb);
    reporter?.update(jobProgress());
    const fresh = new FreshRecords();
    const oldest = source.oldestCreatedAt;
    const maxAge = target.config.MaximumRecordAgeInSeconds;
    if (maxAge !== -1 && oldest !== undefined && Date.now() - oldest > maxAge * 1000)
      console.log(
        `eddy replay: warning: MaximumRecordAgeInSeconds ${maxAge} counts from now, as Lambda counts it, and the ` +
          'oldest records are older: they are discarded unprocessed; pass --set MaximumRecordAgeInSeconds=-1 to replay them',
      );
    const summary = await replay({
      source,
      // A dry run goes through the same stages (filters, batching, lanes) with a function that succeeds at once.
      invoker: target.invoker ?? {
        functionName: target.label,
        // A state object: a tumbling window's invocation without one counts as failed.
        invoke: async () => ({ state: {}, batchItemFailures: [] }),
      },
      config: target.config,
      mappingId,
      ...(flags.stateDir === undefined
        ? {}
        : { checkpoints: new FileCheckpointStore(join(resolve(flags.stateDir), 'replay-checkpoints.json')) }),
      ...(target.onFailure === undefined || flags.dryRun ? {} : { onFailure: target.onFailure }),
      signal: stop.signal,
      onInvocation: (report) => {
        console.log(flags.dryRun ? batchLine(report) : formatInvocation(target.label, report));
        tally.replayed += fresh.count(report);
        tally.invocations += 1;
        if (report.outcome !== 'success') tally.failed += 1;
        tally.discarded += report.discarded ?? 0;
        reporter?.update(jobProgress());
      },
    });
    // Records the filters let through are all that reach the function: at the end, every record read counts.
    tally.replayed = summary.records;
    await reporter?.end(
      jobProgress(
        summary.completed && summary.discarded === 0 ? 'done' : 'failed',
        summary.completed
          ? `${summary.filteredOut} filtered out${summary.discarded > 0 ? `, ${summary.discarded} discarded` : ''}`
          : 'stopped by a signal',
      ),
    );
    const seconds = summary.durationMs / 1000;
    const rate = Number.isFinite(summary.recordsPerSecond)
      ? Math.round(summary.recordsPerSecond)
      : summary.records;
    console.log(
      `eddy replay: ${summary.completed ? 'done' : 'stopped by a signal'}: ${summary.records} records, ` +
        `${summary.invocations} ${flags.dryRun ? 'batches' : 'invocations'}, ${summary.failures} failed, ` +
        `${summary.discarded} discarded, ${summary.filteredOut} filtered out${summary.superseded > 0 ? `, ${summary.superseded} skipped as already applied` : ''} in ${seconds.toFixed(2)} s (${rate} records/s)` +
        (summary.discarded > 0 && target.onFailure !== undefined
          ? `; failures in ${target.onFailure.destination}`
          : ''),
    );
    if (!summary.completed || summary.discarded > 0) process.exitCode = EXIT_CODES.failure;
  } catch (error) {
    // The dashboard shows the job failed, with the command's own message (a no-op once it ended, or off Eddy).
    await reporter?.end(jobProgress('failed', (error as Error).message.slice(0, 1000)));
    throw error;
  } finally {
    stop.dispose();
    await close();
    clients?.destroy();
  }
};

/**
 * Adds `eddy replay` to the CLI: a tape, or a bounded range of a live stream, through a function with the same
 * runtime as live processing (`replay` in eddy/runtime), its own checkpoints, and a summary with an exit code.
 *
 * @example
 * addReplayCommand(program); // eddy replay orders.tape.ndjson.gz --function OrdersProjectionFunction --endpoint http://localhost:8000
 */
const addReplayCommand = (program: Command): void => {
  program
    .command('replay')
    .description(
      'replay a tape, or a range of a live stream, through a function with the same runtime and settings as live',
    )
    .argument('[tape]', 'the tape to replay (NDJSON, gzip or not), as `eddy record` writes it')
    .option('--table <name>', "instead of a tape: a range of this table's stream (with --from, --until)")
    .addOption(
      new Option(
        '--from <position>',
        'with --table: trim-horizon (default), latest, an ISO time or a sequence number',
      ).argParser(asArgument(parseRecordFrom)),
    )
    .addOption(
      new Option('--until <position>', 'with --table: now (default) or an ISO time').argParser(
        asArgument(parseRecordUntil),
      ),
    )
    .option(
      '--function <logicalId>',
      'the function of --template to replay into, built as eddy dev builds it',
    )
    .option('--template <file>', 'the SAM template of --function', 'template.yaml')
    .option('--handler <file#export>', 'instead of --function: a module and its handler export')
    .option(
      '--endpoint <url>',
      'where the stream (--table) and the tables the function writes to are (the emulator, DynamoDB Local); AWS when absent',
    )
    .option('--region <region>', "the region of --endpoint (default: AWS_REGION or your profile's)")
    .addOption(
      new Option(
        '--set <name=value>',
        "override a mapping setting of the function's event (repeatable), e.g. BatchSize=500",
      )
        .argParser(parseSet)
        .default({}, 'none'),
    )
    .addOption(
      new Option('--speed <n|max>', 'max: as fast as the function takes them; N: N times the recorded pace')
        .argParser(parseSpeed)
        .default('max'),
    )
    .option(
      '--dry-run',
      'print the batches that would be invoked (shard, count, sequence numbers); invoke nothing',
      false,
    )
    .option(
      '--state-dir <dir>',
      "keep the replay's checkpoints in DIR/replay-checkpoints.json (resume a stopped replay)",
    )
    .action(
      guarded((tape: string | undefined, flags: ReplayFlags, command: Command) => run(tape, flags, command)),
    );
};

export { addReplayCommand };
