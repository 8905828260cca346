import {
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordJson } from '../../../src/records/recordJson.js';
import { silentLogger } from '../../../src/runtime/observability/logger.js';
import { MappingMetrics } from '../../../src/runtime/observability/MappingMetrics.js';
import { LiveShardSource } from '../../../src/runtime/sources/live/LiveShardSource.js';
import { ManualClock } from '../../../src/time/clock.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

// A live shard's records keep the text GetRecords sent them in (src/runtime/sources/live/LiveShardReader.ts): the
// batch is sized by it and the function's event is joined from it. It must stand for the record Lambda hands
// over, `eventSourceARN` included (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
describe('records read from a live shard', () => {
  const clock = new ManualClock(Date.parse('2026-12-01T00:00:00Z'));
  let harness: EmulatorHarness;
  let streamArn: string;

  beforeAll(async () => {
    harness = await startHarness({ clock, ttlSweepIntervalMs: 10 * 365 * 86_400_000 });
    const { dynamodb } = harness;
    streamArn = await createStreamTable(dynamodb, 'texts', 'NEW_AND_OLD_IMAGES');
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'texts',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    const odd = 'quote " backslash \\ brace } bracket ] é \u2028 😀';
    await dynamodb.send(
      new PutItemCommand({
        TableName: 'texts',
        Item: {
          pk: { S: 'a' },
          [odd]: { S: odd },
          blob: { B: new Uint8Array([0, 1, 254, 255]) },
          nested: { M: { list: { L: [{ N: '1.50' }, { BS: [new Uint8Array([7])] }, { NULL: true }] } } },
        },
      }),
    );
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: 'texts',
        Key: { pk: { S: 'a' } },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': { N: '-0.000' } },
      }),
    );
    await dynamodb.send(new DeleteItemCommand({ TableName: 'texts', Key: { pk: { S: 'a' } } }));
    const expiresAt = String(Math.floor(clock.now() / 1000) - 60);
    await dynamodb.send(
      new PutItemCommand({ TableName: 'texts', Item: { pk: { S: 'old' }, expiresAt: { N: expiresAt } } }),
    );
    expect(harness.running.emulator.sweepTtl()).toBe(1);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await harness?.close();
  });

  it('carry the text of the page, equal to the record, and only a TTL deletion is written anew', async () => {
    const source = new LiveShardSource({
      client: harness.streams,
      streamArn,
      mappingId: 'texts',
      clock,
      logger: silentLogger,
      metrics: new MappingMetrics(),
    });
    const [shard] = await source.listShards();
    const reader = source.reader(shard?.shardId as string, { type: 'TRIM_HORIZON' });
    const signal = new AbortController().signal;
    await reader.open(signal);
    const { records } = await reader.read(1000, signal);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE', 'INSERT', 'REMOVE']);
    expect(records.at(-1)?.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });

    const stringify = vi.spyOn(JSON, 'stringify');
    const texts = records.map(recordJson);
    // Only the TTL deletion, whose userIdentity Lambda renames, had no text to keep.
    expect(stringify.mock.calls.map(([value]) => value)).toEqual([records.at(-1)]);
    stringify.mockRestore();
    for (const [index, record] of records.entries()) {
      expect(JSON.parse(texts[index] as string)).toEqual(record);
      // The emulator writes JSON as JSON.stringify does, so the text is byte for byte the same.
      expect(texts[index]).toBe(JSON.stringify(record));
      expect(record.eventSourceARN).toBe(streamArn);
    }
  });
});
