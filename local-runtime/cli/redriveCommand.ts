import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Command, Option } from 'commander';
import { parseStreamArn } from '../../src/records/arn.js';
import type { FailedRange } from '../../src/redrive/FailedRange.js';
import { FailureRecordError } from '../../src/redrive/parseFailureRecord.js';
import {
  failedRangesInFile,
  failedRangesInQueue,
  failedRangesInS3,
} from '../../src/redrive/readFailureRecords.js';
import { redrive } from '../../src/runtime/redrive.js';
import { endpointKind } from '../dev/endpointKind.js';
import { formatInvocation } from '../dev/formatInvocation.js';
import { type AwsClients, awsClients, CommandError } from './awsClients.js';
import { EXIT_CODES } from './exitCodes.js';
import { parseSet, replayTarget } from './replayTarget.js';

interface RedriveFlags {
  function?: string;
  template: string;
  handler?: string;
  endpoint?: string;
  region?: string;
  set: Record<string, unknown>;
  dryRun: boolean;
}

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
  try {
    clients = await awsClients('eddy redrive', flags);
    const { ranges, done } = await rangesOf(source, flags, clients);
    if (ranges.length === 0) {
      console.log(`eddy redrive: ${source} holds no failure records; nothing to do`);
      return;
    }
    const tables = new Set(ranges.map((r) => parseStreamArn(r.streamArn)?.tableName ?? ''));
    const kind = endpointKind(flags.endpoint);
    const target = await replayTarget({
      ...(flags.function === undefined ? {} : { function: flags.function }),
      ...(flags.handler === undefined ? {} : { handler: flags.handler }),
      template: flags.template,
      settings: flags.set,
      dryRun: flags.dryRun,
      region: clients.region,
      tableName: [...tables][0] ?? '',
      ...(flags.endpoint === undefined ? {} : { dynamodb: clients.dynamodb }),
      print: (line) => console.log(line.replace(/^eddy replay:/, 'eddy redrive:')),
      ...(flags.endpoint === undefined ? {} : { endpoint: { url: flags.endpoint, kind } }),
      credentials:
        kind === 'other' && process.env.AWS_ACCESS_KEY_ID === undefined
          ? { accessKeyId: 'eddy', secretAccessKey: 'eddy' }
          : undefined,
    }).catch((error: unknown) => {
      if (error instanceof CommandError)
        throw new CommandError(error.message.replace(/^eddy replay:/, 'eddy redrive:'), error.exitCode);
      throw error;
    });
    close = () => target.close();
    console.log(
      `eddy redrive: ${ranges.length} failure record${ranges.length === 1 ? '' : 's'} from ${source} → ${flags.dryRun ? '(dry run) ' : ''}${target.label}`,
    );
    const summary = await redrive({
      ranges,
      client: clients.streams,
      invoker: target.invoker ?? {
        functionName: target.label,
        invoke: async () => ({ state: {}, batchItemFailures: [] }),
      },
      config: target.config,
      ...(target.onFailure === undefined || flags.dryRun ? {} : { onFailure: target.onFailure }),
      onRange: (range, outcome) => {
        const where = `  ${range.from}: ${range.shardId} ${range.startSequenceNumber}..${range.endSequenceNumber}`;
        if (outcome.kind === 'lost') console.log(`${where}: lost: ${outcome.reason}`);
        else if (outcome.kind === 'duplicate') console.log(`${where}: named again; read once`);
        else
          console.log(
            `${where}: ${outcome.records} record${outcome.records === 1 ? '' : 's'}` +
              (range.records === undefined ? ' read from the stream' : ' from the payload') +
              (outcome.mismatch === undefined ? '' : ` (${outcome.mismatch})`),
          );
      },
      onInvocation: (report) => {
        if (!flags.dryRun) console.log(formatInvocation(target.label, report));
      },
    });
    console.log(
      `eddy redrive: ${summary.completed ? 'done' : 'stopped'}: ${summary.read} of ${summary.ranges} ranges read, ` +
        `${summary.lost.length} lost, ${summary.records} records, ${summary.invocations} ${flags.dryRun ? 'batches' : 'invocations'}, ` +
        `${summary.failures} failed, ${summary.discarded} discarded`,
    );
    const clean = summary.completed && summary.lost.length === 0 && summary.discarded === 0;
    // A queue's messages are deleted once their ranges went through; what failed again stays for later.
    if (!flags.dryRun && summary.discarded === 0 && summary.completed) {
      const lost = new Set(summary.lost.map((l) => l.range));
      for (const [range, finish] of done) if (!lost.has(range)) await finish();
    }
    if (!clean) process.exitCode = EXIT_CODES.failure;
  } catch (error) {
    if (error instanceof CommandError) {
      console.error(error.message);
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  } finally {
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
    .action((source: string, flags: RedriveFlags) => run(source, flags));
};

export { addRedriveCommand, sourceKind };
