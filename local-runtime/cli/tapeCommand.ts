import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { Command } from 'commander';
import { tapeFromLambdaEvent, tapeToLambdaEvent } from '../../src/tape/lambdaEvent.js';
import { loadTape, readTape } from '../../src/tape/readTape.js';
import { TapeFormatError } from '../../src/tape/TapeFormatError.js';
import type { TapeKeySchemaElement } from '../../src/tape/tapeFormat.js';
import { writeTape } from '../../src/tape/writeTape.js';
import { CommandError } from './awsClients.js';
import { EXIT_CODES } from './exitCodes.js';
import { guarded } from './guarded.js';
import { packageVersion } from './packageVersion.js';

/** A tape that does not follow the format, told as `eddy tape` tells it (exit 1: the input is at fault). */
const tapeProblem = (error: unknown): CommandError | undefined =>
  error instanceof TapeFormatError
    ? new CommandError(`eddy tape: ${error.message}`, EXIT_CODES.failure)
    : undefined;

const fromEvent = async (
  eventPath: string,
  flags: { out: string; hashKey?: string; rangeKey?: string; force: boolean },
): Promise<void> => {
  if (existsSync(flags.out) && !flags.force)
    throw new CommandError(
      `eddy tape from-event: --out ${flags.out} exists; pass --force to replace it`,
      EXIT_CODES.usage,
    );
  let event: DynamoDBStreamEvent;
  try {
    event = JSON.parse(await readFile(eventPath, 'utf8')) as DynamoDBStreamEvent;
  } catch (error) {
    throw new CommandError(
      `eddy tape from-event: ${eventPath}: not a JSON file (${(error as Error).message})`,
      EXIT_CODES.usage,
    );
  }
  if (flags.rangeKey !== undefined && flags.hashKey === undefined)
    throw new CommandError('eddy tape from-event: --range-key needs --hash-key', EXIT_CODES.usage);
  const keySchema: TapeKeySchemaElement[] | undefined =
    flags.hashKey === undefined
      ? undefined
      : [
          { AttributeName: flags.hashKey, KeyType: 'HASH' },
          ...(flags.rangeKey === undefined
            ? []
            : [{ AttributeName: flags.rangeKey, KeyType: 'RANGE' } as const]),
        ];
  let tape: ReturnType<typeof tapeFromLambdaEvent>;
  try {
    tape = tapeFromLambdaEvent(event, {
      tool: `eddy ${packageVersion()}`,
      ...(keySchema === undefined ? {} : { keySchema }),
    });
  } catch (error) {
    throw new CommandError(`${(error as Error).message} (${eventPath})`, EXIT_CODES.usage);
  }
  await writeTape({ path: flags.out }, tape);
  console.log(
    `eddy tape: ${tape.records.length} records of ${tape.header.tableName} → ${flags.out}` +
      ` (key ${tape.header.keySchema.map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ')})`,
  );
};

const toEvent = async (tapePath: string, flags: { out?: string }): Promise<void> => {
  const event = `${JSON.stringify(tapeToLambdaEvent(await loadTape(tapePath)), null, 2)}\n`;
  if (flags.out === undefined) process.stdout.write(event);
  else await writeFile(flags.out, event);
};

const check = async (tapePath: string): Promise<void> => {
  let records = 0;
  const shards = new Set<string>();
  let summary = '';
  let end = 'no end line: the recording was cut short (valid up to its last line)';
  for await (const line of readTape(tapePath)) {
    if (line.type === 'header')
      summary = `${line.tableName} (${line.streamViewType}), ${line.streamArn}, recorded by ${line.recording.tool} from ${line.recording.source}`;
    else if (line.type === 'shard') shards.add(line.shardId);
    else if (line.type === 'record') records += 1;
    else end = `ended: ${line.reason} at ${line.endedAt}`;
  }
  console.log(
    `eddy tape: ${tapePath}: valid; ${records} records in ${shards.size} shard(s); ${summary}; ${end}`,
  );
};

/**
 * Adds `eddy tape from-event|to-event|check` to the CLI: a Lambda test event (as `sam local generate-event
 * dynamodb update` writes it) to a tape and back, and a tape checked against the format line by line.
 *
 * @example
 * addTapeCommand(program); // eddy tape from-event events/update.json --out update.tape.ndjson
 */
const addTapeCommand = (program: Command): void => {
  const tape = program
    .command('tape')
    .description('tapes (eddy record writes them): from and to Lambda test events, and checked line by line');
  tape
    .command('from-event <event.json>')
    .description(
      'a Lambda DynamoDB event ({"Records": [...]}, e.g. sam local generate-event dynamodb update) to a tape',
    )
    .requiredOption('--out <file>', 'the tape to write (.ndjson, or .ndjson.gz for gzip)')
    .option(
      '--hash-key <name>',
      "the table's partition key (default: the first attribute of the first record's Keys)",
    )
    .option('--range-key <name>', "the table's sort key, if it has one")
    .option('--force', 'replace --out if it exists', false)
    .action(guarded(fromEvent, tapeProblem));
  tape
    .command('to-event <tape>')
    .description(
      'a tape to the Lambda event of its records (for a Lambda test event or sam local invoke --event)',
    )
    .option('--out <file>', 'write the event here instead of to stdout')
    .action(guarded(toEvent, tapeProblem));
  tape
    .command('check <tape>')
    .description(
      'read a tape through the format (every line, the order rules); exit 1 naming the first bad line',
    )
    .action(guarded(check, tapeProblem));
};

export { addTapeCommand };
