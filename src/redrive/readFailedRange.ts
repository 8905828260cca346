import {
  type _Record,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { compareSequenceNumbers } from '../records/sequenceNumber.js';
import { isTransientError } from '../retry/isTransientError.js';
import { TRANSIENT_RETRY } from '../retry/RetryPolicy.js';
import { retrying } from '../retry/retrying.js';
import { toLambdaRecord } from '../runtime/sources/live/toLambdaRecord.js';
import type { Clock } from '../time/clock.js';
import type { FailedRange } from './FailedRange.js';

/**
 * What reading a failed range gave: its records (from the start sequence number to the end one, both
 * included), or why they cannot be read.
 *
 * @example
 * const read = await readFailedRange(streams, range, { clock: systemClock });
 * if (read.kind === 'lost') console.error(read.reason);
 */
type RangeRead =
  | { readonly kind: 'read'; readonly records: readonly DynamoDBRecord[] }
  | { readonly kind: 'lost'; readonly reason: string };

/** Empty pages in a row after which an open shard is taken to hold nothing more of the range. */
const EMPTY_PAGES = 5;

const LOST: Record<string, string> = {
  TrimmedDataAccessException: 'the stream has trimmed these records (they are past its 24-hour retention)',
  ResourceNotFoundException: 'the stream or the shard no longer exists',
};

/**
 * Reads the records of a failed range from its stream, as AWS tells users to: GetShardIterator
 * AT_SEQUENCE_NUMBER the range's first record, then GetRecords until past its last
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html). Throttling, 5xx and network
 * errors are retried with the one retry policy on `clock`; a trimmed range or a stream that is gone is
 * reported as lost, not thrown.
 *
 * @example
 * const read = await readFailedRange(new DynamoDBStreamsClient({}), range, { clock: systemClock });
 * if (read.kind === 'read') console.log(read.records.length, 'of', range.batchSize);
 */
const readFailedRange = async (
  client: DynamoDBStreamsClient,
  range: FailedRange,
  options: { readonly clock: Clock; readonly signal?: AbortSignal },
): Promise<RangeRead> => {
  const send = <T>(call: () => Promise<T>) =>
    retrying(call, {
      policy: TRANSIENT_RETRY,
      clock: options.clock,
      retryOn: isTransientError,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  try {
    let { ShardIterator } = await send(() =>
      client.send(
        new GetShardIteratorCommand({
          StreamArn: range.streamArn,
          ShardId: range.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: range.startSequenceNumber,
        }),
      ),
    );
    const records: DynamoDBRecord[] = [];
    let empty = 0;
    while (ShardIterator !== undefined && empty < EMPTY_PAGES) {
      const iterator: string = ShardIterator;
      const page: { Records?: _Record[]; NextShardIterator?: string } = await send(() =>
        client.send(new GetRecordsCommand({ ShardIterator: iterator })),
      );
      const got = page.Records ?? [];
      empty = got.length === 0 ? empty + 1 : 0;
      for (const record of got) {
        const sequence = record.dynamodb?.SequenceNumber ?? '';
        if (compareSequenceNumbers(sequence, range.endSequenceNumber) > 0) return { kind: 'read', records };
        if (compareSequenceNumbers(sequence, range.startSequenceNumber) >= 0) {
          records.push(toLambdaRecord(record, range.streamArn));
        }
      }
      if (records.at(-1)?.dynamodb?.SequenceNumber === range.endSequenceNumber)
        return { kind: 'read', records };
      ShardIterator = page.NextShardIterator;
    }
    return { kind: 'read', records };
  } catch (error) {
    const reason = LOST[(error as { name?: string }).name ?? ''];
    if (reason !== undefined) return { kind: 'lost', reason };
    throw error;
  }
};

export type { RangeRead };
export { readFailedRange };
