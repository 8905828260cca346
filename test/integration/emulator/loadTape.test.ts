import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it } from 'vitest';
import { TapeLoadError } from '../../../local-runtime/emulator/tape/TapeLoadError.js';
import { streamRecordFactory } from '../../../local-runtime/testing/streamRecordFactory.js';
import { tapeOf } from '../../../local-runtime/testing/tapeOf.js';
import { loadTape } from '../../../src/tape/readTape.js';
import { parseRecordFrom, parseRecordUntil } from '../../../src/tape/recordPositions.js';
import { recordStream } from '../../../src/tape/recordStream.js';
import type { Tape } from '../../../src/tape/tapeFormat.js';
import { ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

const harnesses: EmulatorHarness[] = [];
const dirs: string[] = [];
const harness = async (options: Parameters<typeof startHarness>[0] = {}) => {
  const h = await startHarness(options);
  harnesses.push(h);
  return h;
};
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Every record of a shard from TRIM_HORIZON, as the SDK returns them. */
const readShard = async (streams: DynamoDBStreamsClient, streamArn: string, shardId: string) => {
  const { ShardIterator } = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const records: _Record[] = [];
  let iterator = ShardIterator;
  for (let pages = 0; iterator !== undefined && pages < 20; pages++) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...(page.Records ?? []));
    if ((page.Records ?? []).length === 0) break;
    iterator = page.NextShardIterator;
  }
  return records;
};

const scanOf = async (h: EmulatorHarness, table: string) =>
  ((await h.dynamodb.send(new ScanCommand({ TableName: table }))).Items ?? []).sort((a, b) =>
    JSON.stringify(a).localeCompare(JSON.stringify(b)),
  );

/** A record's fields that the load keeps, in the SDK's shape. */
const kept = (r: _Record) => ({
  eventID: r.eventID,
  eventName: r.eventName,
  keys: r.dynamodb?.Keys,
  newImage: r.dynamodb?.NewImage,
  oldImage: r.dynamodb?.OldImage,
  at: r.dynamodb?.ApproximateCreationDateTime?.getTime(),
});

describe('Emulator.loadTape (eddy dev --load)', () => {
  it('lays a tapeOf tape into the stream as recorded and leaves the items as of its last record', async () => {
    const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
    const at = Date.UTC(2026, 0, 1, 10);
    const tape = tapeOf([
      orders.insert({ orderId: 'o1', total: 10 }, { at }),
      orders.insert({ orderId: 'o2', total: 20 }, { at: at + 1000 }),
      orders.modify({ orderId: 'o1', total: 10 }, { orderId: 'o1', total: 12 }, { at: at + 2000 }),
      orders.remove({ orderId: 'o2', total: 20 }, { at: at + 3000 }),
    ]);
    // Three days after the capture: past the 24 h retention of the records' own times.
    const h = await harness({ clock: new ManualClock(at + 3 * 24 * 3600_000) });
    const loaded = h.running.emulator.loadTape(tape, { name: 'orders.tape.ndjson' });
    expect(loaded).toMatchObject({
      tableName: 'orders',
      tableCreated: true,
      records: 4,
      items: 1,
      removed: 1,
    });
    expect(loaded.warnings).toEqual([]);

    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'orderId', KeyType: 'HASH' }]);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.LatestStreamArn).toBe(loaded.streamArn);
    const { StreamDescription } = await h.streams.send(
      new DescribeStreamCommand({ StreamArn: loaded.streamArn }),
    );
    expect(StreamDescription?.Shards?.map((s) => s.ShardId)).toEqual([tape.shards[0]?.shardId]);

    const records = await readShard(h.streams, loaded.streamArn, tape.shards[0]?.shardId as string);
    expect(records.map(kept)).toEqual(
      tape.records.map(({ record }) => ({
        eventID: record.eventID,
        eventName: record.eventName,
        keys: record.dynamodb.Keys,
        newImage: record.dynamodb.NewImage,
        oldImage: record.dynamodb.OldImage,
        at: record.dynamodb.ApproximateCreationDateTime * 1000,
      })),
    );
    const numbers = records.map((r) => BigInt(r.dynamodb?.SequenceNumber as string));
    expect([...numbers].sort((a, b) => (a < b ? -1 : 1))).toEqual(numbers);

    // o1 as of its MODIFY; o2 was removed: no item.
    expect(await scanOf(h, 'orders')).toEqual([{ orderId: { S: 'o1' }, total: { N: '12' } }]);

    // A write after the load lands after the tape's records, in the shard that stayed open.
    await h.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { orderId: { S: 'o3' } } }));
    const after = await readShard(h.streams, loaded.streamArn, tape.shards[0]?.shardId as string);
    expect(after.map((r) => r.dynamodb?.Keys?.orderId?.S)).toEqual(['o1', 'o2', 'o1', 'o2', 'o3']);
  });

  it('loads a tape recorded from a live run with splits into a fresh emulator: the same lineage, records per shard and items', async () => {
    const live = await harness({ streams: { shardCount: 2, rolloverAfterRecords: 5 } });
    await live.dynamodb.send(
      new CreateTableCommand({
        TableName: 'counters',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'n', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'n', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const { Table } = await live.dynamodb.send(new DescribeTableCommand({ TableName: 'counters' }));
    const liveArn = Table?.LatestStreamArn as string;
    for (let v = 1; v <= 6; v++) {
      for (const id of ['a', 'b', 'c', 'd']) {
        await live.dynamodb.send(
          new PutItemCommand({
            TableName: 'counters',
            Item: { id: { S: id }, n: { N: String(v % 3) }, v: { N: String(v) } },
          }),
        );
      }
      if (v === 3) {
        const stream = live.running.emulator.region('us-east-1').streams.get(liveArn);
        const open = stream?.shards.find((s) => s.isOpen);
        if (open !== undefined) stream?.split(open.id);
      }
    }
    await live.dynamodb.send(
      new DeleteItemCommand({ TableName: 'counters', Key: { id: { S: 'b' }, n: { N: '0' } } }),
    );
    const dir = await mkdtemp(join(tmpdir(), 'eddy-load-'));
    dirs.push(dir);
    const path = join(dir, 'counters.tape.ndjson.gz');
    await recordStream({
      client: live.streams,
      streamArn: liveArn,
      out: { path },
      from: parseRecordFrom('trim-horizon'),
      until: parseRecordUntil('now'),
      tool: 'eddy test',
      pollIntervalMs: 5,
    });
    const tape: Tape = await loadTape(path);
    expect(tape.shards.filter((s) => s.parentShardId !== undefined).length).toBeGreaterThan(1);

    const fresh = await harness();
    const loaded = fresh.running.emulator.loadTape(tape, { name: path });
    const { StreamDescription } = await fresh.streams.send(
      new DescribeStreamCommand({ StreamArn: loaded.streamArn }),
    );
    const shards = StreamDescription?.Shards ?? [];
    // Every tape shard, with its parent; the closed ones closed.
    for (const shard of tape.shards) {
      const described = shards.find((s) => s.ShardId === shard.shardId);
      expect(described?.ParentShardId, shard.shardId).toBe(shard.parentShardId);
      expect(described?.SequenceNumberRange?.EndingSequenceNumber !== undefined, shard.shardId).toBe(
        shard.sequenceNumberRange.EndingSequenceNumber !== undefined,
      );
    }
    for (const shard of tape.shards) {
      const records = await readShard(fresh.streams, loaded.streamArn, shard.shardId);
      expect(records.map((r) => r.eventID)).toEqual(
        tape.records.filter((r) => r.shardId === shard.shardId).map((r) => r.record.eventID),
      );
      // A child's numbers start above its parent's last.
      const parent = shards.find((s) => s.ShardId === shard.parentShardId);
      const start = shards.find((s) => s.ShardId === shard.shardId)?.SequenceNumberRange
        ?.StartingSequenceNumber;
      if (parent?.SequenceNumberRange?.EndingSequenceNumber !== undefined)
        expect(BigInt(start as string)).toBeGreaterThanOrEqual(
          BigInt(parent.SequenceNumberRange.EndingSequenceNumber),
        );
    }
    expect(await scanOf(fresh, 'counters')).toEqual(await scanOf(live, 'counters'));
    expect(await scanOf(fresh, 'counters')).not.toContainEqual(
      expect.objectContaining({ id: { S: 'b' }, n: { N: '0' } }),
    );
  });

  it('says which table disagrees with the tape, and leaves the emulator as it was', async () => {
    const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'], viewType: 'NEW_IMAGE' });
    const tape = tapeOf([orders.insert({ orderId: 'o1' })]);
    const h = await harness();
    const declared = {
      createTableInput: {
        TableName: 'orders',
        KeySchema: [
          { AttributeName: 'customerId', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'customerId', AttributeType: 'S' },
          { AttributeName: 'orderId', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
      declaredIn: 'template.yaml (OrdersTable)',
    };
    expect(() => h.running.emulator.loadTape(tape, { name: 'orders.tape', table: declared })).toThrow(
      new TapeLoadError(
        'template.yaml (OrdersTable) has table orders with key customerId (HASH S), orderId (RANGE S), but tape ' +
          "orders.tape holds records keyed by orderId (HASH S): load a tape of this table, or give the table the tape's key",
      ),
    );
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    expect(() => h.running.emulator.loadTape(tape, { name: 'orders.tape' })).toThrow(
      /the emulator \(region us-east-1\) has table orders with StreamViewType KEYS_ONLY, but tape orders.tape holds NEW_IMAGE records/,
    );
    expect(await scanOf(h, 'orders')).toEqual([]);
  });

  it('says what a KEYS_ONLY tape cannot rebuild: the stream gets every record, the table only the removals', async () => {
    const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'], viewType: 'KEYS_ONLY' });
    const tape = tapeOf([
      orders.insert({ orderId: 'o1' }),
      orders.insert({ orderId: 'o2' }),
      orders.remove({ orderId: 'o2' }),
    ]);
    const h = await harness();
    const loaded = h.running.emulator.loadTape(tape, { name: 'keys.tape' });
    expect(loaded).toMatchObject({ records: 3, items: 0, removed: 1 });
    expect(loaded.warnings).toEqual([
      "tape keys.tape is KEYS_ONLY: its records do not hold the items' new images, so 1 item whose last record is an " +
        'INSERT or MODIFY is not in table orders (only removals can be rebuilt); the stream holds every record',
    ]);
    expect(await readShard(h.streams, loaded.streamArn, tape.shards[0]?.shardId as string)).toHaveLength(3);
  });
});
