import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../../src/checkpoint/MemoryCheckpointStore.js';
import { bootstrap } from '../../../src/runtime/bootstrap.js';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness | undefined;
let mapping: EventSourceMapping | undefined;
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
afterEach(async () => {
  process.off('warning', onWarning);
  await mapping?.stop();
  await h?.close();
});

/** An emulator whose streams have 16 shards, with a table `wide` and its stream. */
const startWide = async (viewType: 'KEYS_ONLY' | 'NEW_IMAGE'): Promise<EmulatorHarness> => {
  const harness = await startHarness({ streams: { shardCount: 16 } });
  await harness.dynamodb.send(
    new CreateTableCommand({
      TableName: 'wide',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    }),
  );
  return harness;
};

describe('a mapping on a stream with many shards', () => {
  // Node warns (MaxListenersExceededWarning) when an EventTarget such as an AbortSignal holds more than ten
  // listeners for one event: a listener per shard on a signal the mapping shares is a leak it points at.
  it('consumes more than ten shards, stops, and makes Node print no warning', async () => {
    process.on('warning', onWarning);
    h = await startWide('KEYS_ONLY');
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'wide' }));
    const streamArn = Table?.LatestStreamArn as string;
    let processed = 0;
    const running = h.running;
    mapping = new EventSourceMapping({
      mappingId: 'wide',
      streamArn,
      client: h.streams,
      config: { StartingPosition: 'TRIM_HORIZON' },
      pollIntervalMs: 10,
      wakeUps: {
        subscribe: (listener) =>
          running.emulator.onRecords((e) => {
            if (e.streamArn === streamArn) listener(e.shardId);
          }),
      },
      invoker: inProcessInvoker(async (event: DynamoDBStreamEvent) => {
        processed += event.Records.length;
      }),
    });
    mapping.start();
    await mapping.started();
    expect(mapping.progress().shards).toBe(16);
    for (let i = 0; i < 64; i++) {
      await h.dynamodb.send(new PutItemCommand({ TableName: 'wide', Item: { id: { S: `i-${i}` } } }));
    }
    await waitFor(() => processed === 64, 'every record');
    await mapping.stop();
    mapping = undefined;
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(
      warnings.map((w) => `${w.name}: ${w.message}`).filter((w) => !w.includes('NodeVersionSupport')),
    ).toEqual([]);
  });

  it('bootstraps from a table whose stream has more than ten shards, with more than ten segments, and makes Node print no warning', async () => {
    process.on('warning', onWarning);
    h = await startWide('NEW_IMAGE');
    for (let i = 0; i < 64; i++) {
      await h.dynamodb.send(new PutItemCommand({ TableName: 'wide', Item: { id: { S: `i-${i}` } } }));
    }
    const seen = new Set<string>();
    const summary = await bootstrap({
      tableName: 'wide',
      mappingId: 'wide-view',
      dynamodb: h.dynamodb,
      streams: h.streams,
      handler: async (event: DynamoDBStreamEvent) => {
        for (const record of event.Records) seen.add(record.dynamodb?.Keys?.id?.S as string);
      },
      checkpoints: new MemoryCheckpointStore(),
      segments: 12,
      pageSize: 4,
      graceMs: 100,
      progressIntervalMs: 50,
    });
    expect(summary.completed).toBe(true);
    expect(seen.size).toBe(64);
    await new Promise((resolve) => setImmediate(resolve));
    expect(
      warnings.map((w) => `${w.name}: ${w.message}`).filter((w) => !w.includes('NodeVersionSupport')),
    ).toEqual([]);
  });
});
