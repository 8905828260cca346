import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import type { RetryPolicy } from '../../retry/RetryPolicy.js';

/**
 * How the aggregate operators retry a write that lost an optimistic-concurrency race (another lane, shard,
 * worker or duplicate invocation changed a row between the read and the conditional write): read again and
 * write again, after 20 ms doubling up to 1 s with full jitter, so that writers that collided spread out, at
 * most 10 writes in all; then the records fail (`AggregateConflictError`) and are delivered again, which is safe
 * since nothing was applied.
 *
 * Transient errors (throttling, 5xx, network) are not retried here: the SDK client retries them itself
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html; tune it with the client's
 * `maxAttempts` and `retryMode`), and what it gives up on fails the records, which the event source mapping
 * delivers again. Retrying them here as well would multiply the SDK's attempts.
 */
const LOST_RACE_RETRY: RetryPolicy = { baseMs: 20, maxMs: 1_000, maxAttempts: 10, jitter: 'full' };

/** Whether a write failed only because another writer changed a row it was conditional on. */
const isLostRace = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  error instanceof TransactionConflictException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).every((reason) =>
      ['None', 'ConditionalCheckFailed', 'TransactionConflict', undefined].includes(reason.Code),
    ));

export { isLostRace, LOST_RACE_RETRY };
