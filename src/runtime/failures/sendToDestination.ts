import type { RetryPolicy } from '../../retry/RetryPolicy.js';
import { retrying } from '../../retry/retrying.js';
import type { Clock } from '../../time/clock.js';
import { messageOf } from '../observability/describeRecords.js';
import type { Logger } from '../observability/logger.js';
import type { DiscardedBatch, OnFailureDestination } from './destinations/OnFailureDestination.js';
import type { OnFailureRecord } from './destinations/onFailureRecord.js';

/**
 * Delivering an on-failure record: every error is retried, for as long as it takes, with backoff capped at
 * 10 s. A discard is never silent: the lane holds its records (and the shard's checkpoint) until the
 * destination has them.
 */
const DESTINATION_RETRY: RetryPolicy = {
  baseMs: 100,
  maxMs: 10_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  jitter: 'full',
};

/**
 * ⑥ Sends `record` to `destination`, retrying on `clock` until it is taken or `signal` aborts
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html, on-failure destinations).
 *
 * @example
 * await sendToDestination(destination, record, { clock, logger, signal, batch: { mappingId, records } });
 */
const sendToDestination = (
  destination: OnFailureDestination,
  record: OnFailureRecord,
  options: {
    readonly clock: Clock;
    readonly logger: Logger;
    readonly signal: AbortSignal;
    /** The discarded records, for destinations that keep them (S3). */
    readonly batch?: DiscardedBatch;
  },
): Promise<void> =>
  retrying(() => destination.send(record, options.batch), {
    policy: DESTINATION_RETRY,
    clock: options.clock,
    retryOn: () => true,
    signal: options.signal,
    onRetry: (error, attempt) =>
      options.logger.error('on-failure destination refused the record; retrying', {
        destination: destination.destination,
        attempt,
        error: messageOf(error),
      }),
  });

export { DESTINATION_RETRY, sendToDestination };
