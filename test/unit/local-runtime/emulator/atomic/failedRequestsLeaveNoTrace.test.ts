import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecondaryIndex } from '../../../../../local-runtime/emulator/dynamodb/indexes/SecondaryIndex.js';
import { Table } from '../../../../../local-runtime/emulator/dynamodb/Table.js';
import { Emulator } from '../../../../../local-runtime/emulator/Emulator.js';
import { Shard } from '../../../../../local-runtime/emulator/streams/Shard.js';
import { Stream } from '../../../../../local-runtime/emulator/streams/Stream.js';
import { TtlIndex } from '../../../../../local-runtime/emulator/ttl/TtlIndex.js';
import { ManualClock } from '../../../../../src/time/clock.js';

// Two emulators get the same successful requests; one of them also gets attempts that fail inside (one internal
// step throws once). Rollback must leave nothing behind, hidden state included (sequence numbers, shard
// lineage, TTL order, index entries): after every step both answer every read alike.

const START = Date.UTC(2026, 0, 1);
const REGION = 'us-east-1';
const DB = 'DynamoDB_20120810.';
const STREAMS = 'DynamoDBStreams_20120810.';

/** mulberry32: a seeded generator, so a failing run can be replayed from its seed. */
const seeded = (seed: number) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T,
  };
};

const makeEmulator = () => {
  const clock = new ManualClock(START);
  // Small shards roll over after a few records, so failures also hit rollovers; two shards split the keys.
  const emulator = new Emulator({
    clock,
    streams: { shardCount: 2, rolloverAfterRecords: 10 },
    ttlSweepIntervalMs: 10 * 365 * 86_400_000,
  });
  emulator.dispatch(
    `${DB}CreateTable`,
    {
      TableName: 'orders',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    },
    REGION,
  );
  emulator.dispatch(
    `${DB}UpdateTimeToLive`,
    { TableName: 'orders', TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } },
    REGION,
  );
  return { emulator, clock };
};

type Request = { readonly target: string; readonly input: Record<string, unknown> };

/** A random write: keys from a small pool, so writes overwrite, delete and conflict. */
const randomRequest = (random: ReturnType<typeof seeded>): Request => {
  const key = () => `k${random.int(12)}`;
  const item = (pk: string) => ({
    pk: { S: pk },
    status: { S: random.pick(['open', 'paid', 'done']) },
    ...(random.next() < 0.4 ? { exp: { N: String(START / 1000 + random.int(5) * 30) } } : {}),
  });
  const distinctKeys = (n: number) => [...new Set(Array.from({ length: n }, key))];
  switch (random.int(5)) {
    case 0:
      return { target: `${DB}PutItem`, input: { TableName: 'orders', Item: item(key()) } };
    case 1:
      return {
        target: `${DB}UpdateItem`,
        input: {
          TableName: 'orders',
          Key: { pk: { S: key() } },
          UpdateExpression: 'SET #s = :s ADD n :one',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': { S: random.pick(['open', 'late']) }, ':one': { N: '1' } },
        },
      };
    case 2:
      return { target: `${DB}DeleteItem`, input: { TableName: 'orders', Key: { pk: { S: key() } } } };
    case 3:
      return {
        target: `${DB}BatchWriteItem`,
        input: {
          RequestItems: {
            orders: distinctKeys(1 + random.int(6)).map((pk) =>
              random.next() < 0.7
                ? { PutRequest: { Item: item(pk) } }
                : { DeleteRequest: { Key: { pk: { S: pk } } } },
            ),
          },
        },
      };
    default:
      return {
        target: `${DB}TransactWriteItems`,
        input: {
          TransactItems: distinctKeys(1 + random.int(4)).map((pk) =>
            random.next() < 0.7
              ? { Put: { TableName: 'orders', Item: item(pk) } }
              : { Delete: { TableName: 'orders', Key: { pk: { S: pk } } } },
          ),
        },
      };
  }
};

/** Everything a client can read. Event ids are drawn at random per emulator, so they are left out. */
const dump = (emulator: Emulator) => {
  const call = (target: string, input: Record<string, unknown>) =>
    emulator.dispatch(target, input, REGION) as Record<string, unknown>;
  const { Table: table } = call(`${DB}DescribeTable`, { TableName: 'orders' }) as {
    Table: Record<string, unknown>;
  };
  const items = call(`${DB}Scan`, { TableName: 'orders' }).Items;
  const byStatus = call(`${DB}Scan`, { TableName: 'orders', IndexName: 'byStatus' }).Items;
  const { StreamDescription: stream } = call(`${STREAMS}DescribeStream`, {
    StreamArn: table.LatestStreamArn,
  }) as { StreamDescription: { Shards: { ShardId: string }[] } };
  const records = stream.Shards.map(({ ShardId }) => {
    const { ShardIterator } = call(`${STREAMS}GetShardIterator`, {
      StreamArn: table.LatestStreamArn,
      ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const { Records } = call(`${STREAMS}GetRecords`, { ShardIterator }) as {
      Records: { eventID?: string }[];
    };
    return Records.map(({ eventID: _, ...rest }) => rest);
  });
  const { TableId: _, ...description } = table;
  return { description, items, byStatus, stream, records };
};

type Methods = Record<string, (...args: unknown[]) => unknown>;

/** A prototype method as a spy target; the name is checked against the class. */
const step = <T extends object>(prototype: T, method: keyof T & string) =>
  [prototype as unknown as Methods, method] as const;

/** Internal steps a write goes through, before and after the item is stored. */
const STEPS = [
  step(Table.prototype, 'write'),
  step(Stream.prototype, 'prepare'),
  step(Stream.prototype, 'rollOver'),
  step(Shard.prototype, 'append'),
  step(Shard.prototype, 'close'),
  step(SecondaryIndex.prototype, 'prepare'),
  step(TtlIndex.prototype, 'prepare'),
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a request that fails inside leaves no trace', () => {
  it.each([1, 2, 3])(
    'in 100 random writes and TTL sweeps with injected failures (seed %i)',
    (seed) => {
      const random = seeded(seed);
      const twin = makeEmulator();
      const subject = makeEmulator();
      let failures = 0;
      for (let step = 0; step < 100; step++) {
        if (random.next() < 0.1) {
          const ms = random.int(3) * 30_000;
          twin.clock.advance(ms);
          subject.clock.advance(ms);
        }
        const sweep = random.next() < 0.1;
        const request = randomRequest(random);
        const run = (emulator: Emulator) =>
          sweep ? emulator.sweepTtl() : emulator.dispatch(request.target, request.input, REGION);
        // The failing attempt: one internal step throws once, at its nth call.
        const [target, method] = random.pick(STEPS);
        const nth = 1 + random.int(3);
        const original = target[method] as Methods[string];
        let calls = 0;
        const before = dump(subject.emulator);
        const spy = vi.spyOn(target, method).mockImplementation(function (this: unknown, ...args: unknown[]) {
          calls += 1;
          if (calls === nth) throw new Error('injected');
          return original.apply(this, args);
        });
        let thrown: unknown;
        try {
          run(subject.emulator);
        } catch (error) {
          thrown = error;
        } finally {
          spy.mockRestore();
        }
        if (calls >= nth) {
          failures += 1;
          expect((thrown as Error).message).toBe('injected');
          expect(dump(subject.emulator)).toEqual(before);
          // Then the same request succeeds (or fails as a client error) as it does on the twin.
          let answer: unknown;
          try {
            answer = run(subject.emulator);
          } catch (error) {
            answer = (error as Error).name;
          }
          let twinAnswer: unknown;
          try {
            twinAnswer = run(twin.emulator);
          } catch (error) {
            twinAnswer = (error as Error).name;
          }
          expect(JSON.stringify(answer)).toBe(JSON.stringify(twinAnswer));
        } else {
          // The step was never reached: the attempt ran in full, so the twin runs it too.
          try {
            run(twin.emulator);
          } catch {
            // A client error on both sides, compared by the dumps below.
          }
        }
        expect(dump(subject.emulator)).toEqual(dump(twin.emulator));
      }
      expect(failures).toBeGreaterThan(20);
    },
    30_000,
  );
});
