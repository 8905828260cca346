import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  type StreamDescription,
} from '@aws-sdk/client-dynamodb-streams';
import { parseStreamArn } from '../records/arn.js';
import { compareSequenceNumbers } from '../records/sequenceNumber.js';
import type { StreamViewType } from '../records/streamRecord.js';
import { toWireRecord } from '../records/wireRecord.js';
import { isTransientError } from '../retry/isTransientError.js';
import { type RetryPolicy, TRANSIENT_RETRY } from '../retry/RetryPolicy.js';
import { retrying } from '../retry/retrying.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { RecordFrom, RecordUntil } from './recordPositions.js';
import { type TapeTarget, TapeWriter } from './TapeWriter.js';
import type { TapeEnd, TapeKeySchemaElement } from './tapeFormat.js';

/**
 * How far a recording is, reported after every GetRecords page: records and bytes on the tape so far, shards
 * read to their end (or to `until`) out of the shards known, and the lag: how old the last record read was
 * when it was read.
 *
 * @example
 * const onProgress = (p: RecordProgress) => console.log(`${p.records} records, ${p.shardsDone}/${p.shardsKnown} shards`);
 */
interface RecordProgress {
  readonly records: number;
  readonly bytes: number;
  readonly shardsDone: number;
  readonly shardsKnown: number;
  /** Milliseconds between the last record's ApproximateCreationDateTime and its reading; undefined before one. */
  readonly lagMs: number | undefined;
}

/**
 * What `recordStream` needs: a Streams client (emulator, DynamoDB Local or AWS), the stream, the tape to
 * write, and where to start and stop.
 *
 * @example
 * const options: RecordStreamOptions = { client, streamArn, out: { path: 'orders.tape.ndjson.gz' },
 *   from: parseRecordFrom('trim-horizon'), until: parseRecordUntil('now'), tool: 'my-app 1.0.0' };
 */
interface RecordStreamOptions {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly out: TapeTarget;
  readonly from: RecordFrom;
  readonly until: RecordUntil;
  /** The header's `recording.tool`, e.g. `eddy 0.1.0`. */
  readonly tool: string;
  /** The header's `recording.endpoint`: where the stream was read, when not AWS's default. */
  readonly endpoint?: string;
  /** Stops the recording: the tape gets everything read so far and an `interrupted` end line. */
  readonly signal?: AbortSignal;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Wait after a page without records on a shard that is still open. @default 250, Lambda's rate */
  readonly pollIntervalMs?: number;
  /** With `until: follow`, how often new shards are looked for. @default 10000 */
  readonly discoveryIntervalMs?: number;
  /** Shards read at once. @default 8 */
  readonly maxConcurrentShards?: number;
  /** Retries of throttling, 5xx and network errors. @default TRANSIENT_RETRY */
  readonly retry?: RetryPolicy;
  readonly onProgress?: (progress: RecordProgress) => void;
}

/**
 * What a recording wrote, and why it stopped (the tape's end reason).
 *
 * @example
 * const summary: RecordSummary = await recordStream(options);
 * console.log(`${summary.records} records from ${summary.shards} shards (${summary.reason})`);
 */
interface RecordSummary {
  readonly records: number;
  readonly shards: number;
  readonly bytes: number;
  readonly reason: TapeEnd['reason'];
}

/** A shard as the recorder tracks it. */
interface ShardState {
  shard: Shard;
  state: 'pending' | 'reading' | 'done';
  firstSeenOpenAt?: string;
  firstSeenClosedAt?: string;
}

/** Empty pages in a row after which an open shard counts as read up to `until`: GetRecords may return an
 * empty page before the end of the data (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html). */
const EMPTY_PAGES_TO_CATCH_UP = 3;

const isAbort = (error: unknown, signal: AbortSignal | undefined): boolean =>
  signal?.aborted === true || (error as Error | undefined)?.name === 'AbortError';

/** Every page of DescribeStream: the stream's description with all its shards. */
const describeAll = async (
  client: DynamoDBStreamsClient,
  streamArn: string,
  retry: (call: () => Promise<StreamDescription>) => Promise<StreamDescription>,
): Promise<StreamDescription & { Shards: Shard[] }> => {
  const shards: Shard[] = [];
  let description: StreamDescription | undefined;
  let start: string | undefined;
  do {
    const page = await retry(async () => {
      const out = await client.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
        }),
      );
      return out.StreamDescription ?? {};
    });
    description ??= page;
    shards.push(...(page.Shards ?? []));
    start = page.LastEvaluatedShardId;
  } while (start !== undefined);
  return { ...description, Shards: shards };
};

/**
 * Records a DynamoDB stream to a tape: walks the shard tree parents first (a child is read only once its
 * parent is read to its end, as DynamoDB Streams requires:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.Processing), writes each
 * record exactly as GetRecords returned it, and a line per shard. Transient errors (throttling, 5xx, network)
 * are retried with backoff. It stops when every shard is read up to `until` (`now`: the time it started), or
 * when `signal` aborts (`follow` runs until then); either way the tape is closed with its end line, flushed.
 *
 * @example
 * import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
 * import { parseRecordFrom, parseRecordUntil, recordStream } from 'eddy/runtime';
 *
 * const summary = await recordStream({
 *   client: new DynamoDBStreamsClient({}),
 *   streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000',
 *   out: { path: 'orders.tape.ndjson.gz' },
 *   from: parseRecordFrom('2026-01-01T12:00:00Z'),
 *   until: parseRecordUntil('now'),
 *   tool: 'my-app 1.0.0',
 * });
 */
const recordStream = async (options: RecordStreamOptions): Promise<RecordSummary> => {
  const { client, streamArn, from, until, signal } = options;
  const clock = options.clock ?? systemClock;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const discoveryIntervalMs = options.discoveryIntervalMs ?? 10_000;
  const maxConcurrent = options.maxConcurrentShards ?? 8;
  const startedAt = clock.now();
  const untilMs = until.kind === 'now' ? startedAt : until.kind === 'time' ? until.at : undefined;
  /** Records created after this second are past `until` (ApproximateCreationDateTime has whole seconds). */
  const untilSecond = untilMs === undefined ? undefined : Math.floor(untilMs / 1000);
  const fromSecond = from.kind === 'time' ? Math.floor(from.at / 1000) : undefined;
  const retry = <T>(call: () => Promise<T>): Promise<T> =>
    retrying(call, {
      policy: options.retry ?? TRANSIENT_RETRY,
      clock,
      retryOn: isTransientError,
      ...(signal === undefined ? {} : { signal }),
    });
  const send = { ...(signal === undefined ? {} : { abortSignal: signal }) };
  // A function, not a property read: TypeScript would keep a narrowing of it across awaits.
  const aborted = () => signal?.aborted === true;

  const first = await describeAll(client, streamArn, retry);
  const parts = parseStreamArn(streamArn);
  const region = parts?.region ?? (await client.config.region());
  const writer = await TapeWriter.open(options.out, {
    streamArn,
    region,
    tableName: first.TableName ?? parts?.tableName ?? '',
    keySchema: (first.KeySchema ?? []) as TapeKeySchemaElement[],
    streamViewType: (first.StreamViewType ?? 'KEYS_ONLY') as StreamViewType,
    recording: {
      source: 'GetRecords',
      tool: options.tool,
      startedAt: new Date(startedAt).toISOString(),
      from: from.text,
      until: until.text,
      ...(untilMs === undefined ? {} : { untilTime: new Date(untilMs).toISOString() }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    },
  });

  const shards = new Map<string, ShardState>();
  let lagMs: number | undefined;
  const progress = () =>
    options.onProgress?.({
      records: writer.records,
      bytes: writer.bytes,
      shardsDone: [...shards.values()].filter((s) => s.state === 'done').length,
      shardsKnown: shards.size,
      lagMs,
    });

  /** Adds new shards, and notes when each was first seen open and closed. */
  const learn = (found: readonly Shard[], initial: boolean) => {
    const now = new Date(clock.now()).toISOString();
    for (const shard of found) {
      const id = shard.ShardId as string;
      let known = shards.get(id);
      if (known === undefined) {
        known = { shard, state: 'pending' };
        shards.set(id, known);
        const ending = shard.SequenceNumberRange?.EndingSequenceNumber;
        // Shards that can hold nothing for this recording are done before they start.
        if (initial && from.kind === 'latest' && ending !== undefined) known.state = 'done';
        if (
          from.kind === 'sequence-number' &&
          ending !== undefined &&
          compareSequenceNumbers(ending, from.sequenceNumber) < 0
        )
          known.state = 'done';
      } else {
        known.shard = shard;
      }
      if (shard.SequenceNumberRange?.EndingSequenceNumber === undefined) known.firstSeenOpenAt ??= now;
      else known.firstSeenClosedAt ??= now;
    }
  };
  learn(first.Shards, true);
  /** Shards open when the recording started get LATEST; later ones are new, so every record in them is. */
  const latestShards = new Set(
    from.kind === 'latest'
      ? first.Shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined).map(
          (s) => s.ShardId as string,
        )
      : [],
  );

  const shardLine = (known: ShardState) => {
    const { shard } = known;
    const range = shard.SequenceNumberRange ?? {};
    return writer.shard({
      shardId: shard.ShardId as string,
      ...(shard.ParentShardId === undefined ? {} : { parentShardId: shard.ParentShardId }),
      sequenceNumberRange: {
        ...(range.StartingSequenceNumber === undefined
          ? {}
          : { StartingSequenceNumber: range.StartingSequenceNumber }),
        ...(range.EndingSequenceNumber === undefined
          ? {}
          : { EndingSequenceNumber: range.EndingSequenceNumber }),
      },
      ...(known.firstSeenOpenAt === undefined ? {} : { firstSeenOpenAt: known.firstSeenOpenAt }),
      ...(known.firstSeenClosedAt === undefined ? {} : { firstSeenClosedAt: known.firstSeenClosedAt }),
    });
  };

  const iteratorFor = async (shardId: string, after: string | undefined): Promise<string | undefined> => {
    const type: ShardIteratorType =
      after !== undefined ? 'AFTER_SEQUENCE_NUMBER' : latestShards.has(shardId) ? 'LATEST' : 'TRIM_HORIZON';
    const out = await retry(() =>
      client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: type,
          ...(after === undefined ? {} : { SequenceNumber: after }),
        }),
        send,
      ),
    );
    return out.ShardIterator;
  };

  /** Reads one shard to its end, or to `until`; resolves with whether it was closed (read to its end). */
  const readShard = async (known: ShardState): Promise<boolean> => {
    const shardId = known.shard.ShardId as string;
    await shardLine(known);
    let last: string | undefined;
    let iterator = await iteratorFor(shardId, undefined);
    let empty = 0;
    while (iterator !== undefined) {
      if (aborted()) return false;
      let page: GetRecordsCommandOutput;
      try {
        const current = iterator;
        page = await retry(() => client.send(new GetRecordsCommand({ ShardIterator: current }), send));
      } catch (error) {
        // An iterator lives 15 minutes (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html):
        // a fresh one from the last record read loses nothing.
        if ((error as Error).name !== 'ExpiredIteratorException') throw error;
        iterator = await iteratorFor(shardId, last);
        continue;
      }
      const records = page.Records ?? [];
      for (const sdkRecord of records) {
        const record = toWireRecord(sdkRecord);
        const created = record.dynamodb.ApproximateCreationDateTime;
        if (untilSecond !== undefined && created !== undefined && created > untilSecond) return false;
        last = record.dynamodb.SequenceNumber;
        if (fromSecond !== undefined && created !== undefined && created < fromSecond) continue;
        if (from.kind === 'sequence-number' && compareSequenceNumbers(last, from.sequenceNumber) < 0)
          continue;
        await writer.record(shardId, record);
        if (created !== undefined) lagMs = Math.max(0, clock.now() - created * 1000);
      }
      progress();
      iterator = page.NextShardIterator;
      if (iterator === undefined) return true;
      if (records.length > 0) {
        empty = 0;
        continue;
      }
      empty += 1;
      if (untilMs !== undefined && clock.now() >= untilMs && empty >= EMPTY_PAGES_TO_CATCH_UP) return false;
      if (empty >= EMPTY_PAGES_TO_CATCH_UP || untilMs === undefined || clock.now() < untilMs)
        await clock.sleep(pollIntervalMs, signal);
    }
    return true;
  };

  const ready = (known: ShardState): boolean => {
    if (known.state !== 'pending') return false;
    const parent = known.shard.ParentShardId;
    // A parent that is not listed any more was trimmed (older than 24 hours): nothing of it is left to read.
    const state = parent === undefined ? undefined : shards.get(parent)?.state;
    return state !== 'pending' && state !== 'reading';
  };

  const running = new Map<string, Promise<void>>();
  let failure: unknown;
  let reason: TapeEnd['reason'] = 'until';
  let lastDiscovery = clock.now();
  let wake: (() => void) | undefined;
  const woken = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (aborted() || failure !== undefined) break;
      // Made before any task can finish in this round, so that no wake-up is lost.
      const next = woken();
      for (const known of shards.values()) {
        if (running.size >= maxConcurrent) break;
        if (!ready(known)) continue;
        known.state = 'reading';
        const id = known.shard.ShardId as string;
        const task = (async () => {
          try {
            const closed = await readShard(known);
            if (closed && !aborted()) {
              // Its children are listed now, and its ending sequence number.
              learn((await describeAll(client, streamArn, retry)).Shards, false);
              lastDiscovery = clock.now();
              known.firstSeenClosedAt ??= new Date(clock.now()).toISOString();
              await shardLine(known);
            }
            known.state = 'done';
            progress();
          } catch (error) {
            if (!isAbort(error, signal)) failure ??= error;
          } finally {
            running.delete(id);
            wake?.();
          }
        })();
        running.set(id, task);
      }
      const startable = [...shards.values()].some(ready);
      if (running.size === 0 && !startable) {
        if (until.kind === 'follow' || (untilMs !== undefined && clock.now() < untilMs)) {
          // Nothing to read until a shard opens: look again after the discovery interval.
          await clock.sleep(discoveryIntervalMs, signal).catch(() => undefined);
        }
        if (aborted()) break;
        const before = shards.size;
        learn((await describeAll(client, streamArn, retry)).Shards, false);
        lastDiscovery = clock.now();
        if (
          shards.size === before &&
          until.kind !== 'follow' &&
          (untilMs === undefined || clock.now() >= untilMs)
        )
          break;
        continue;
      }
      if (until.kind === 'follow' && clock.now() - lastDiscovery >= discoveryIntervalMs) {
        learn((await describeAll(client, streamArn, retry)).Shards, false);
        lastDiscovery = clock.now();
        continue;
      }
      const timer =
        until.kind === 'follow'
          ? clock.sleep(discoveryIntervalMs, signal).catch(() => undefined)
          : new Promise<void>(() => undefined);
      await Promise.race([next, timer]);
    }
  } catch (error) {
    if (!isAbort(error, signal)) failure ??= error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.allSettled(running.values());
    if (aborted()) reason = 'interrupted';
    if (failure !== undefined) reason = 'failed';
    await writer.close(reason, new Date(clock.now()));
  }
  if (failure !== undefined) throw failure;
  progress();
  return { records: writer.records, shards: writer.shards, bytes: writer.bytes, reason };
};

export type { RecordProgress, RecordStreamOptions, RecordSummary };
export { recordStream };
