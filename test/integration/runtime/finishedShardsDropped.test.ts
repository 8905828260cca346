import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

// A mapping that lives through rollovers (AWS closes a stream's shards about every four hours and gives each a
// child: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.Processing) must
// not keep state for every shard it ever read: `eddy dev` runs for days, and each metrics snapshot, log line and
// dashboard sample copied every such shard (bench/devSoak.ts).

let h: EmulatorHarness | undefined;
let mapping: EventSourceMapping | undefined;
afterEach(async () => {
  await mapping?.stop();
  mapping = undefined;
  await h?.close();
  h = undefined;
});

describe('a mapping through rollovers', () => {
  it('drops the metrics of each shard it read to its end, and keeps their counts in the totals', async () => {
    h = await startHarness();
    const streamArn = await createStreamTable(h.dynamodb, 'rolling', 'KEYS_ONLY', 'id');
    let processed = 0;
    mapping = new EventSourceMapping({
      mappingId: 'rolling',
      streamArn,
      client: h.streams,
      config: { StartingPosition: 'TRIM_HORIZON' },
      pollIntervalMs: 10,
      discoveryIntervalMs: 20,
      invoker: inProcessInvoker(async (event: DynamoDBStreamEvent) => {
        processed += event.Records.length;
      }),
    });
    mapping.start();
    const GENERATIONS = 6;
    for (let generation = 0; generation < GENERATIONS; generation++) {
      await h.dynamodb.send(
        new PutItemCommand({ TableName: 'rolling', Item: { id: { S: `item-${generation}` } } }),
      );
      await waitFor(() => processed === generation + 1, `record ${generation}`);
      h.running.emulator.control.rollOver({ streamArn });
    }
    // Every closed generation is read to its end; only the open shard is still consumed.
    const openShards = () =>
      h?.running.emulator
        .region('us-east-1')
        .streams.get(streamArn)
        ?.shards.filter((s) => s.isOpen)
        .map((s) => s.id) ?? [];
    await waitFor(
      () => Object.keys(mapping?.metrics().byShard ?? {}).every((id) => openShards().includes(id)),
      'every closed shard retired',
    );
    const { total } = (mapping as EventSourceMapping).metrics();
    expect(total.InvokedEventCount).toBe(GENERATIONS);
    expect(total.PolledEventCount).toBe(GENERATIONS);
  });
});
