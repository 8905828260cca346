import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  type ScanCommandOutput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { _Record, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall, type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { latestSequenceNumbers } from '../../local-runtime/testing/runHandler.js';
import type { CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';
import { MemoryCheckpointStore } from '../../src/checkpoint/MemoryCheckpointStore.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import {
  inProcessInvoker,
  type StreamHandlerFunction,
} from '../../src/runtime/invocation/inProcessInvoker.js';
import { silentLogger } from '../../src/runtime/observability/logger.js';
import type { Clock } from '../../src/time/clock.js';
import type { EmulatorHarness } from './emulatorHarness.js';
import { waitFor } from './waitFor.js';

type Row = Record<string, NativeAttributeValue>;

/** A small seeded generator (mulberry32), so a failing workload can be run again from its seed. */
const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** What `withRedeliveries` did, to check that a run really exercised it. */
interface Redeliveries {
  concurrentDuplicates: number;
  sequentialDuplicates: number;
  /** Batches processed and then reported failed from a random record on: the runtime sends that suffix again. */
  reportedFailures: number;
  /** Batches processed and then thrown: the runtime sends the whole batch again. */
  crashes: number;
}

/**
 * Wraps a handler to misbehave as at-least-once delivery allows, after its effects have landed: some batches
 * run twice at once (an invocation still running when its retry starts), some twice in a row, some are
 * reported failed from a random record on, some throw. `partialFailures: false` for windowed handlers, whose
 * state must not count records reported as failed.
 */
const withRedeliveries = (
  handler: (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>,
  random: () => number,
  options: { readonly partialFailures?: boolean } = {},
): { handler: StreamHandlerFunction; counts: Redeliveries } => {
  const counts: Redeliveries = {
    concurrentDuplicates: 0,
    sequentialDuplicates: 0,
    reportedFailures: 0,
    crashes: 0,
  };
  const copy = (event: DynamoDBStreamEvent) => structuredClone(event);
  const wrapped = async (event: DynamoDBStreamEvent, context: Context): Promise<unknown> => {
    const roll = random();
    if (roll < 0.15) {
      counts.concurrentDuplicates += 1;
      const [, second] = await Promise.all([handler(copy(event), context), handler(copy(event), context)]);
      return second;
    }
    if (roll < 0.3) {
      counts.sequentialDuplicates += 1;
      await handler(copy(event), context);
      return handler(copy(event), context);
    }
    if (roll < 0.4 && options.partialFailures !== false && event.Records.length > 0) {
      const response = (await handler(copy(event), context)) as DynamoDBBatchResponse;
      counts.reportedFailures += 1;
      const at = event.Records[Math.floor(random() * event.Records.length)];
      return {
        batchItemFailures: [
          ...response.batchItemFailures,
          { itemIdentifier: at?.dynamodb?.SequenceNumber as string },
        ],
      };
    }
    if (roll < 0.45) {
      await handler(copy(event), context);
      counts.crashes += 1;
      throw new Error('injected: the function crashed after its effects landed');
    }
    return handler(event, context);
  };
  return { handler: wrapped, counts };
};

/** Event source mappings started by a test file, stopped by `stopMappings`. */
const running: EventSourceMapping[] = [];

/** Where a mapping reads and what it calls: `streams` defaults to the harness's, `mappingId` to 'operators'. */
interface MappingOptions {
  readonly streamArn: string;
  readonly handler: StreamHandlerFunction;
  readonly streams?: DynamoDBStreamsClient;
  readonly mappingId?: string;
  readonly checkpoints?: CheckpointStore;
  readonly config?: Record<string, unknown>;
  /** The mapping's clock (polls, backoff, windows). @default the system clock */
  readonly clock?: Clock;
}

interface MappingRun {
  mapping: EventSourceMapping;
  checkpoints: CheckpointStore;
  mappingId: string;
}

/** Starts a mapping from TRIM_HORIZON with fast test timings and partial batch responses. */
const startMapping = (h: EmulatorHarness, options: MappingOptions): MappingRun => {
  const checkpoints = options.checkpoints ?? new MemoryCheckpointStore();
  const mappingId = options.mappingId ?? 'operators';
  const mapping = new EventSourceMapping({
    mappingId,
    streamArn: options.streamArn,
    client: options.streams ?? h.streams,
    checkpoints,
    invoker: inProcessInvoker(options.handler, { timeoutSeconds: 30 }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    pollIntervalMs: 10,
    discoveryIntervalMs: 200,
    retryBackoff: { baseMs: 2, maxMs: 20 },
    logger: silentLogger,
    metricsLogIntervalMs: 0,
    wakeUps: {
      subscribe: (listener) =>
        h.running.emulator.onRecords((e) => {
          if (e.streamArn === options.streamArn) listener(e.shardId);
        }),
    },
    config: {
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ...options.config,
    },
  });
  mapping.start();
  running.push(mapping);
  return { mapping, checkpoints, mappingId };
};

/**
 * Starts a mapping (as `startMapping`) over `handler` wrapped by `withRedeliveries`, its misbehaviour drawn from
 * `seed`: how every operator test runs its operator, so a failing run can be replayed from its seed, and the
 * counts tell whether the run really redelivered.
 */
const startRedelivered = (
  h: EmulatorHarness,
  handler: (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>,
  options: Omit<MappingOptions, 'handler'> & { readonly seed: number; readonly partialFailures?: boolean },
): { run: MappingRun; counts: Redeliveries } => {
  const { seed, partialFailures, ...mapping } = options;
  const redelivered = withRedeliveries(handler, seededRandom(seed), { partialFailures });
  return { run: startMapping(h, { ...mapping, handler: redelivered.handler }), counts: redelivered.counts };
};

const stopMappings = async (): Promise<void> => {
  for (const mapping of running.splice(0)) await mapping.stop();
};

/**
 * Waits until the mapping has checkpointed every record the stream holds now: for each shard, up to the last
 * record GetRecords returns from it.
 */
const waitForDrain = async (
  streams: DynamoDBStreamsClient,
  streamArn: string,
  run: { readonly checkpoints: CheckpointStore; readonly mappingId: string },
  timeoutMs = 30_000,
  /** Called before each look, e.g. to move a ManualClock on so that windows close and backoffs end. */
  step: () => void = () => undefined,
): Promise<void> => {
  for (const [shardId, last] of await latestSequenceNumbers(streams, streamArn)) {
    await waitFor(
      async () => {
        step();
        return BigInt((await run.checkpoints.get(run.mappingId, shardId))?.sequenceNumber ?? '-1') >= last;
      },
      `the mapping to checkpoint shard ${shardId} up to ${last}`,
      timeoutMs,
    );
  }
};

/** Creates an on-demand table and returns its stream ARN (undefined without a stream). */
const createTable = async (
  dynamodb: DynamoDBClient,
  input: Omit<CreateTableCommandInput, 'BillingMode'>,
): Promise<string | undefined> => {
  await dynamodb.send(new CreateTableCommand({ BillingMode: 'PAY_PER_REQUEST', ...input }));
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: input.TableName }));
  return Table?.LatestStreamArn;
};

/** A table keyed by one string attribute, optionally with a stream. */
const createKeyedTable = (
  dynamodb: DynamoDBClient,
  tableName: string,
  keyName: string,
  viewType?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY',
): Promise<string | undefined> =>
  createTable(dynamodb, {
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: keyName, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
    ...(viewType === undefined
      ? {}
      : { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } }),
  });

/** Every item of a table, unmarshalled, read consistently. */
const scanAll = async (dynamodb: DynamoDBClient, tableName: string): Promise<Row[]> => {
  const rows: Row[] = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page: ScanCommandOutput = await dynamodb.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    rows.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return rows;
};

/** Rows by the value of one attribute, sorted, for comparisons that print well. */
const byKey = (rows: readonly Row[], key: string): Record<string, Row> =>
  Object.fromEntries(
    rows.map((row) => [String(row[key]), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );

/** A stream record's sequence number as operators store it: zero-padded to 40 digits. */
const paddedSequenceOf = (record: _Record): string =>
  (record.dynamodb?.SequenceNumber ?? '').padStart(40, '0');

/** A stream record's creation time in whole epoch seconds. */
const createdSecondsOf = (record: _Record): number =>
  Math.floor((record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? 0) / 1000);

/**
 * `turns` turns of the event loop: a writer yields to the mappings and their I/O between writes (a seeded
 * number of turns shuffles the interleaving) without waiting on the clock.
 */
const yieldTurns = async (turns: number): Promise<void> => {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
};

/** An order as the workload writes it. */
interface Order {
  id: string;
  status?: 'NEW' | 'PAID' | 'SHIPPED';
  total?: number;
  customer?: string;
}

const STATUSES = ['NEW', 'PAID', 'SHIPPED'] as const;

/**
 * A random workload over a small key space: puts (some without a status), updates (SET, REMOVE, ADD, some on
 * items that do not exist, which creates them), deletes. Whole-number totals, so sums are exact.
 */
const writeOrders = async (
  dynamodb: DynamoDBClient,
  tableName: string,
  random: () => number,
  operations: number,
  keys = 12,
): Promise<void> => {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  for (let i = 0; i < operations; i++) {
    const id = `o-${Math.floor(random() * keys)}`;
    const roll = random();
    if (roll < 0.4) {
      const order: Order = { id, total: 1 + Math.floor(random() * 100), customer: pick(['c1', 'c2', 'c3']) };
      if (random() < 0.85) order.status = pick(STATUSES);
      await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: marshall(order) }));
    } else if (roll < 0.7) {
      const removeStatus = random() < 0.2;
      await dynamodb.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: marshall({ id }),
          UpdateExpression: removeStatus ? 'SET #t = :t REMOVE #s' : 'SET #t = :t, #s = :s',
          ExpressionAttributeNames: { '#t': 'total', '#s': 'status' },
          ExpressionAttributeValues: marshall({
            ':t': 1 + Math.floor(random() * 100),
            ...(removeStatus ? {} : { ':s': pick(STATUSES) }),
          }),
        }),
      );
    } else if (roll < 0.9) {
      await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: marshall({ id }) }));
    } else {
      await dynamodb.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: marshall({ id }),
          UpdateExpression: 'ADD #t :n',
          ExpressionAttributeNames: { '#t': 'total' },
          ExpressionAttributeValues: marshall({ ':n': 1 + Math.floor(random() * 5) }),
        }),
      );
    }
    if (random() < 0.1) await yieldTurns(Math.floor(random() * 5));
  }
};

export type { MappingRun, Order, Redeliveries, Row };
export {
  byKey,
  createdSecondsOf,
  createKeyedTable,
  createTable,
  paddedSequenceOf,
  scanAll,
  seededRandom,
  startMapping,
  startRedelivered,
  stopMappings,
  waitForDrain,
  withRedeliveries,
  writeOrders,
  yieldTurns,
};
