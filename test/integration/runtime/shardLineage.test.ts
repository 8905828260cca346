import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness;
let mapping: EventSourceMapping | undefined;
afterEach(async () => {
  await mapping?.stop();
  await h.close();
});

describe('EventSourceMapping across shard lineage', () => {
  it('reads parents before children, so every item keeps its order across rollovers and splits', async () => {
    h = await startHarness({ streams: { shardCount: 2, rolloverAfterRecords: 7 } });
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'counters',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'counters' }));
    const streamArn = Table?.LatestStreamArn as string;
    const seen = new Map<string, number[]>();
    let total = 0;
    mapping = new EventSourceMapping({
      mappingId: 'lineage',
      streamArn,
      client: h.streams,
      config: { StartingPosition: 'TRIM_HORIZON', BatchSize: 4 },
      pollIntervalMs: 10,
      discoveryIntervalMs: 50,
      invoker: inProcessInvoker(async (event: DynamoDBStreamEvent) => {
        for (const r of event.Records) {
          const id = r.dynamodb?.NewImage?.id?.S as string;
          seen.set(id, [...(seen.get(id) ?? []), Number(r.dynamodb?.NewImage?.v?.N)]);
          total += 1;
        }
      }),
    });
    const stream = h.running.emulator.region('us-east-1').streams.get(streamArn);
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let v = 1; v <= 10; v++) {
      for (const id of items) {
        await h.dynamodb.send(
          new PutItemCommand({ TableName: 'counters', Item: { id: { S: id }, v: { N: String(v) } } }),
        );
      }
      if (v === 3) mapping.start(); // the mapping joins while shards are rolling over
      if (v === 5) {
        const open = stream?.shards.find((s) => s.isOpen);
        if (open !== undefined) stream?.split(open.id);
      }
    }
    await waitFor(() => total === 60, 'all 60 records');
    for (const id of items) expect(seen.get(id), id).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    expect(StreamDescription?.Shards?.length).toBeGreaterThan(4);
  });
});
