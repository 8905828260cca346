import {
  type DynamoDBStreamsClient,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { keepRecordJson } from '../../../records/recordJson.js';
import { compareSequenceNumbers } from '../../../records/sequenceNumber.js';
import type { StreamRecord } from '../../../records/streamRecord.js';
import { isTransientError } from '../../../retry/isTransientError.js';
import { TRANSIENT_RETRY } from '../../../retry/RetryPolicy.js';
import { retrying } from '../../../retry/retrying.js';
import type { Clock } from '../../../time/clock.js';
import { messageOf, sequenceOf } from '../../observability/describeRecords.js';
import type { Logger } from '../../observability/logger.js';
import type { MappingMetrics } from '../../observability/MappingMetrics.js';
import type { ShardPage, ShardReader } from '../RecordSource.js';
import type { StartAt } from '../StartAt.js';
import { getRecordsAsSent, type RecordsAsSent } from './getRecordsAsSent.js';
import { lambdaRecordOf } from './toLambdaRecord.js';

interface LiveShardReaderOptions {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly shardId: string;
  readonly startAt: StartAt;
  readonly mappingId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MappingMetrics;
}

/**
 * ④ A live shard read through the SDK: GetShardIterator, then GetRecords page after page. Throttling, 5xx
 * and network errors are retried with backoff and jitter on the injected clock for as long as it takes; an
 * expired iterator is replaced where reading stopped; trimmed records are logged, counted and skipped.
 */
class LiveShardReader implements ShardReader {
  readonly #o: LiveShardReaderOptions;
  #iterator: string | undefined;
  #lastRead: string | undefined;

  constructor(options: LiveShardReaderOptions) {
    this.#o = options;
    if (options.startAt.type === 'AFTER_SEQUENCE_NUMBER') this.#lastRead = options.startAt.sequenceNumber;
  }

  async open(signal: AbortSignal): Promise<void> {
    this.#iterator = await this.#acquireIterator(this.#o.startAt, signal);
  }

  async read(limit: number, signal: AbortSignal): Promise<ShardPage> {
    let response: RecordsAsSent;
    try {
      response = await this.#withBackoff(
        () =>
          getRecordsAsSent(
            this.#o.client,
            { ShardIterator: this.#iterator, Limit: limit },
            { abortSignal: signal },
          ),
        signal,
      );
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'ExpiredIteratorException') {
        // Iterators live 15 minutes; take a new one where reading stopped
        // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html).
        this.#iterator = await this.#acquireIterator(this.#resumePoint(), signal);
        return { records: [], ended: false };
      }
      if (name === 'TrimmedDataAccessException') {
        this.#o.logger.warn('records were trimmed before they were read; continuing from the oldest record', {
          mappingId: this.#o.mappingId,
          shardId: this.#o.shardId,
          lastRead: this.#lastRead,
        });
        this.#o.metrics.add(this.#o.shardId, 'TrimmedEventCount', 1);
        this.#iterator = await this.#acquireIterator({ type: 'TRIM_HORIZON' }, signal);
        return { records: [], ended: false };
      }
      throw error;
    }
    const { streamArn } = this.#o;
    const arn = JSON.stringify(streamArn);
    const records = response.records
      .map((r, index): DynamoDBRecord => {
        // A record with `userIdentity` is reshaped (Lambda renames its fields and puts it last).
        if (r.userIdentity !== undefined || 'eventSourceARN' in r) return lambdaRecordOf(r, streamArn);
        // Any other is this page's own object, made the Lambda record in place: `eventSourceARN` added last, as
        // `lambdaRecordOf` would copy it, and its text as the page sent it, with that member added at the end.
        const record = r as StreamRecord & { eventSourceARN?: string };
        record.eventSourceARN = streamArn;
        const text = response.texts?.[index];
        if (text !== undefined && text !== '{}') {
          keepRecordJson(record as DynamoDBRecord, `${text.slice(0, -1)},"eventSourceARN":${arn}}`);
        }
        return record as DynamoDBRecord;
      })
      // Never hand the same record twice from one reading of the shard (re-acquired iterators may overlap).
      .filter(
        (r) => this.#lastRead === undefined || compareSequenceNumbers(sequenceOf(r), this.#lastRead) > 0,
      );
    if (records.length > 0) this.#lastRead = sequenceOf(records.at(-1));
    this.#iterator = response.nextShardIterator;
    // A closed shard read to its end returns no next iterator.
    return { records, ended: this.#iterator === undefined };
  }

  #resumePoint(): StartAt {
    return this.#lastRead === undefined
      ? this.#o.startAt
      : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.#lastRead };
  }

  async #acquireIterator(startAt: StartAt, signal: AbortSignal): Promise<string | undefined> {
    const response = await this.#withBackoff(
      () =>
        this.#o.client.send(
          new GetShardIteratorCommand({
            StreamArn: this.#o.streamArn,
            ShardId: this.#o.shardId,
            ShardIteratorType: startAt.type as ShardIteratorType,
            ...(startAt.type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: startAt.sequenceNumber } : {}),
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    return response.ShardIterator;
  }

  /**
   * Throttling, 5xx and network errors: the one transient retry policy, for as long as it takes. Calls carry
   * `signal`, so stopping abandons a request in flight instead of waiting for its answer.
   */
  #withBackoff<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    return retrying(call, {
      policy: TRANSIENT_RETRY,
      clock: this.#o.clock,
      retryOn: isTransientError,
      signal,
      onRetry: (error, attempt) =>
        this.#o.logger.warn('streams call failed; retrying', {
          shardId: this.#o.shardId,
          attempt,
          error: messageOf(error),
        }),
    });
  }
}

export type { LiveShardReaderOptions };
export { LiveShardReader };
