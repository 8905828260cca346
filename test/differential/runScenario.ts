import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
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

// One sender per operation; the input is untyped scenario data, checked by the servers rather than by us.
type Send = (client: DynamoDBClient, input: Record<string, unknown>) => Promise<object>;
const SENDERS: Readonly<Record<DynamoDbOperation, Send>> = {
  CreateTable: (client, input) => client.send(new CreateTableCommand(input as never)),
  DescribeTable: (client, input) => client.send(new DescribeTableCommand(input as never)),
  DeleteTable: (client, input) => client.send(new DeleteTableCommand(input as never)),
  PutItem: (client, input) => client.send(new PutItemCommand(input as never)),
  GetItem: (client, input) => client.send(new GetItemCommand(input as never)),
  UpdateItem: (client, input) => client.send(new UpdateItemCommand(input as never)),
  DeleteItem: (client, input) => client.send(new DeleteItemCommand(input as never)),
  Query: (client, input) => client.send(new QueryCommand(input as never)),
  Scan: (client, input) => client.send(new ScanCommand(input as never)),
  BatchWriteItem: (client, input) => client.send(new BatchWriteItemCommand(input as never)),
  BatchGetItem: (client, input) => client.send(new BatchGetItemCommand(input as never)),
  TransactWriteItems: (client, input) => client.send(new TransactWriteItemsCommand(input as never)),
  TransactGetItems: (client, input) => client.send(new TransactGetItemsCommand(input as never)),
};

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
    const response = await SENDERS[step.op](target.dynamodb, step.input);
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
