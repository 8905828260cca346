/**
 * The test kit's handler runs: a real EventSourceMapping on the test emulator's stream and manual clock, with
 * SAM's settings, and `settled()` that waits for effects (never for wall-clock time) and moves the clock to
 * retries' backoff and windows' ends. Also: the kit's record builders make exactly the records the emulator's
 * stream delivers for the same writes.
 */
import { UpdateItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  startTestEmulator,
  streamRecordFactory,
  type TestEmulator,
} from '../../../local-runtime/testing/index.js';
import { STREAM_VIEW_TYPES, type StreamViewType } from '../../../src/records/streamRecord.js';

const ordersTable = (viewType: StreamViewType = 'NEW_AND_OLD_IMAGES') => ({
  TableName: 'orders',
  AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' as const }],
  StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
});

const start = (viewType?: StreamViewType): Promise<TestEmulator> =>
  startTestEmulator({ tables: [ordersTable(viewType)] });

const putOrders = (eddy: TestEmulator, count: number) =>
  eddy.put('orders', ...Array.from({ length: count }, (_, i) => ({ orderId: `o${i}`, total: i })));

describe.each(STREAM_VIEW_TYPES)(
  'streamRecordFactory against the emulator, StreamViewType %s',
  (viewType) => {
    it('builds the records the stream delivers for the same writes, TTL deletes included', async () => {
      await using eddy = await start(viewType);
      await eddy.dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: 'orders',
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        }),
      );
      await using run = await eddy.runHandler(async () => undefined, { table: 'orders' });
      const first = { orderId: 'o1', total: 10, blob: Buffer.from('foobar') };
      const second = { orderId: 'o1', total: 12, blob: Buffer.from('foobar') };
      const expiring = { orderId: 'o2', expiresAt: Math.floor(eddy.clock.now() / 1000) - 1 };
      await eddy.put('orders', first);
      await eddy.put('orders', second);
      await eddy.delete('orders', { orderId: 'o1' });
      await eddy.put('orders', expiring);
      expect(eddy.sweepTtl()).toBe(1);
      await run.settled();

      const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'], viewType });
      const built = [
        orders.insert(first),
        orders.modify(first, second),
        orders.remove(second),
        orders.insert(expiring),
        orders.ttlRemove(expiring),
      ];
      // eventID is random per record, and sequence numbers only grow (AWS does not number from a known start);
      // everything else, the field order included, is the stream's.
      const comparable = (records: readonly DynamoDBRecord[]) =>
        records.map(({ eventID: _, dynamodb, ...rest }) => {
          const { SequenceNumber: __, ...data } = dynamodb ?? {};
          return JSON.stringify({ ...rest, dynamodb: data });
        });
      expect(comparable(run.records())).toEqual(comparable(built));
    });
  },
);

describe('runHandler with SAM settings', () => {
  it('retries a reported failure MaximumRetryAttempts times, then sends it to the on-failure destination', async () => {
    await using eddy = await start();
    // Written first, so that the run (from TRIM_HORIZON) takes them in one batch.
    await putOrders(eddy, 5);
    await using run = await eddy.runHandler(
      async (event: DynamoDBStreamEvent) => ({
        batchItemFailures: event.Records.filter((r) => r.dynamodb?.Keys?.orderId?.S === 'o2').map((r) => ({
          itemIdentifier: r.dynamodb?.SequenceNumber,
        })),
      }),
      {
        table: 'orders',
        settings: {
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          MaximumRetryAttempts: 2,
        },
      },
    );
    const startedAt = eddy.clock.now();
    await run.settled();

    // o0, o1 succeed; o2..o4 are sent again from o2 on until their retries run out (each after a backoff on
    // the clock), then discarded.
    expect(run.invocations[0]?.event.Records).toHaveLength(5);
    expect(run.invocations.slice(1).every((i) => i.event.Records.length === 3)).toBe(true);
    expect(run.reports.at(-1)).toMatchObject({ attempt: 3, discarded: 3 });
    expect(new Set(run.batchItemFailures).size).toBe(1);
    expect(run.onFailure).toHaveLength(1);
    expect(run.onFailure[0]?.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(run.onFailure[0]?.DDBStreamBatchInfo).toMatchObject({ batchSize: 3, streamArn: run.streamArn });
    expect(eddy.clock.now()).toBeGreaterThan(startedAt);
  });

  it('bisects a batch that throws until the poison record is alone (BisectBatchOnFunctionError)', async () => {
    await using eddy = await start();
    await putOrders(eddy, 4);
    await using run = await eddy.runHandler(
      async (event: DynamoDBStreamEvent) => {
        if (event.Records.some((r) => r.dynamodb?.NewImage?.orderId?.S === 'o3')) throw new Error('poison');
      },
      { table: 'orders', settings: { BisectBatchOnFunctionError: true, MaximumRetryAttempts: 0 } },
    );
    await run.settled();

    expect(run.reports.some((r) => r.bisectedInto !== undefined)).toBe(true);
    expect(run.onFailure.map((r) => r.DDBStreamBatchInfo.batchSize)).toEqual([1]);
    const handled = run.invocations.filter((i) => i.error === undefined).flatMap((i) => i.event.Records);
    expect(handled.map((r) => r.dynamodb?.NewImage?.orderId?.S).sort()).toEqual(['o0', 'o1', 'o2']);
  });

  it('never invokes for records FilterCriteria drops, and still settles past them', async () => {
    await using eddy = await start();
    await using run = await eddy.runHandler(async () => undefined, {
      table: 'orders',
      settings: { FilterCriteria: { Filters: [{ Pattern: '{"eventName":["REMOVE"]}' }] } },
    });
    await putOrders(eddy, 3);
    await eddy.delete('orders', { orderId: 'o1' });
    await run.settled();
    expect(run.records().map((r) => r.eventName)).toEqual(['REMOVE']);
  });

  it('ends a tumbling window on the clock, with its final invocation (TumblingWindowInSeconds)', async () => {
    await using eddy = await start();
    const windowed = async (event: DynamoDBStreamEvent & { state?: { count?: number } }) => ({
      state: { count: (event.state?.count ?? 0) + event.Records.length },
      batchItemFailures: [],
    });
    await using run = await eddy.runHandler(windowed, {
      table: 'orders',
      settings: { TumblingWindowInSeconds: 30, BatchSize: 2 },
    });
    await putOrders(eddy, 5);
    await run.settled();

    const events = run.invocations.map((i) => i.event as DynamoDBStreamEvent & Record<string, unknown>);
    const final = events.at(-1);
    expect(final?.isFinalInvokeForWindow).toBe(true);
    expect(final?.state).toEqual({ count: 5 });
    expect(events.slice(0, -1).every((e) => e.isFinalInvokeForWindow === false)).toBe(true);
  });

  it('takes the function and the settings of a template event, overridden by settings', async () => {
    await using eddy = await startTestEmulator({ template: 'template.yaml' });
    expect(eddy.tables).toMatchObject({ OrdersTable: 'orders', OrderViewTable: 'order-view' });
    await using run = await eddy.runHandler(async () => undefined, {
      function: 'CustomerTotalsFunction',
      settings: { BatchSize: 7 },
    });
    expect(run.streamArn).toBe(await eddy.streamArn('OrdersTable'));
    expect(run.config).toMatchObject({
      BatchSize: 7,
      MaximumRetryAttempts: 5,
      ReportBatchItemFailures: true,
    });
    await eddy.dynamodb.send(
      new UpdateItemCommand({
        TableName: eddy.tableName('OrdersTable'),
        Key: { orderId: { S: 'o1' } },
        UpdateExpression: 'SET #t = :t',
        ExpressionAttributeNames: { '#t': 'total' },
        ExpressionAttributeValues: { ':t': { N: '1' } },
      }),
    );
    await run.settled();
    expect(run.records()).toHaveLength(1);
    expect(eddy.environment('OrdersProjectionFunction')).toMatchObject({
      VIEW_TABLE: 'order-view',
      AWS_ENDPOINT_URL: eddy.endpoint,
      AWS_REGION: 'us-east-1',
    });
  });
});

describe('runHandler errors, in the caller’s terms', () => {
  it('names what settled() waits for when a batch fails forever (AWS’s default retries)', async () => {
    await using eddy = await start();
    await using run = await eddy.runHandler(
      async () => {
        throw new Error('always');
      },
      { table: 'orders' },
    );
    await putOrders(eddy, 1);
    await expect(run.settled({ timeoutMs: 300 })).rejects.toThrow(
      /AWS_ENDPOINT_URL does not point at this emulator/,
    );
    eddy.useEnvironment();
    await expect(run.settled({ timeoutMs: 300 })).rejects.toThrow(
      /did not settle within 300 ms: shardId-\S+ checkpointed at \(none\), latest \d+; its last failed invocation \(attempt \d+\): Error: always\. With MaximumRetryAttempts -1/,
    );
  });

  it('refuses an unknown table, a table without a stream, a setting out of range and a missing function', async () => {
    await using eddy = await startTestEmulator({
      tables: [{ ...ordersTable(), StreamSpecification: undefined }],
    });
    const noop = async () => undefined;
    await expect(eddy.runHandler(noop, { table: 'ordrs' })).rejects.toThrow(
      'eddy/testing: no table "ordrs" (tables: orders)',
    );
    await expect(eddy.runHandler(noop, { table: 'orders' })).rejects.toThrow(/table orders has no stream/);
    await expect(eddy.runHandler(noop, { table: 'orders', settings: { BatchSize: 0 } })).rejects.toThrow(
      /BatchSize: must be an integer from 1 to 10000; got 0 \(in runHandler settings\)/,
    );
    await expect(eddy.runHandler(noop, { function: 'Projection' })).rejects.toThrow(
      /needs a template: startTestEmulator\(\{ template: 'template.yaml' \}\)/,
    );
  });
});
