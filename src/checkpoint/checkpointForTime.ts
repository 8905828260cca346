import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { isTransientError } from '../retry/isTransientError.js';
import { TRANSIENT_RETRY } from '../retry/RetryPolicy.js';
import { retrying } from '../retry/retrying.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { Checkpoint } from './CheckpointStore.js';

/**
 * Where `checkpointForTime` found the time in the shard: the checkpoint to set, and the first record at or after
 * the time (undefined when every record read is older).
 *
 * @example
 * const { checkpoint, firstRecord }: CheckpointForTime = await checkpointForTime({ client, streamArn, shardId, at });
 */
interface CheckpointForTime {
  readonly checkpoint: Checkpoint;
  readonly firstRecord?: { readonly sequenceNumber: string; readonly createdAt: Date };
}

/** Empty pages in a row after which an open shard counts as read to its end (GetRecords may return empty pages early). */
const EMPTY_PAGES = 3;

/**
 * The checkpoint that makes a mapping re-run one shard from a time on: the sequence number of the last record
 * created before `at` (in whole seconds, as `ApproximateCreationDateTime` has them), or an empty checkpoint
 * when no record of the shard is older (the shard is read from its start). Reads the shard from TRIM_HORIZON
 * up to the first record at or after `at`; transient errors are retried. For `CheckpointStore.reposition`.
 *
 * @example
 * const { checkpoint } = await checkpointForTime({ client: streams, streamArn, shardId, at: Date.parse('2026-01-01T12:00:00Z') });
 * await store.reposition('orders-view', shardId, checkpoint);
 */
const checkpointForTime = async (options: {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly shardId: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly clock?: Clock;
}): Promise<CheckpointForTime> => {
  const { client, streamArn, shardId } = options;
  const retry = <T>(call: () => Promise<T>) =>
    retrying(call, {
      policy: TRANSIENT_RETRY,
      clock: options.clock ?? systemClock,
      retryOn: isTransientError,
    });
  const atSecond = Math.floor(options.at / 1000);
  const { ShardIterator } = await retry(() =>
    client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    ),
  );
  let iterator = ShardIterator;
  let before: string | undefined;
  let empty = 0;
  while (iterator !== undefined && empty < EMPTY_PAGES) {
    const current = iterator;
    const page = await retry(() => client.send(new GetRecordsCommand({ ShardIterator: current })));
    const records = page.Records ?? [];
    empty = records.length === 0 ? empty + 1 : 0;
    for (const record of records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber as string;
      const createdAt = record.dynamodb?.ApproximateCreationDateTime;
      if (createdAt !== undefined && Math.floor(createdAt.getTime() / 1000) >= atSecond) {
        return {
          checkpoint: before === undefined ? {} : { sequenceNumber: before },
          firstRecord: { sequenceNumber, createdAt },
        };
      }
      before = sequenceNumber;
    }
    iterator = page.NextShardIterator;
  }
  return { checkpoint: before === undefined ? {} : { sequenceNumber: before } };
};

export type { CheckpointForTime };
export { checkpointForTime };
