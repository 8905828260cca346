import { isDeepStrictEqual } from 'node:util';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../../src/checkpoint/MemoryCheckpointStore.js';
import { defineStreamHandler } from '../../../src/handler/defineStreamHandler.js';
import { processEach } from '../../../src/operators/processEach.js';
import { replicate } from '../../../src/operators/replication/replicate.js';
import { stampForReplication } from '../../../src/operators/replication/stampForReplication.js';
import { type BootstrapOptions, bootstrap } from '../../../src/runtime/bootstrap.js';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { BootstrapRetentionError } from '../../../src/runtime/errors/BootstrapRetentionError.js';
import {
  inProcessInvoker,
  type StreamHandlerFunction,
} from '../../../src/runtime/invocation/inProcessInvoker.js';
import { ManualClock } from '../../../src/time/clock.js';
import { fuzz, orderOf } from '../../helpers/bootstrapFuzz.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { scanAll } from '../../helpers/orderExamples.js';
import { testRandom } from '../../helpers/testRandom.js';
import { waitFor } from '../../helpers/waitFor.js';

/** The replicator of the `orders` table in `region`, forwarding to `otherRegion`, for the region tests. */
const replicatorOf = (
  region: string,
  own: { readonly dynamodb: DynamoDBClient },
  other: { readonly dynamodb: DynamoDBClient },
  otherRegion: string,
) =>
  defineStreamHandler(
    replicate({
      tableName: 'orders',
      region,
      client: own.dynamodb,
      replicas: [{ region: otherRegion, client: other.dynamodb }],
    }),
  );

/** A region's replicator mapping, live and started: what runs beside and after a bootstrap in the region tests. */
const startLiveReplicator = (options: {
  readonly mappingId: string;
  readonly streamArn: string;
  readonly client: DynamoDBStreamsClient;
  readonly handler: StreamHandlerFunction;
  readonly config: Record<string, unknown>;
  readonly checkpoints?: MemoryCheckpointStore;
}): EventSourceMapping => {
  const { handler, ...rest } = options;
  const mapping = new EventSourceMapping({ ...rest, invoker: inProcessInvoker(handler), pollIntervalMs: 50 });
  mapping.start();
  return mapping;
};

/** Runs a bootstrap and stops it at its `invocations`th invocation: the summary of that unfinished run. */
const stoppedAfter = (options: BootstrapOptions, invocations: number) => {
  const stop = new AbortController();
  let count = 0;
  return bootstrap({
    ...options,
    signal: stop.signal,
    onInvocation: () => {
      count += 1;
      if (count === invocations) stop.abort();
    },
  });
};

describe('bootstrap: a read model from a live table, exact per key', () => {
  let h: EmulatorHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('projection and aggregate equal a recomputation from the table after writers update, insert and delete during the bootstrap, between pages’ requests and responses and across shard rollovers and splits', async () => {
    const { random } = testRandom(1414);
    h = await startHarness();
    const { running } = h;
    await fuzz({
      random,
      dynamodb: h.dynamodb,
      streams: h.streams,
      scanClient: h.clientsFor('us-east-1').dynamodb,
      reshard: (streamArn, writes) => {
        if (writes % 150 !== 0) return;
        // Shards roll over and split while the bootstrap reads them.
        const shards = running.emulator.control.rollOver({ streamArn });
        if (writes % 300 === 0 && shards[0] !== undefined)
          running.emulator.control.split({ streamArn, shardId: shards[0] });
      },
    });
  }, 120_000);

  it('adds a region to a live replicated table: the new region gets the existing items while both regions keep writing, and the two converge (last writer wins, tombstones kept)', async () => {
    const { random } = testRandom(3014);
    h = await startHarness();
    const east = h.clientsFor('us-east-1');
    const west = h.clientsFor('eu-west-1');
    const eastArn = await createStreamTable(east.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
    const KEYS = 1000;
    for (let i = 0; i < KEYS; i += 25) {
      const batch = Array.from({ length: 25 }, (_, j) =>
        stampForReplication(orderOf(random, i + j), { region: 'us-east-1' }),
      );
      await east.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { orders: batch.map((o) => ({ PutRequest: { Item: marshall(o) } })) },
        }),
      );
    }
    // The new region: an empty table with a stream as old as it, replicated towards east from its start.
    const westArn = await createStreamTable(west.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
    const eastReplicator = replicatorOf('us-east-1', east, west, 'eu-west-1');
    const westReplicator = replicatorOf('eu-west-1', west, east, 'us-east-1');
    const config = {
      StartingPosition: 'TRIM_HORIZON' as const,
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures' as const],
    };
    const westLive = startLiveReplicator({
      mappingId: 'west-replicator',
      streamArn: westArn,
      client: west.streams,
      handler: westReplicator,
      config,
    });

    // Both regions write the same keys: puts stamped with their region, and deletes.
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        const [region, client] = random.chance(0.5)
          ? (['us-east-1', east.dynamodb] as const)
          : (['eu-west-1', west.dynamodb] as const);
        const n = random.int(KEYS + 100);
        if (random.chance(0.2))
          await client.send(new DeleteItemCommand({ TableName: 'orders', Key: marshall({ pk: `o${n}` }) }));
        else
          await client.send(
            new PutItemCommand({
              TableName: 'orders',
              Item: marshall(stampForReplication(orderOf(random, n), { region })),
            }),
          );
        writes += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const checkpoints = new MemoryCheckpointStore();
    const summary = await bootstrap({
      tableName: 'orders',
      mappingId: 'east-replicator',
      dynamodb: east.dynamodb,
      streams: east.streams,
      handler: eastReplicator,
      checkpoints,
      config,
      segments: 2,
      pageSize: 100,
      graceMs: 500,
      progressIntervalMs: 100,
      // A replicator continues from the stream's start: west wrote before the cut, and an east delete from then
      // of an item west wrote is in no snapshot (the item is not in the table); last writer wins makes the
      // changes seen twice harmless.
      handover: 'trimHorizon',
    });
    expect(summary.completed).toBe(true);
    const eastLive = startLiveReplicator({
      mappingId: 'east-replicator',
      streamArn: eastArn,
      client: east.streams,
      handler: eastReplicator,
      config,
      checkpoints,
    });
    const more = writes + 200;
    await waitFor(() => writes >= more, 'writes in both regions', 60_000);
    writing = false;
    await writer;

    const contents = async (client: DynamoDBClient) =>
      (await scanAll(client, 'orders')).sort((a, b) => String(a.pk).localeCompare(String(b.pk)));
    let eastRows = await contents(east.dynamodb);
    let westRows = await contents(west.dynamodb);
    await waitFor(
      async () => {
        eastRows = await contents(east.dynamodb);
        westRows = await contents(west.dynamodb);
        return isDeepStrictEqual(eastRows, westRows);
      },
      'the two regions to converge',
      30_000,
      200,
    ).catch(() => undefined);
    await eastLive.stop();
    await westLive.stop();
    expect(westRows.length).toBeGreaterThanOrEqual(KEYS / 2);
    expect(westRows.some((row) => row.eddy_deleted === true)).toBe(true);
    expect(westRows).toEqual(eastRows);
  }, 120_000);
  it.each([
    ['trimHorizon', 'a tombstone in both regions'],
    [
      'cut',
      'the new region keeps the item the source deleted (why a replicator hands over at the stream start)',
    ],
  ] as const)(
    'adding a region, a source delete from before the cut of an item the new region wrote, handover %s: %s',
    async (handover, _outcome) => {
      h = await startHarness();
      const east = h.clientsFor('us-east-1');
      const west = h.clientsFor('eu-west-1');
      const eastArn = await createStreamTable(east.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
      const westArn = await createStreamTable(west.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
      const config = { StartingPosition: 'TRIM_HORIZON' as const, BatchSize: 100 };
      await east.dynamodb.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: marshall(stampForReplication({ pk: 'kept', total: 1 }, { region: 'us-east-1' })),
        }),
      );
      const westLive = startLiveReplicator({
        mappingId: 'west-replicator',
        streamArn: westArn,
        client: west.streams,
        handler: replicatorOf('eu-west-1', west, east, 'us-east-1'),
        config,
      });
      // West writes an item, its replicator copies it to east, and east deletes it: all before the cut.
      await west.dynamodb.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: marshall(stampForReplication({ pk: 'gone', total: 2 }, { region: 'eu-west-1' })),
        }),
      );
      const eastItem = async (pk: string) =>
        (await scanAll(east.dynamodb, 'orders')).find((row) => row.pk === pk);
      await waitFor(async () => (await eastItem('gone')) !== undefined, 'west’s item to reach east');
      await east.dynamodb.send(new DeleteItemCommand({ TableName: 'orders', Key: marshall({ pk: 'gone' }) }));

      const checkpoints = new MemoryCheckpointStore();
      const eastReplicator = replicatorOf('us-east-1', east, west, 'eu-west-1');
      const summary = await bootstrap({
        tableName: 'orders',
        mappingId: 'east-replicator',
        dynamodb: east.dynamodb,
        streams: east.streams,
        handler: eastReplicator,
        checkpoints,
        config,
        graceMs: 200,
        progressIntervalMs: 50,
        handover,
      });
      expect(summary.completed).toBe(true);
      const eastLive = startLiveReplicator({
        mappingId: 'east-replicator',
        streamArn: eastArn,
        client: east.streams,
        handler: eastReplicator,
        config,
        checkpoints,
      });
      const westItem = async (pk: string) =>
        (await scanAll(west.dynamodb, 'orders')).find((row) => row.pk === pk);
      try {
        await waitFor(async () => (await westItem('kept')) !== undefined, 'the snapshot to reach west');
        if (handover === 'trimHorizon') {
          await waitFor(
            async () => (await westItem('gone'))?.eddy_deleted === true,
            'the delete to reach west',
          );
          expect((await eastItem('gone'))?.eddy_deleted).toBe(true);
        } else {
          // Everything the live mapping gets is past the cut: the delete is not, and the snapshot cannot carry it.
          // A write after the cut reaching west shows the live mapping has read past where the delete would be.
          await east.dynamodb.send(
            new PutItemCommand({
              TableName: 'orders',
              Item: marshall(stampForReplication({ pk: 'later', total: 3 }, { region: 'us-east-1' })),
            }),
          );
          await waitFor(
            async () => (await westItem('later')) !== undefined,
            'a later east write to reach west',
          );
          expect((await westItem('gone'))?.eddy_deleted).toBeUndefined();
          expect(await eastItem('gone')).toBeUndefined();
        }
      } finally {
        await eastLive.stop();
        await westLive.stop();
      }
    },
  );

  it('stops with a BootstrapRetentionError, saying how far behind it is and the options left, before the changes since its cut would be trimmed (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html)', async () => {
    h = await startHarness();
    await createStreamTable(h.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
    await h.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: marshall({ pk: 'o1' }) }));
    const clock = new ManualClock(Date.now());
    // A function that does not get through its batch (a throttled view table): the snapshot is not done in time.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let failure: unknown;
    const running = bootstrap({
      tableName: 'orders',
      mappingId: 'slow',
      dynamodb: h.dynamodb,
      streams: h.streams,
      handler: defineStreamHandler(processEach(() => gate)),
      clock,
      segments: 2,
    }).catch((error: unknown) => {
      failure = error;
    });
    // Time passes (a table far too large for its read capacity): an hour at a time until the bootstrap gives up.
    let hours = 0;
    await waitFor(
      () => {
        if (failure !== undefined) return true;
        hours += 1;
        clock.advance(60 * 60 * 1000);
        // Past the point where it must have stopped: let the batch in flight finish, so its stop completes.
        if (hours > 24) release();
        return false;
      },
      'the bootstrap to stop',
      30_000,
      20,
    );
    await running;
    expect(failure).toBeInstanceOf(BootstrapRetentionError);
    expect(hours).toBeGreaterThanOrEqual(22);
    expect(hours).toBeLessThanOrEqual(25);
    expect((failure as Error).message).toMatch(
      /bootstrap of slow: its cut was 2\d\.\d h ago and the stream keeps records 24 h, .* stopped before any record was lost\. Options: start over into an empty read model with more parallel segments \(now 2/,
    );
  }, 60_000);
  it('resumes after a stop without emitting again the pages it finished: at most one page per segment comes twice', async () => {
    const { random } = testRandom(4014);
    h = await startHarness();
    await createStreamTable(h.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
    const KEYS = 600;
    for (let i = 0; i < KEYS; i += 25) {
      const batch = Array.from({ length: 25 }, (_, j) => orderOf(random, i + j));
      await h.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { orders: batch.map((o) => ({ PutRequest: { Item: marshall(o) } })) },
        }),
      );
    }
    const seen = new Map<string, number>();
    const handler = defineStreamHandler(
      processEach(async (item) => {
        if (item.snapshot === true)
          seen.set(item.keys.pk as string, (seen.get(item.keys.pk as string) ?? 0) + 1);
      }),
    );
    const checkpoints = new MemoryCheckpointStore();
    const options = {
      tableName: 'orders',
      mappingId: 'resumed',
      dynamodb: h.dynamodb,
      streams: h.streams,
      handler,
      checkpoints,
      config: { BatchSize: 20 },
      segments: 2,
      pageSize: 50,
      graceMs: 200,
      progressIntervalMs: 50,
    };
    const first = await stoppedAfter(options, 8);
    expect(first.completed).toBe(false);
    const emittedBefore = [...seen.values()].reduce((a, b) => a + b, 0);
    expect(emittedBefore).toBeGreaterThan(0);
    expect(emittedBefore).toBeLessThan(KEYS);
    const second = await bootstrap(options);
    expect(second.completed).toBe(true);
    expect(new Set(seen.keys()).size).toBe(KEYS);
    const twice = [...seen.values()].filter((n) => n > 1).length;
    expect(twice).toBeLessThanOrEqual(2 * 50);
    expect((await bootstrap(options)).alreadyDone).toBe(true);
  });

  it('resumes a table whose key is binary: the checkpointed Scan key keeps its bytes', async () => {
    h = await startHarness();
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'blobs',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'B' },
          { AttributeName: 'part', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'part', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const KEYS = 300;
    // Bytes that are not valid UTF-8 (0xff, 0x00): a key that went through JSON as text would not survive.
    const idOf = (i: number) => Buffer.from([0xff, 0x00, i >> 8, i & 0xff]);
    for (let i = 0; i < KEYS; i += 25) {
      await h.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            blobs: Array.from({ length: 25 }, (_, j) => ({
              PutRequest: { Item: { id: { B: idOf(i + j) }, part: { N: String((i + j) % 3) } } },
            })),
          },
        }),
      );
    }
    const seen = new Set<string>();
    const handler = defineStreamHandler(
      processEach(async (item) => {
        const { id, part } = item.keys as { id: Uint8Array; part: number };
        seen.add(`${Buffer.from(id).toString('hex')}/${part}`);
      }),
    );
    const options = {
      tableName: 'blobs',
      mappingId: 'binary-keys',
      dynamodb: h.dynamodb,
      streams: h.streams,
      handler,
      checkpoints: new MemoryCheckpointStore(),
      config: { BatchSize: 10 },
      segments: 2,
      pageSize: 20,
      graceMs: 200,
      progressIntervalMs: 50,
    };
    const first = await stoppedAfter(options, 6);
    expect(first.completed).toBe(false);
    expect(seen.size).toBeLessThan(KEYS);
    expect((await bootstrap(options)).completed).toBe(true);
    expect([...seen].sort()).toEqual(
      Array.from({ length: KEYS }, (_, i) => `${idOf(i).toString('hex')}/${i % 3}`).sort(),
    );
  });

  it("reports its progress in the mapping's metrics (segments done, items scanned, rows emitted, rows superseded by the stream, stream lag), as Lambda's mapping metrics are logged (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html)", async () => {
    const { random } = testRandom(5014);
    h = await startHarness();
    await createStreamTable(h.dynamodb, 'orders', 'NEW_AND_OLD_IMAGES');
    const KEYS = 300;
    for (let i = 0; i < KEYS; i += 25) {
      const batch = Array.from({ length: 25 }, (_, j) => orderOf(random, i + j));
      await h.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: { orders: batch.map((o) => ({ PutRequest: { Item: marshall(o) } })) },
        }),
      );
    }
    const lines: Record<string, unknown>[] = [];
    const capture = (message: string, fields: Record<string, unknown> = {}) => {
      if (message === 'metrics') lines.push(fields);
    };
    const logger = { debug: capture, info: capture, warn: capture, error: capture };
    const summary = await bootstrap({
      tableName: 'orders',
      mappingId: 'measured',
      dynamodb: h.dynamodb,
      streams: h.streams,
      handler: defineStreamHandler(processEach(async () => undefined)),
      segments: 3,
      pageSize: 50,
      graceMs: 200,
      logger,
      metricsLogIntervalMs: 10,
    });
    expect(summary.completed).toBe(true);
    const figures = lines.map((line) => line.source as Record<string, number> | undefined);
    expect(figures.every((f) => f?.BootstrapSegments === 3)).toBe(true);
    // The figures grow as the snapshot goes, and never past the bootstrap's own summary.
    const scanned = figures.map((f) => f?.BootstrapScannedItemCount ?? -1);
    expect(scanned.some((n) => n > 0)).toBe(true);
    expect(scanned).toEqual([...scanned].sort((a, b) => a - b));
    const last = figures[figures.length - 1] ?? {};
    expect(last.BootstrapScannedItemCount).toBeLessThanOrEqual(summary.scanned);
    expect(last.BootstrapEmittedEventCount).toBeLessThanOrEqual(summary.emitted);
    expect(last.BootstrapSupersededItemCount).toBeLessThanOrEqual(summary.superseded);
    expect(last.BootstrapSegmentsDone).toBeLessThanOrEqual(3);
    expect(typeof last.BootstrapStreamLag).toBe('number');
    expect(summary.scanned).toBe(KEYS);
  });
});
