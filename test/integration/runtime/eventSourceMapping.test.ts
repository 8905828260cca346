import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../../src/checkpoint/FileCheckpointStore.js';
import { MemoryCheckpointStore } from '../../../src/checkpoint/MemoryCheckpointStore.js';
import {
  EventSourceMapping,
  type EventSourceMappingOptions,
} from '../../../src/runtime/EventSourceMapping.js';
import {
  inProcessInvoker,
  type StreamHandlerFunction,
} from '../../../src/runtime/invocation/inProcessInvoker.js';
import type { InvocationReport } from '../../../src/runtime/observability/InvocationReport.js';
import { type Clock, ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { countPolls, waitForIdle } from '../../helpers/mappingIdle.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness;
const mappings: EventSourceMapping[] = [];
const folders: string[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterEach(async () => {
  for (const m of mappings.splice(0)) await m.stop();
  for (const f of folders.splice(0)) await rm(f, { recursive: true, force: true });
});
afterAll(() => h.close());

let tables = 0;
const createOrdersTable = async () => {
  const name = `orders${++tables}`;
  await h.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: name }));
  return { name, streamArn: Table?.LatestStreamArn as string };
};

const put = (
  table: string,
  id: string,
  extra: Record<string, { S: string } | { N: string } | { B: Uint8Array }> = {},
) => h.dynamodb.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, ...extra } }));

/**
 * Starts a mapping with fast test timings and the emulator's wake-up hint; records every invocation. It reads
 * through a streams client of its own whose polls are counted (`waitForIdle`).
 */
const startMapping = (
  streamArn: string,
  handler: StreamHandlerFunction,
  {
    timeoutSeconds,
    invokerClock,
    ...options
  }: Partial<EventSourceMappingOptions> & {
    config?: Record<string, unknown>;
    timeoutSeconds?: number;
    /** The clock the function's Timeout runs on. @default the system clock */
    invokerClock?: Clock;
  } = {},
) => {
  const reports: InvocationReport[] = [];
  const client = h.clientsFor('us-east-1').streams;
  const polls = countPolls(client);
  const mapping = new EventSourceMapping({
    mappingId: 'test-mapping',
    streamArn,
    client,
    invoker: inProcessInvoker(handler, {
      functionName: 'test-fn',
      timeoutSeconds: timeoutSeconds ?? 3,
      ...(invokerClock === undefined ? {} : { clock: invokerClock }),
    }),
    pollIntervalMs: 20,
    retryBackoff: { baseMs: 5, maxMs: 20 },
    wakeUps: {
      subscribe: (listener) =>
        h.running.emulator.onRecords((e) => {
          if (e.streamArn === streamArn) listener(e.shardId);
        }),
    },
    onInvocation: (report) => reports.push(report),
    ...options,
    config: { StartingPosition: 'TRIM_HORIZON', ...options.config },
  });
  mapping.start();
  mappings.push(mapping);
  return { mapping, reports, polls };
};

const ids = (records: DynamoDBRecord[]) => records.map((r) => r.dynamodb?.Keys?.id?.S);

describe('EventSourceMapping against the emulator', () => {
  it('invokes the function with events Lambda would send', async () => {
    const { name, streamArn } = await createOrdersTable();
    await put(name, 'o-1', { total: { N: '12.50' }, blob: { B: Buffer.from('foobar') } });
    const events: DynamoDBStreamEvent[] = [];
    startMapping(streamArn, async (event) => {
      events.push(event);
    });
    await waitFor(() => events.length === 1, 'the first invocation');
    const event = events[0] as DynamoDBStreamEvent;
    // Every event the runtime emits validates against Powertools' schema of Lambda's DynamoDB event.
    expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
    const [record] = event.Records as [DynamoDBRecord];
    expect(Object.keys(record)).toEqual([
      'eventID',
      'eventName',
      'eventVersion',
      'eventSource',
      'awsRegion',
      'dynamodb',
      'eventSourceARN',
    ]);
    expect(record.eventSourceARN).toBe(streamArn);
    expect(typeof record.dynamodb?.ApproximateCreationDateTime).toBe('number');
    expect(record.dynamodb?.NewImage).toEqual({
      id: { S: 'o-1' },
      total: { N: '12.5' },
      blob: { B: 'Zm9vYmFy' },
    });
  });

  it('delivers every record once, in order, in batches of at most BatchSize', async () => {
    const { name, streamArn } = await createOrdersTable();
    for (let i = 0; i < 25; i++) await put(name, `o-${String(i).padStart(2, '0')}`);
    const seen: string[] = [];
    const batchSizes: number[] = [];
    startMapping(
      streamArn,
      async (event) => {
        batchSizes.push(event.Records.length);
        seen.push(...(ids(event.Records) as string[]));
      },
      { config: { BatchSize: 10 } },
    );
    await waitFor(() => seen.length === 25, '25 records');
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `o-${String(i).padStart(2, '0')}`));
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(10);
  });

  it('redelivers from a reported failure while the records before it stay checkpointed', async () => {
    const { name, streamArn } = await createOrdersTable();
    for (const id of ['a', 'b', 'c', 'd']) await put(name, id);
    const checkpoints = new MemoryCheckpointStore();
    const deliveries: (string | undefined)[][] = [];
    let failC = true;
    const { reports } = startMapping(
      streamArn,
      async (event): Promise<DynamoDBBatchResponse> => {
        deliveries.push(ids(event.Records));
        const c = event.Records.find((r) => r.dynamodb?.Keys?.id?.S === 'c');
        if (failC && c !== undefined) {
          failC = false;
          return { batchItemFailures: [{ itemIdentifier: c.dynamodb?.SequenceNumber as string }] };
        }
        return { batchItemFailures: [] };
      },
      { checkpoints, config: { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 } },
    );
    await waitFor(() => reports.some((r) => r.outcome === 'success'), 'the retry to succeed');
    expect(deliveries).toEqual([
      ['a', 'b', 'c', 'd'],
      ['c', 'd'],
    ]);
    const [first, retry] = reports as [InvocationReport, InvocationReport];
    expect(first.outcome).toBe('partial');
    expect(first.failures).toHaveLength(1);
    const shardId = first.shardId;
    // The partial failure moved the checkpoint: the remainder starts over (as AWS recorded), so this is its first
    // attempt.
    expect(retry.attempt).toBe(1);
    expect((await checkpoints.get('test-mapping', shardId))?.sequenceNumber).toBe(first.lastSequenceNumber);
  });

  it('checkpoints just before the lowest failure while the retry is pending', async () => {
    const { name, streamArn } = await createOrdersTable();
    for (const id of ['a', 'b', 'c']) await put(name, id);
    const checkpoints = new MemoryCheckpointStore();
    const sequences: string[] = [];
    const { reports } = startMapping(
      streamArn,
      async (event): Promise<DynamoDBBatchResponse> => {
        sequences.push(...event.Records.map((r) => r.dynamodb?.SequenceNumber as string));
        // b always fails: the checkpoint must stay right after a.
        const b = event.Records.find((r) => r.dynamodb?.Keys?.id?.S === 'b');
        return { batchItemFailures: b ? [{ itemIdentifier: b.dynamodb?.SequenceNumber as string }] : [] };
      },
      {
        checkpoints,
        config: { FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 3 },
      },
    );
    await waitFor(() => reports.length >= 3, 'three invocations');
    const shardId = (reports[0] as InvocationReport).shardId;
    expect((await checkpoints.get('test-mapping', shardId))?.sequenceNumber).toBe(sequences[0]);
  });

  it('retries a throwing function MaximumRetryAttempts times, then discards the batch and goes on', async () => {
    const { name, streamArn } = await createOrdersTable();
    await put(name, 'poison');
    const seen: string[] = [];
    const { reports } = startMapping(
      streamArn,
      async (event) => {
        const keys = ids(event.Records) as string[];
        seen.push(...keys);
        if (keys.includes('poison')) throw new Error('cannot handle poison');
      },
      { config: { MaximumRetryAttempts: 2 } },
    );
    await waitFor(() => reports.some((r) => r.discarded !== undefined), 'the discard');
    // N retries mean N + 1 invocations (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
    expect(reports.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(reports.at(-1)?.error).toBe('Error: cannot handle poison');
    await put(name, 'after');
    await waitFor(() => seen.includes('after'), 'the next record');
    expect(seen).toEqual(['poison', 'poison', 'poison', 'after']);
  });

  it('fails an invocation that runs past the function Timeout', async () => {
    const { name, streamArn } = await createOrdersTable();
    await put(name, 'slow');
    // The Timeout runs on a clock of its own that only the test moves; the first call never returns by itself.
    const invokerClock = new ManualClock(Date.now());
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const { reports } = startMapping(
      streamArn,
      async () => {
        calls += 1;
        if (calls === 1) await held;
      },
      { timeoutSeconds: 1, invokerClock },
    );
    await waitFor(
      () => calls === 1 && invokerClock.nextWakeUp() !== undefined,
      'the first call to be running',
    );
    invokerClock.advance(999);
    // Within 1 s nothing fails: a turn of the event loop runs whatever that advance set off (no I/O is involved).
    await new Promise((resolve) => setImmediate(resolve));
    expect(reports).toEqual([]);
    invokerClock.advance(1);
    await waitFor(() => reports.length === 2, 'the timeout and the retry');
    release();
    expect(reports[0]?.error).toBe('FunctionTimeoutError: Task timed out after 1.00 seconds');
    expect(reports[1]?.outcome).toBe('success');
  });

  it('resumes right after its file checkpoint when restarted', async () => {
    const { name, streamArn } = await createOrdersTable();
    const folder = await mkdtemp(join(tmpdir(), 'eddy-resume-'));
    folders.push(folder);
    const path = join(folder, 'checkpoints.json');
    await put(name, 'before-1');
    await put(name, 'before-2');
    const firstRun: string[] = [];
    const first = startMapping(streamArn, async (e) => void firstRun.push(...(ids(e.Records) as string[])), {
      checkpoints: new FileCheckpointStore(path),
    });
    await waitFor(() => firstRun.length === 2, 'the first run');
    await first.mapping.stop();
    await put(name, 'after-1');
    const secondRun: string[] = [];
    const second = startMapping(
      streamArn,
      async (e) => void secondRun.push(...(ids(e.Records) as string[])),
      { checkpoints: new FileCheckpointStore(path) },
    );
    await waitFor(() => secondRun.length >= 1, 'the second run');
    // Nothing more comes: the second run has finished what it read and then polled an empty page.
    await waitForIdle(second.mapping, second.polls, 'the second run');
    expect(secondRun).toEqual(['after-1']);
  });

  it('reads a backlog a GetRecords page at a time, however small the batches, and still invokes them in order', async () => {
    const { name, streamArn } = await createOrdersTable();
    const written = Array.from({ length: 300 }, (_, i) => `b${String(i).padStart(3, '0')}`);
    for (const id of written) await put(name, id);
    const batches: string[][] = [];
    const { mapping, polls } = startMapping(
      streamArn,
      async (e) => void batches.push(ids(e.Records) as string[]),
      { config: { BatchSize: 10 } },
    );
    await waitFor(() => batches.flat().length === written.length, 'the backlog');
    await waitForIdle(mapping, polls, 'the backlog');
    expect(batches.flat()).toEqual(written);
    expect(batches.every((batch) => batch.length <= 10)).toBe(true);
    // One page holds the 300 records (a request per batch would be 30): reading continues below one batch.
    expect(polls.started()).toBeLessThan(10);
  });

  it('starts at LATEST: only records written after started() resolves, the first of them included', async () => {
    const { name, streamArn } = await createOrdersTable();
    await put(name, 'old');
    const seen: string[] = [];
    const { mapping } = startMapping(
      streamArn,
      async (e) => void seen.push(...(ids(e.Records) as string[])),
      {
        config: { StartingPosition: 'LATEST' },
      },
    );
    // LATEST is fixed when the shard iterator is taken: started() resolves once every shard holds one.
    await mapping.started();
    await put(name, 'new');
    await waitFor(() => seen.length === 1, 'the new record');
    expect(seen).toEqual(['new']);
  });

  it('gathers records for MaximumBatchingWindowInSeconds before invoking', async () => {
    const { name, streamArn } = await createOrdersTable();
    const batches: string[][] = [];
    // The window runs on the mapping's clock, which only the test moves; the wake-up hint brings each record.
    const clock = new ManualClock(Date.now());
    const { mapping, polls } = startMapping(
      streamArn,
      async (e) => void batches.push(ids(e.Records) as string[]),
      { config: { MaximumBatchingWindowInSeconds: 1 }, clock },
    );
    for (const [i, id] of ['w1', 'w2', 'w3'].entries()) {
      await put(name, id);
      await waitFor(() => mapping.progress().recordsBehind === i + 1, `${id} to be read`);
      // The poll after the one that read it comes back empty, and only then does the consumer sleep on the
      // clock: advancing the clock before that would put its next poll out of reach.
      const read = polls.started();
      await waitFor(() => polls.lastEmpty() >= read, `the empty poll after ${id}`);
      // Read, and held: without a window the first record would already have gone alone.
      expect(batches).toEqual([]);
    }
    // 999 ms on: the mapping polls again (the poll interval has passed) and still holds the three.
    const mark = polls.started();
    clock.advance(999);
    await waitFor(() => polls.lastEmpty() > mark, 'a poll 999 ms into the window');
    expect(batches).toEqual([]);
    clock.advance(1);
    await waitFor(() => batches.length > 0, 'the window to close');
    expect(batches).toEqual([['w1', 'w2', 'w3']]);
  });

  it('sends only the records FilterCriteria keeps, and checkpoints past the others', async () => {
    const { name, streamArn } = await createOrdersTable();
    await put(name, 'keep-1', { status: { S: 'PAID' } });
    await put(name, 'drop-1', { status: { S: 'NEW' } });
    await put(name, 'keep-2', { status: { S: 'PAID' } });
    await put(name, 'drop-2', { status: { S: 'NEW' } });
    const checkpoints = new MemoryCheckpointStore();
    const seen: string[] = [];
    const { mapping, reports } = startMapping(
      streamArn,
      async (e) => void seen.push(...(ids(e.Records) as string[])),
      {
        checkpoints,
        config: {
          FilterCriteria: { Filters: [{ Pattern: '{"dynamodb":{"NewImage":{"status":{"S":["PAID"]}}}}' }] },
        },
      },
    );
    await waitFor(() => seen.length === 2, 'the kept records');
    await waitFor(() => mapping.metrics().total.FilteredOutEventCount === 2, 'the filtered-out count');
    expect(seen).toEqual(['keep-1', 'keep-2']);
    // The last record (filtered out) is checkpointed too: Lambda's iterator moves past filtered records.
    const shardId = (reports[0] as InvocationReport).shardId;
    const lastDelivered = BigInt((reports.at(-1) as InvocationReport).lastSequenceNumber);
    await waitFor(
      async () =>
        BigInt((await checkpoints.get('test-mapping', shardId))?.sequenceNumber ?? '0') > lastDelivered,
      'the checkpoint to pass the last delivered record',
    );
    expect(mapping.metrics().total).toMatchObject({
      PolledEventCount: 4,
      FilteredOutEventCount: 2,
      InvokedEventCount: 2,
    });
  });

  it('refuses an invalid filter pattern when the mapping is configured, naming the setting', () => {
    expect(
      () =>
        new EventSourceMapping({
          mappingId: 'bad-filter',
          streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000',
          client: h.streams,
          invoker: inProcessInvoker(async () => undefined),
          config: {
            StartingPosition: 'LATEST',
            FilterCriteria: { Filters: [{ Pattern: '{"eventName": "INSERT"}' }] },
          },
        }),
    ).toThrow(/^FilterCriteria: Invalid filter pattern definition\./);
  });

  it('does nothing while Enabled is false', async () => {
    const { name, streamArn } = await createOrdersTable();
    await put(name, 'x');
    let calls = 0;
    const disabled = startMapping(
      streamArn,
      async () => {
        calls += 1;
      },
      { config: { Enabled: false } },
    );
    await disabled.mapping.started(); // resolves at once for a disabled mapping
    // An enabled mapping on the same stream reads x and goes idle: the disabled one had the same chance.
    const seen: string[] = [];
    const enabled = startMapping(streamArn, async (e) => void seen.push(...(ids(e.Records) as string[])), {
      mappingId: 'enabled-twin',
    });
    await waitFor(() => seen.length === 1, 'the enabled twin to read x');
    await waitForIdle(enabled.mapping, enabled.polls, 'the enabled twin');
    expect(calls).toBe(0);
    expect(disabled.mapping.progress().shards).toBe(0);
    expect(disabled.polls.started()).toBe(0);
  });
});
