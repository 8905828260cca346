import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  parseRecordFrom,
  parseRecordUntil,
  type RecordFrom,
  type RecordUntil,
} from '../../src/tape/recordPositions.js';
import { recordStream } from '../../src/tape/recordStream.js';
import { type AwsClients, awsClients, CommandError, requestProblem } from './awsClients.js';
import { EXIT_CODES } from './exitCodes.js';
import { guarded, interruptible } from './guarded.js';
import { ProgressDisplay } from './ProgressDisplay.js';
import { packageVersion } from './packageVersion.js';
import { progressLine } from './recordProgress.js';

interface RecordFlags {
  table?: string;
  streamArn?: string;
  endpoint?: string;
  region?: string;
  from: RecordFrom;
  until: RecordUntil;
  out: string;
  force: boolean;
  progressInterval: number;
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

const seconds = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('a number of seconds, 0 or more (e.g. 5, or 0.5)');
  return Math.round(n * 1000);
};

/** The stream `--table` has now (DescribeTable's LatestStreamArn), or `--stream-arn`. */
const streamArnOf = async (flags: RecordFlags, clients: AwsClients): Promise<string> => {
  if (flags.streamArn !== undefined) return flags.streamArn;
  const table = flags.table as string;
  try {
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.LatestStreamArn === undefined || Table.StreamSpecification?.StreamEnabled === false)
      throw new CommandError(
        `eddy record: table ${table} has no stream at ${flags.endpoint ?? 'AWS'} (region ${clients.region}): ` +
          'enable one (StreamSpecification), or pass --stream-arn',
        EXIT_CODES.missingResource,
      );
    return Table.LatestStreamArn;
  } catch (error) {
    throw requestProblem('eddy record', error, flags, `table ${table} (region ${clients.region})`) ?? error;
  }
};

const run = async (flags: RecordFlags, command: Command): Promise<void> => {
  if ((flags.table === undefined) === (flags.streamArn === undefined))
    command.error('eddy record: give --table NAME or --stream-arn ARN (one of them)', {
      exitCode: EXIT_CODES.usage,
    });
  const out = resolve(flags.out);
  if (existsSync(out) && !flags.force)
    command.error(`eddy record: --out ${flags.out} exists; pass --force to replace it, or another file`, {
      exitCode: EXIT_CODES.usage,
    });
  const arnRegion = flags.streamArn?.split(':')[3];
  const clients = await awsClients('eddy record', flags, arnRegion === '' ? undefined : arnRegion);
  const stop = interruptible('eddy record', 'closing the tape (everything read so far)');
  const display = new ProgressDisplay(process.stderr, flags.progressInterval, progressLine);
  try {
    const streamArn = await streamArnOf(flags, clients);
    console.log(
      `eddy record: ${streamArn} → ${flags.out} (from ${flags.from.text}, until ${flags.until.text}` +
        `${flags.until.kind === 'follow' ? '; Ctrl-C stops' : ''})`,
    );
    const summary = await recordStream({
      client: clients.streams,
      streamArn,
      out: { path: out },
      from: flags.from,
      until: flags.until,
      tool: `eddy ${packageVersion()}`,
      ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
      signal: stop.signal,
      onProgress: (p) => display.update(p),
    }).catch((error: unknown) => {
      throw requestProblem('eddy record', error, flags, `stream ${streamArn}`) ?? error;
    });
    display.finish();
    const last = display.latest;
    console.log(
      `${last === undefined ? 'eddy record: ' : `${progressLine(last)}\n`}eddy record: wrote ${summary.records} records ` +
        `from ${summary.shards} shard${summary.shards === 1 ? '' : 's'} to ${flags.out} (${summary.reason === 'interrupted' ? 'stopped by a signal' : `read until ${flags.until.text}`})`,
    );
  } catch (error) {
    display.finish();
    if (stop.signal.aborted && !existsSync(out)) {
      console.log('eddy record: stopped before the stream was read; no tape written');
      return;
    }
    throw error;
  } finally {
    stop.dispose();
    clients.destroy();
  }
};

/**
 * Adds `eddy record` to the CLI: a DynamoDB stream (the emulator's, DynamoDB Local's or AWS's) to a tape, with
 * the logic in `recordStream` (src/tape).
 *
 * @example
 * addRecordCommand(program); // eddy record --table orders --endpoint http://localhost:8000 --out orders.tape.ndjson.gz
 */
const addRecordCommand = (program: Command): void => {
  program
    .command('record')
    .description(
      'record a DynamoDB stream to a tape (NDJSON, gzip when --out ends in .gz), parent shards first',
    )
    .option('--table <name>', 'the table whose stream to record (its current stream, from DescribeTable)')
    .option('--stream-arn <arn>', 'the stream to record')
    .option(
      '--endpoint <url>',
      'the emulator or DynamoDB Local (e.g. http://localhost:8000); AWS when absent',
    )
    .option(
      '--region <region>',
      "the stream's region (default: the stream ARN's, else AWS_REGION or your profile's)",
    )
    .addOption(
      new Option(
        '--from <position>',
        'trim-horizon, latest, an ISO time (records created before that second are skipped) or a sequence number',
      )
        .argParser(asArgument(parseRecordFrom))
        .default(parseRecordFrom('trim-horizon'), 'trim-horizon'),
    )
    .addOption(
      new Option(
        '--until <position>',
        'now (every shard read up to when the command started), an ISO time, or follow (until Ctrl-C)',
      )
        .argParser(asArgument(parseRecordUntil))
        .default(parseRecordUntil('now'), 'now'),
    )
    .requiredOption('--out <file>', 'the tape to write (.ndjson, or .ndjson.gz for gzip)')
    .option('--force', 'replace --out if it exists', false)
    .addOption(
      new Option(
        '--progress-interval <seconds>',
        'without a terminal, print a progress line this often; 0: never',
      )
        .argParser(seconds)
        .default(5_000, '5'),
    )
    .action(guarded((flags: RecordFlags, command: Command) => run(flags, command)));
};

export { addRecordCommand };
