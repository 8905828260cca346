import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamSettings } from '../../../local-runtime/emulator/streams/streamSettings.js';
import { ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

const HOUR = 60 * 60 * 1000;
let h: EmulatorHarness;
let clock: ManualClock;
afterEach(() => h.close());

const start = async (streams: Partial<StreamSettings>) => {
  clock = new ManualClock();
  h = await startHarness({ clock, streams });
  await h.dynamodb.send(
    new CreateTableCommand({
      TableName: 'events',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    }),
  );
  const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'events' }));
  return Table?.LatestStreamArn as string;
};

const put = (pk: string) =>
  h.dynamodb.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: pk } } }));
const shards = async (streamArn: string, filter?: string): Promise<Shard[]> =>
  (
    await h.streams.send(
      new DescribeStreamCommand({
        StreamArn: streamArn,
        ...(filter === undefined ? {} : { ShardFilter: { Type: 'CHILD_SHARDS', ShardId: filter } }),
      }),
    )
  ).StreamDescription?.Shards ?? [];

const readShard = async (streamArn: string, shardId: string) => {
  const { ShardIterator } = await h.streams.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const { Records, NextShardIterator } = await h.streams.send(new GetRecordsCommand({ ShardIterator }));
  return { keys: (Records ?? []).map((r) => r.dynamodb?.Keys?.pk?.S), next: NextShardIterator };
};

describe('shards', () => {
  it('spreads items over several open shards, each item always in the same one', async () => {
    const streamArn = await start({ shardCount: 4 });
    for (let round = 0; round < 3; round++) for (let i = 0; i < 20; i++) await put(`item-${i}`);
    const all = await shards(streamArn);
    expect(all).toHaveLength(4);
    const owners = new Map<string, Set<string>>();
    for (const shard of all) {
      for (const key of (await readShard(streamArn, shard.ShardId as string)).keys) {
        owners.set(key as string, (owners.get(key as string) ?? new Set()).add(shard.ShardId as string));
      }
    }
    expect(owners.size).toBe(20);
    expect([...owners.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...owners.values()].flatMap((s) => [...s])).size).toBeGreaterThan(1);
  });

  it('rolls a shard over after enough records: the parent closes, its child continues', async () => {
    const streamArn = await start({ rolloverAfterRecords: 3 });
    for (const pk of ['a', 'b', 'c', 'd']) await put(pk);
    const [parent, child] = (await shards(streamArn)) as [Shard, Shard];
    expect(parent.SequenceNumberRange?.EndingSequenceNumber).toBeDefined();
    expect(child.ParentShardId).toBe(parent.ShardId);
    expect(child.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
    expect(BigInt(child.SequenceNumberRange?.StartingSequenceNumber as string)).toBeGreaterThan(
      BigInt(parent.SequenceNumberRange?.EndingSequenceNumber as string),
    );
    const fromParent = await readShard(streamArn, parent.ShardId as string);
    expect(fromParent.keys).toEqual(['a', 'b', 'c']);
    // The read that reaches the end of a closed shard carries no NextShardIterator.
    expect(fromParent.next).toBeUndefined();
    expect((await readShard(streamArn, child.ShardId as string)).keys).toEqual(['d']);
  });

  it('rolls shards over by age, as AWS does about every four hours', async () => {
    const streamArn = await start({});
    await put('before');
    clock.advance(4 * HOUR);
    await put('after');
    const [parent, child] = (await shards(streamArn)) as [Shard, Shard];
    expect(child.ParentShardId).toBe(parent.ShardId);
    expect((await readShard(streamArn, parent.ShardId as string)).keys).toEqual(['before']);
    expect((await readShard(streamArn, child.ShardId as string)).keys).toEqual(['after']);
  });

  it('splits a shard into two children that share its items, listed by ShardFilter CHILD_SHARDS', async () => {
    const streamArn = await start({});
    const [only] = (await shards(streamArn)) as [Shard];
    const stream = h.running.emulator.region('us-east-1').streams.get(streamArn);
    stream?.split(only.ShardId as string);
    for (let i = 0; i < 30; i++) await put(`k${i}`);
    const children = await shards(streamArn, only.ShardId);
    expect(children).toHaveLength(2);
    const counts = await Promise.all(
      children.map(async (c) => (await readShard(streamArn, c.ShardId as string)).keys.length),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    expect(counts.every((n) => n > 0)).toBe(true);
  });
});

describe('retention and expiry', () => {
  it('trims records after 24 hours: TRIM_HORIZON moves on, older positions are TrimmedDataAccessException', async () => {
    const streamArn = await start({ rolloverAfterMs: 1000 * HOUR });
    await put('old');
    const [shard] = (await shards(streamArn)) as [Shard];
    const shardId = shard.ShardId as string;
    const { ShardIterator: early } = await h.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const oldSequence = (await h.streams.send(new GetRecordsCommand({ ShardIterator: early }))).Records?.[0]
      ?.dynamodb?.SequenceNumber;
    clock.advance(10 * 60 * 1000);
    const { ShardIterator: beforeTrim } = await h.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    clock.advance(24 * HOUR);
    await put('new');
    expect((await readShard(streamArn, shardId)).keys).toEqual(['new']);
    await expect(
      h.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: oldSequence as string,
        }),
      ),
    ).rejects.toBeInstanceOf(TrimmedDataAccessException);
    // An iterator issued before the trim points at trimmed data (it has also expired: expiry is checked first).
    await expect(h.streams.send(new GetRecordsCommand({ ShardIterator: beforeTrim }))).rejects.toMatchObject({
      name: 'ExpiredIteratorException',
    });
  });

  it('expires iterators after 15 minutes', async () => {
    const streamArn = await start({});
    const [shard] = (await shards(streamArn)) as [Shard];
    const { ShardIterator } = await h.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'LATEST',
      }),
    );
    clock.advance(15 * 60 * 1000);
    await expect(h.streams.send(new GetRecordsCommand({ ShardIterator }))).resolves.toBeDefined();
    clock.advance(1);
    await expect(h.streams.send(new GetRecordsCommand({ ShardIterator }))).rejects.toMatchObject({
      name: 'ExpiredIteratorException',
    });
  });

  it('refuses a fresh iterator that points behind the trim horizon with TrimmedDataAccessException', async () => {
    const streamArn = await start({ rolloverAfterMs: 1000 * HOUR });
    await put('a');
    await put('b');
    const [shard] = (await shards(streamArn)) as [Shard];
    const shardId = shard.ShardId as string;
    clock.advance(14 * 60 * 1000);
    const { ShardIterator } = await h.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    // The iterator is still young when the records it points at pass retention.
    const stream = h.running.emulator.region('us-east-1').streams.get(streamArn);
    stream?.shard(shardId)?.trimBefore(clock.now() + 1);
    await expect(h.streams.send(new GetRecordsCommand({ ShardIterator }))).rejects.toBeInstanceOf(
      TrimmedDataAccessException,
    );
  });
});

describe('rollover timing', () => {
  it('rolls over at the moment it was due, however late someone looks: an idle day shows a shard every four hours', async () => {
    const streamArn = await start({});
    const created = clock.now();
    clock.advance(24 * HOUR + 1);
    const listed = await shards(streamArn);
    // Six closed generations (each closed less than 24 h ago, so still listed) and the open seventh.
    const starts = listed.map((s) => Number(/shardId-(\d{20})-/.exec(s.ShardId as string)?.[1]));
    expect(starts.map((t) => (t - created) / HOUR)).toEqual([0, 4, 8, 12, 16, 20, 24]);
    expect(listed.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined)).toHaveLength(1);
  });
});
