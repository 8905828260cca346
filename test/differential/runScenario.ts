import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDbOperation, Scenario, Step } from './Scenario.js';

interface Target {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
}

/** What one step gave: the response without `$metadata`, or the error's name, message and members. */
type Outcome =
  | { readonly step: string; readonly response: unknown }
  | { readonly step: string; readonly error: Record<string, unknown> }
  | { readonly step: string; readonly stream: StreamReading | 'no stream' };

interface StreamReading {
  readonly description: unknown;
  readonly records: readonly _Record[];
}

// The SDK command class of each operation. One send serves them all: the input is untyped scenario data,
// checked by the servers rather than by us. (A command class is no subtype of the client's command union, as
// its middleware stack is typed by its own input, hence `object` and the cast back in `send`.)
type AnyCommand = Parameters<DynamoDBClient['send']>[0];
const COMMANDS: Readonly<Record<DynamoDbOperation, new (input: never) => object>> = {
  CreateTable: CreateTableCommand,
  DescribeTable: DescribeTableCommand,
  DeleteTable: DeleteTableCommand,
  PutItem: PutItemCommand,
  GetItem: GetItemCommand,
  UpdateItem: UpdateItemCommand,
  DeleteItem: DeleteItemCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
  BatchWriteItem: BatchWriteItemCommand,
  BatchGetItem: BatchGetItemCommand,
  TransactWriteItems: TransactWriteItemsCommand,
  TransactGetItems: TransactGetItemsCommand,
  ExecuteStatement: ExecuteStatementCommand,
  BatchExecuteStatement: BatchExecuteStatementCommand,
};

const send = (
  client: DynamoDBClient,
  op: DynamoDbOperation,
  input: Record<string, unknown>,
): Promise<object> => client.send(new COMMANDS[op](input as never) as AnyCommand);

/** Members of an SDK exception that are transport bookkeeping, not part of DynamoDB's answer. */
const SDK_ERROR_MEMBERS = new Set(['$metadata', '$fault', '$retryable', '$response', 'stack']);

const withoutMetadata = (response: object): Record<string, unknown> => {
  const { $metadata: _, ...rest } = response as Record<string, unknown>;
  return rest;
};

const errorOutcome = (error: unknown): Record<string, unknown> => {
  if (!(error instanceof Error)) return { thrown: String(error) };
  const members: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    // The SDK declares optional members such as `Item` even when the error has none.
    if (value === undefined || SDK_ERROR_MEMBERS.has(key) || key === 'name' || key === 'message') continue;
    members[key] = value;
  }
  return members;
};

const runStep = async (target: Target, step: Step): Promise<Outcome> => {
  if (step.op === 'ReadStream') {
    return { step: `ReadStream ${step.table}`, stream: await readStream(target, step.table) };
  }
  const name = `${step.op} ${String(step.input.TableName ?? '')}`.trim();
  try {
    const response = await send(target.dynamodb, step.op, step.input);
    return { step: name, response: withoutMetadata(response) };
  } catch (error) {
    return { step: name, error: errorOutcome(error) };
  }
};

/** Shards with parents before children (the order a consumer must read them in), then by id. */
const inLineageOrder = (shards: readonly Shard[]): Shard[] => {
  const ordered: Shard[] = [];
  const remaining = [...shards].sort((a, b) => String(a.ShardId).localeCompare(String(b.ShardId)));
  const placed = new Set<string>();
  while (remaining.length > 0) {
    const index = remaining.findIndex(
      (shard) =>
        shard.ParentShardId === undefined ||
        placed.has(shard.ParentShardId) ||
        !remaining.some((other) => other.ShardId === shard.ParentShardId),
    );
    const [next] = remaining.splice(Math.max(index, 0), 1);
    if (next === undefined) break;
    ordered.push(next);
    placed.add(String(next.ShardId));
  }
  return ordered;
};

const readStream = async (target: Target, table: string): Promise<StreamReading | 'no stream'> => {
  const { Table } = await target.dynamodb.send(new DescribeTableCommand({ TableName: table }));
  const streamArn = Table?.LatestStreamArn;
  if (streamArn === undefined) return 'no stream';
  const { StreamDescription } = await target.streams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const records: _Record[] = [];
  for (const shard of inLineageOrder(StreamDescription?.Shards ?? [])) {
    let iterator = (
      await target.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    // An open shard always hands back a next iterator; an empty page means we have read what is there.
    for (let page = 0; iterator !== undefined && page < 100; page += 1) {
      const { Records, NextShardIterator } = await target.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator }),
      );
      if (Records === undefined || Records.length === 0) break;
      records.push(...Records);
      iterator = NextShardIterator;
    }
  }
  return { description: StreamDescription, records };
};

/** Runs every step in order; a failing request is an outcome, not a failure of the run. */
const runScenario = async (target: Target, scenario: Scenario): Promise<Outcome[]> => {
  const outcomes: Outcome[] = [];
  for (const step of scenario.steps) outcomes.push(await runStep(target, step));
  return outcomes;
};

export type { Outcome, StreamReading, Target };
export { runScenario };
