import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { compareSequenceNumbers } from '../../src/records/sequenceNumber.js';
import type { FunctionInvoker } from '../../src/runtime/invocation/FunctionInvoker.js';
import type {
  RecordSource,
  ShardPage,
  ShardReader,
  SourceShard,
} from '../../src/runtime/sources/RecordSource.js';
import type { StartAt } from '../../src/runtime/sources/StartAt.js';
import type { ManualClock } from '../../src/time/clock.js';

/**
 * A record for runtime unit tests: sequence number `n` (zero-padded so strings order too), item key `pk`
 * (default `k<n>`), created at `createdAt` epoch seconds (default 1,767,225,600 = 2026-01-01).
 */
const streamRecord = (
  n: number,
  options: { readonly pk?: string; readonly createdAt?: number } = {},
): DynamoDBRecord => ({
  eventID: `e${n}`,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  eventVersion: '1.1',
  awsRegion: 'us-east-1',
  eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000',
  dynamodb: {
    Keys: { pk: { S: options.pk ?? `k${n}` } },
    NewImage: { pk: { S: options.pk ?? `k${n}` }, n: { N: String(n) } },
    SequenceNumber: String(n).padStart(21, '0'),
    SizeBytes: 20,
    StreamViewType: 'NEW_IMAGE',
    ApproximateCreationDateTime: options.createdAt ?? 1_767_225_600,
  },
});

/** The test number of a record made by `streamRecord`. */
const numberOf = (record: DynamoDBRecord): number => Number(record.dynamodb?.SequenceNumber);

/**
 * A record source held in memory: shards with lineage, records appended by the test, a shard closed when the
 * test says so. Readers honour the start position, hand each record once, in order, and report `ended` once a
 * closed shard is read to its end: the `RecordSource` contract, without HTTP.
 */
class MemoryRecordSource implements RecordSource {
  readonly #shards = new Map<string, { shard: SourceShard; records: DynamoDBRecord[] }>();
  /** Every `read` call, as `[shardId, limit]`. */
  readonly reads: [string, number][] = [];

  addShard(shardId: string, parentShardId?: string): this {
    this.#shards.set(shardId, {
      shard: { shardId, ...(parentShardId === undefined ? {} : { parentShardId }), closed: false },
      records: [],
    });
    return this;
  }

  append(shardId: string, ...records: DynamoDBRecord[]): this {
    this.#entry(shardId).records.push(...records);
    return this;
  }

  close(shardId: string): this {
    const entry = this.#entry(shardId);
    entry.shard = { ...entry.shard, closed: true };
    return this;
  }

  async listShards(): Promise<SourceShard[]> {
    return [...this.#shards.values()].map((e) => e.shard);
  }

  reader(shardId: string, startAt: StartAt): ShardReader {
    let next = 0;
    let opened = false;
    return {
      open: async () => {
        const records = this.#entry(shardId).records;
        if (startAt.type === 'LATEST') next = records.length;
        if (startAt.type === 'AFTER_SEQUENCE_NUMBER') {
          next = records.filter(
            (r) => compareSequenceNumbers(r.dynamodb?.SequenceNumber ?? '', startAt.sequenceNumber) <= 0,
          ).length;
        }
        opened = true;
      },
      read: async (limit): Promise<ShardPage> => {
        if (!opened) throw new Error(`read from ${shardId} before open`);
        this.reads.push([shardId, limit]);
        const entry = this.#entry(shardId);
        const records = entry.records.slice(next, next + limit);
        next += records.length;
        return { records, ended: entry.shard.closed && next >= entry.records.length };
      },
    };
  }

  #entry(shardId: string) {
    const entry = this.#shards.get(shardId);
    if (entry === undefined) throw new Error(`no shard ${shardId} in this MemoryRecordSource`);
    return entry;
  }
}

/**
 * A function for runtime unit tests: `answer` decides each invocation's response (or throws); every event is
 * kept, as the numbers of its records.
 */
const fakeInvoker = (
  answer: (event: DynamoDBStreamEvent, call: number) => unknown = () => undefined,
): FunctionInvoker & { readonly calls: number[][]; readonly events: DynamoDBStreamEvent[] } => {
  const calls: number[][] = [];
  const events: DynamoDBStreamEvent[] = [];
  return {
    functionName: 'fake',
    calls,
    events,
    invoke: async (event) => {
      calls.push(event.Records.map(numberOf));
      events.push(structuredClone(event));
      return answer(event, calls.length);
    },
  };
};

const eventLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs the event loop until `done()` holds, moving `clock` to its next sleeper's deadline whenever nothing
 * else happens (polls, backoffs, windows): effects and the manual clock, never elapsed time.
 */
const driveUntil = async (clock: ManualClock, done: () => boolean, maxSteps = 1_000): Promise<void> => {
  for (let step = 0; step < maxSteps; step++) {
    for (let turn = 0; turn < 3; turn++) await eventLoopTurn();
    if (done()) return;
    const next = clock.nextWakeUp();
    if (next !== undefined) clock.set(Math.max(next, clock.now()));
  }
  throw new Error(
    `driveUntil: not done after ${maxSteps} steps (clock at ${new Date(clock.now()).toISOString()})`,
  );
};

export { driveUntil, eventLoopTurn, fakeInvoker, MemoryRecordSource, numberOf, streamRecord };
