import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseStreamArn } from '../../src/records/arn.js';
import type { FailedRange } from '../../src/redrive/FailedRange.js';
import { FailureRecordError } from '../../src/redrive/parseFailureRecord.js';
import {
  failedRangesInFile,
  failedRangesInQueue,
  failedRangesInS3,
} from '../../src/redrive/readFailureRecords.js';
import { redrive } from '../../src/runtime/redrive.js';
import type { JobProgress } from '../dashboard/ProgressSource.js';
import { endpointKind } from '../dev/endpointKind.js';
import { formatInvocation } from '../dev/formatInvocation.js';
import { type AwsClients, awsClients, CommandError } from './awsClients.js';
import { DashboardReporter } from './DashboardReporter.js';
import { EXIT_CODES } from './exitCodes.js';
import { FreshRecords } from './FreshRecords.js';
import { guarded, interruptible } from './guarded.js';
import { ProgressDisplay } from './ProgressDisplay.js';
import { parseSet, replayTarget, stubCredentialsFor } from './replayTarget.js';

interface RedriveFlags {
  function?: string;
  template: string;
  handler?: string;
  endpoint?: string;
  region?: string;
  set: Record<string, unknown>;
  dryRun: boolean;
  rate?: number;
  progressInterval: number;
}

/** Where a redrive is: ranges read, records to send and sent, skipped as already applied, failed again. */
interface RedriveProgress {
  readonly ranges: number;
  readonly rangesRead: number;
  readonly records: number;
  readonly sent: number;
  readonly skipped: number;
  readonly failed: number;
}

/**
 * One progress line of `eddy redrive`.
 *
 * @example
 * redriveProgressLine({ ranges: 3, rangesRead: 3, records: 300, sent: 120, skipped: 4, failed: 0 });
 * // 'eddy redrive: 3/3 ranges read, 120/300 records sent, 4 already applied, 0 failed again'
 */
const redriveProgressLine = (p: RedriveProgress): string =>
  `eddy redrive: ${p.rangesRead}/${p.ranges} ranges read, ${p.sent}/${p.records} records sent, ` +
  `${p.skipped} already applied, ${p.failed} failed again`;

/** The progress as an Eddy emulator's dashboard shows it (see DashboardReporter). */
const jobProgress = (
  p: RedriveProgress,
  state: JobProgress['state'] = 'running',
  detail?: string,
): JobProgress => ({
  state,
  done: p.rangesRead,
  total: p.ranges,
  unit: 'ranges',
  figures: {
    'records read': p.records,
    'records sent': p.sent,
    'already applied': p.skipped,
    'failed again': p.failed,
  },
  ...(detail === undefined ? {} : { detail }),
});

/** `--rate N`: records per second, above 0. */
const parseRate = (value: string): number => {
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate <= 0)
    throw new InvalidArgumentError(`records per second, a number above 0 (e.g. --rate 500); got ${value}`);
  return rate;
};

const usage = (message: string) => new CommandError(`eddy redrive: ${message}`, EXIT_CODES.usage);

/** What SOURCE names: an SQS queue URL, an S3 location (s3:// or a folder in the S3 layout), or a failures file. */
const sourceKind = (source: string): 'queue' | 's3' | 'file' => {
  if (/^https?:\/\/([^/]*\.)?sqs[.-]/.test(source) || /^https?:\/\/[^/]+\/\d{12}\/[^/]+$/.test(source))
    return 'queue';
  if (source.startsWith('s3://')) return 's3';
  if (existsSync(source) && statSync(source).isDirectory()) return 's3';
  return 'file';
};

/** The failed ranges SOURCE holds; a queue's come with the function that deletes each message once done. */
const rangesOf = async (
  source: string,
  flags: RedriveFlags,
  clients: AwsClients,
): Promise<{ ranges: FailedRange[]; done: Map<FailedRange, () => Promise<void>> }> => {
  const done = new Map<FailedRange, () => Promise<void>>();
  const config = {
    region: clients.region,
    ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
  };
  try {
    switch (sourceKind(source)) {
      case 'queue': {
        const sqs = new SQSClient(config);
        const received = await failedRangesInQueue(sqs, source);
        for (const { range, done: finish } of received) done.set(range, finish);
        return { ranges: received.map((r) => r.range), done };
      }
      case 's3':
        return { ranges: await failedRangesInS3(source, new S3Client(config)), done };
      default:
        if (!existsSync(source))
          throw usage(
            `${source}: no such file (give an on-failure file, e.g. .eddy/failures/<queue>.ndjson, an SQS queue URL, or an S3 location)`,
          );
        return { ranges: await failedRangesInFile(resolve(source)), done };
    }
  } catch (error) {
    if (error instanceof FailureRecordError) throw usage(error.message);
    throw error;
  }
};

const run = async (source: string, flags: RedriveFlags): Promise<void> => {
  let close: () => Promise<void> = async () => undefined;
  let clients: AwsClients | undefined;
  let reporter: DashboardReporter | undefined;
  /** The last progress, for the report of a failure. */
  let reported: RedriveProgress | undefined;
  const stop = interruptible('eddy redrive', 'finishing the batches in flight');
  const display = new ProgressDisplay(process.stderr, flags.progressInterval, redriveProgressLine);
  try {
    clients = await awsClients('eddy redrive', flags);
    const dynamodb = clients.dynamodb;
    reporter = new DashboardReporter({
      endpoint: flags.endpoint,
      name: `redrive ${source}`,
      kind: 'redrive',
      region: clients.region,
      credentials: () => dynamodb.config.credentials(),
    });
    reporter.watch(clients.dynamodb);
    reporter.watch(clients.streams);
    const { ranges, done } = await rangesOf(source, flags, clients);
    if (ranges.length === 0) {
      console.log(`eddy redrive: ${source} holds no failure records; nothing to do`);
      return;
    }
    const tables = new Set(ranges.map((r) => parseStreamArn(r.streamArn)?.tableName ?? ''));
    const kind = endpointKind(flags.endpoint);
    const target = await replayTarget({
      command: 'eddy redrive',
      ...(flags.function === undefined ? {} : { function: flags.function }),
      ...(flags.handler === undefined ? {} : { handler: flags.handler }),
      template: flags.template,
      settings: flags.set,
      dryRun: flags.dryRun,
      region: clients.region,
      tableName: [...tables][0] ?? '',
      ...(flags.endpoint === undefined ? {} : { dynamodb: clients.dynamodb }),
      print: (line) => console.log(line),
      ...(flags.endpoint === undefined ? {} : { endpoint: { url: flags.endpoint, kind } }),
      credentials: stubCredentialsFor(kind),
    });
    close = () => target.close();
    console.log(
      `eddy redrive: ${ranges.length} failure record${ranges.length === 1 ? '' : 's'} from ${source} → ${flags.dryRun ? '(dry run) ' : ''}${target.label}` +
        (flags.rate === undefined ? '' : ` at ${flags.rate} records/s at most`),
    );
    await reporter.identify(clients.dynamodb);
    let progress: RedriveProgress = {
      ranges: ranges.length,
      rangesRead: 0,
      records: 0,
      sent: 0,
      skipped: 0,
      failed: 0,
    };
    const update = (change: Partial<RedriveProgress>) => {
      progress = { ...progress, ...change };
      reported = progress;
      display.update(progress);
      reporter?.update(jobProgress(progress));
    };
    reporter.update(jobProgress(progress));
    const skipped = new Set<string>();
    const fresh = new FreshRecords();
    const say = (line: string) => {
      display.finish();
      console.log(line);
    };
    const summary = await redrive({
      ranges,
      client: clients.streams,
      invoker: target.invoker ?? {
        functionName: target.label,
        invoke: async () => ({ state: {}, batchItemFailures: [] }),
      },
      config: target.config,
      ...(flags.rate === undefined ? {} : { rate: flags.rate }),
      signal: stop.signal,
      ...(target.onFailure === undefined || flags.dryRun ? {} : { onFailure: target.onFailure }),
      onRange: (range, outcome) => {
        const where = `  ${range.from}: ${range.shardId} ${range.startSequenceNumber}..${range.endSequenceNumber}`;
        if (outcome.kind === 'lost') say(`${where}: lost: ${outcome.reason}`);
        else if (outcome.kind === 'duplicate') say(`${where}: named again; read once`);
        else {
          say(
            `${where}: ${outcome.records} record${outcome.records === 1 ? '' : 's'}` +
              (range.records === undefined ? ' read from the stream' : ' from the payload') +
              (outcome.mismatch === undefined ? '' : ` (${outcome.mismatch})`),
          );
          update({ rangesRead: progress.rangesRead + 1, records: progress.records + outcome.records });
        }
      },
      onInvocation: (report) => {
        if (!flags.dryRun) say(formatInvocation(target.label, report));
        for (const sequenceNumber of report.superseded ?? [])
          skipped.add(`${report.shardId}/${sequenceNumber}`);
        update({
          sent: progress.sent + fresh.count(report),
          skipped: skipped.size,
          failed: progress.failed + (report.discarded ?? 0),
        });
      },
    });
    display.finish();
    console.log(
      `eddy redrive: ${summary.completed ? 'done' : 'stopped'}: ${summary.read} of ${summary.ranges} ranges read, ` +
        `${summary.lost.length} lost, ${summary.records} records, ${summary.invocations} ${flags.dryRun ? 'batches' : 'invocations'}, ` +
        `${summary.failures} failed, ${summary.discarded} discarded, ` +
        `${summary.superseded} skipped as already applied (the view had moved past their keys)`,
    );
    const clean = summary.completed && summary.lost.length === 0 && summary.discarded === 0;
    await reporter.end(
      jobProgress(
        progress,
        clean ? 'done' : 'failed',
        !summary.completed
          ? 'stopped by a signal'
          : clean
            ? undefined
            : `${summary.lost.length} ranges lost, ${summary.discarded} records discarded`,
      ),
    );
    // A queue's messages are deleted once their ranges went through; what failed again stays for later.
    if (!flags.dryRun && summary.discarded === 0 && summary.completed) {
      const lost = new Set(summary.lost.map((l) => l.range));
      for (const [range, finish] of done) if (!lost.has(range)) await finish();
    }
    if (!clean) process.exitCode = EXIT_CODES.failure;
  } catch (error) {
    // The dashboard shows the job failed, with the command's own message (a no-op once it ended, or off Eddy).
    await reporter?.end({
      ...(reported === undefined ? { done: 0, unit: 'ranges' } : jobProgress(reported)),
      state: 'failed',
      detail: (error as Error).message.slice(0, 1000),
    });
    throw error;
  } finally {
    display.finish();
    stop.dispose();
    await close();
    clients?.destroy();
  }
};

/**
 * Adds `eddy redrive` to the CLI: the ranges an on-failure destination holds (a local failures file, an SQS
 * queue, an S3 location), read back from the stream (or from the S3 payload) and sent through the function
 * with its mapping's settings (`redrive` in eddy/runtime).
 *
 * @example
 * addRedriveCommand(program); // eddy redrive .eddy/failures/orders-dlq.ndjson --function OrdersProjectionFunction --endpoint http://localhost:8000
 */
const addRedriveCommand = (program: Command): void => {
  program
    .command('redrive')
    .description(
      "re-process what an on-failure destination holds: each failed range read back from its stream and sent through the function with its mapping's settings",
    )
    .argument(
      '<source>',
      'an on-failure file (eddy dev writes .eddy/failures/<queue>.ndjson), an SQS queue URL, or an S3 location (s3://bucket/prefix or a folder)',
    )
    .option(
      '--function <logicalId>',
      'the function of --template to send the records to, built as eddy dev builds it',
    )
    .option('--template <file>', 'the SAM template of --function', 'template.yaml')
    .option('--handler <file#export>', 'instead of --function: a module and its handler export')
    .option(
      '--endpoint <url>',
      'where the stream, the queue or bucket and the tables are (the emulator, DynamoDB Local); AWS when absent',
    )
    .option('--region <region>', "the region of --endpoint (default: AWS_REGION or your profile's)")
    .addOption(
      new Option('--set <name=value>', "override a mapping setting of the function's event (repeatable)")
        .argParser(parseSet)
        .default({}, 'none'),
    )
    .option('--dry-run', 'read the ranges and print the batches; invoke nothing, delete no message', false)
    .option(
      '--rate <records/s>',
      'send at most this many records a second on average (spares the tables the function writes to)',
      parseRate,
    )
    .option(
      '--progress-interval <ms>',
      'when not on a terminal: a progress line this often (0: none)',
      (value: string) => Number(value),
      5000,
    )
    .action(guarded((source: string, flags: RedriveFlags) => run(source, flags)));
};

export { addRedriveCommand, redriveProgressLine, sourceKind };
