import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { Command } from 'commander';
import type { Checkpoint, CheckpointEntry, CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';
import { checkpointForTime } from '../../src/checkpoint/checkpointForTime.js';
import { DynamoDBCheckpointStore } from '../../src/checkpoint/DynamoDBCheckpointStore.js';
import { FileCheckpointStore } from '../../src/checkpoint/FileCheckpointStore.js';
import { isSequenceNumber } from '../../src/records/sequenceNumber.js';
import { parseRecordFrom } from '../../src/tape/recordPositions.js';
import { type AwsClients, awsClients, CommandError, requestProblem } from './awsClients.js';
import { EXIT_CODES } from './exitCodes.js';
import { guarded } from './guarded.js';

interface StoreFlags {
  stateDir?: string;
  table?: string;
  endpoint?: string;
  region?: string;
}

interface OpenStore {
  readonly store: CheckpointStore;
  /** The store in the user's terms, for messages. */
  readonly name: string;
  readonly clients?: AwsClients;
}

/** `--state-dir DIR` (eddy dev's FileCheckpointStore) or `--table NAME` (a DynamoDBCheckpointStore). */
const openStore = async (command: string, flags: StoreFlags): Promise<OpenStore> => {
  if ((flags.stateDir === undefined) === (flags.table === undefined))
    throw new CommandError(
      `${command}: give --state-dir DIR (eddy dev --state-dir) or --table NAME (a DynamoDB checkpoint table), one of them`,
      EXIT_CODES.usage,
    );
  if (flags.stateDir !== undefined) {
    const path = join(resolve(flags.stateDir), 'checkpoints.json');
    if (!existsSync(path))
      throw new CommandError(
        `${command}: no checkpoints in --state-dir ${flags.stateDir} (${path} does not exist; ` +
          'eddy dev --state-dir writes it once a mapping has checkpointed)',
        EXIT_CODES.missingResource,
      );
    return { store: new FileCheckpointStore(path), name: path };
  }
  const clients = await awsClients(command, flags);
  const table = flags.table as string;
  return {
    store: new DynamoDBCheckpointStore(clients.dynamodb, table),
    name: `table ${table} at ${flags.endpoint ?? 'AWS'} (region ${clients.region})`,
    clients,
  };
};

const listEntries = async (
  command: string,
  opened: OpenStore,
  flags: StoreFlags,
): Promise<CheckpointEntry[]> => {
  try {
    return await opened.store.list();
  } catch (error) {
    throw requestProblem(command, error, flags, `checkpoint table ${flags.table}`) ?? error;
  }
};

const describePosition = (checkpoint: Checkpoint | undefined): string =>
  checkpoint?.sequenceNumber ?? '(none: the shard from its start)';

/** Columns padded to their widest cell. */
const table = (rows: readonly (readonly string[])[]): string[] => {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
};

/** The stream a shard belongs to, at the endpoint: `--stream-arn`, or found by listing the streams. */
const streamOfShard = async (
  streams: DynamoDBStreamsClient,
  shardId: string,
): Promise<string | undefined> => {
  let startArn: string | undefined;
  do {
    const page = await streams.send(
      new ListStreamsCommand(startArn === undefined ? {} : { ExclusiveStartStreamArn: startArn }),
    );
    for (const { StreamArn } of page.Streams ?? []) {
      let startShard: string | undefined;
      do {
        const { StreamDescription } = await streams.send(
          new DescribeStreamCommand({
            StreamArn,
            ...(startShard === undefined ? {} : { ExclusiveStartShardId: startShard }),
          }),
        );
        if (StreamDescription?.Shards?.some((s) => s.ShardId === shardId)) return StreamArn;
        startShard = StreamDescription?.LastEvaluatedShardId;
      } while (startShard !== undefined);
    }
    startArn = page.LastEvaluatedStreamArn;
  } while (startArn !== undefined);
  return undefined;
};

interface ListFlags extends StoreFlags {
  mapping?: string;
  json: boolean;
}

const list = async (flags: ListFlags): Promise<void> => {
  const command = 'eddy checkpoint list';
  const opened = await openStore(command, flags);
  try {
    const entries = (await listEntries(command, opened, flags)).filter(
      (e) => flags.mapping === undefined || e.mappingId === flags.mapping,
    );
    if (flags.json) {
      console.log(JSON.stringify(entries, null, 2));
      return;
    }
    if (entries.length === 0) {
      console.log(
        `eddy checkpoint: no checkpoints${flags.mapping === undefined ? '' : ` of mapping ${flags.mapping}`} in ${opened.name}`,
      );
      return;
    }
    const leases = entries.some((e) => e.leaseOwner !== undefined);
    const rows = [
      ['MAPPING', 'SHARD', 'CHECKPOINT', 'SHARD ENDED', ...(leases ? ['LEASE OWNER'] : [])],
      ...entries.map((e) => [
        e.mappingId,
        e.shardId,
        e.checkpoint.sequenceNumber ?? '-',
        e.checkpoint.shardEnded === true ? 'yes' : 'no',
        ...(leases ? [e.leaseOwner ?? '-'] : []),
      ]),
    ];
    console.log(`eddy checkpoint: ${entries.length} checkpoint(s) in ${opened.name}`);
    for (const line of table(rows)) console.log(line);
  } finally {
    opened.clients?.destroy();
  }
};

interface SetFlags extends StoreFlags {
  mapping: string;
  shard: string;
  sequenceNumber?: string;
  time?: string;
  streamArn?: string;
}

/** The checkpoint `--sequence-number` or `--time` asks for, and a line that says how it was found. */
const target = async (
  flags: SetFlags,
  opened: OpenStore,
): Promise<{ checkpoint: Checkpoint; how: string }> => {
  const command = 'eddy checkpoint set';
  if ((flags.sequenceNumber === undefined) === (flags.time === undefined))
    throw new CommandError(
      `${command}: give --sequence-number N (the last record handled: the mapping resumes after it) or --time ISO ` +
        '(records from that second on run again), one of them',
      EXIT_CODES.usage,
    );
  if (flags.sequenceNumber !== undefined) {
    if (!isSequenceNumber(flags.sequenceNumber))
      throw new CommandError(
        `${command}: --sequence-number ${flags.sequenceNumber}: expected a sequence number (21 to 40 digits)`,
        EXIT_CODES.usage,
      );
    return {
      checkpoint: { sequenceNumber: flags.sequenceNumber },
      how: `--sequence-number ${flags.sequenceNumber}`,
    };
  }
  const time = flags.time as string;
  let at: number;
  try {
    const parsed = parseRecordFrom(time);
    if (parsed.kind !== 'time') throw new RangeError('not a time');
    at = parsed.at;
  } catch {
    throw new CommandError(
      `${command}: --time ${time}: expected an ISO-8601 time with its zone, e.g. 2026-01-01T12:00:00Z`,
      EXIT_CODES.usage,
    );
  }
  if (flags.endpoint === undefined && flags.region === undefined)
    throw new CommandError(
      `${command}: --time reads shard ${flags.shard} to find the records from that time: pass --endpoint URL and ` +
        '--region R of its stream (e.g. the emulator eddy dev runs: --endpoint http://localhost:8000 --region ' +
        'us-east-1; without --endpoint it is AWS)',
      EXIT_CODES.usage,
    );
  const clients = opened.clients ?? (await awsClients(command, flags));
  try {
    const streamArn = flags.streamArn ?? (await streamOfShard(clients.streams, flags.shard));
    if (streamArn === undefined)
      throw new CommandError(
        `${command}: no stream at ${flags.endpoint ?? 'AWS'} (region ${clients.region}) has shard ${flags.shard} ` +
          '(trimmed after 24 hours, or another endpoint or region?); pass --stream-arn ARN, or --sequence-number',
        EXIT_CODES.missingResource,
      );
    const found = await checkpointForTime({ client: clients.streams, streamArn, shardId: flags.shard, at });
    const first = found.firstRecord;
    return {
      checkpoint: found.checkpoint,
      how:
        first === undefined
          ? `--time ${time}: no record of the shard is that recent; the checkpoint goes to its last record`
          : `--time ${time}: the first record from then on is ${first.sequenceNumber} ` +
            `(created ${first.createdAt.toISOString()})`,
    };
  } catch (error) {
    throw requestProblem(command, error, flags, `shard ${flags.shard}`) ?? error;
  } finally {
    if (opened.clients === undefined) clients.destroy();
  }
};

const set = async (flags: SetFlags): Promise<void> => {
  const command = 'eddy checkpoint set';
  const opened = await openStore(command, flags);
  try {
    const entries = await listEntries(command, opened, flags);
    const mappings = [...new Set(entries.map((e) => e.mappingId))];
    if (!mappings.includes(flags.mapping))
      throw new CommandError(
        `${command}: --mapping ${flags.mapping}: no checkpoints of that mapping in ${opened.name}; ` +
          (mappings.length === 0 ? 'it has none yet' : `mappings there: ${mappings.join(', ')}`),
        EXIT_CODES.usage,
      );
    const before = entries.find(
      (e) => e.mappingId === flags.mapping && e.shardId === flags.shard,
    )?.checkpoint;
    const { checkpoint, how } = await target(flags, opened);
    await opened.store.reposition(flags.mapping, flags.shard, checkpoint);
    console.log(`eddy checkpoint: ${how}`);
    console.log(
      `eddy checkpoint: ${flags.mapping} ${flags.shard}: ${describePosition(before)} → ${describePosition(checkpoint)}` +
        `${before?.shardEnded === true ? ' (the shard is no longer marked ended)' : ''}`,
    );
    console.log(
      'eddy checkpoint: the mapping resumes after it when it starts; if it was running (eddy dev, a worker), ' +
        'restart it: a running mapping keeps its own position and writes it back',
    );
  } finally {
    opened.clients?.destroy();
  }
};

const storeOptions = (command: Command): Command =>
  command
    .option('--state-dir <dir>', "eddy dev --state-dir's folder: its checkpoints.json")
    .option('--table <name>', 'a DynamoDB checkpoint table (DynamoDBCheckpointStore, shared by workers)')
    .option('--endpoint <url>', 'where the table (and, for --time, the stream) is; AWS when absent')
    .option('--region <region>', 'their region (default: AWS_REGION or your profile)');

/**
 * Adds `eddy checkpoint list|set` to the CLI: see and move a mapping's positions in either store, through
 * `CheckpointStore.list` and `reposition` (src/checkpoint).
 *
 * @example
 * addCheckpointCommand(program); // eddy checkpoint list --state-dir .eddy/state
 */
const addCheckpointCommand = (program: Command): void => {
  const checkpoint = program
    .command('checkpoint')
    .description("see and move event source mappings' checkpoints (rewind to re-run records)");
  storeOptions(checkpoint.command('list').description('show the checkpoint of every mapping and shard'))
    .option('--mapping <id>', 'only this mapping')
    .option('--json', 'print JSON instead of a table', false)
    .action(guarded(list));
  storeOptions(
    checkpoint
      .command('set')
      .description(
        "move one shard's checkpoint, backwards too (stop the mapping first; it re-runs the records after it)",
      ),
  )
    .requiredOption('--mapping <id>', 'the mapping (as `list` shows it)')
    .requiredOption('--shard <id>', 'the shard')
    .option('--sequence-number <n>', 'the last record handled: the mapping resumes after it')
    .option('--time <iso>', 'records created from this second on run again (reads the shard at --endpoint)')
    .option(
      '--stream-arn <arn>',
      "with --time: the shard's stream (found by listing the streams when absent)",
    )
    .action(guarded(set));
};

export { addCheckpointCommand };
