import type { Clock } from '../time/clock.js';
import { backoffDelay, type RetryPolicy } from './RetryPolicy.js';

/**
 * What `retrying` needs besides the call: the policy, the clock its backoffs sleep on, which errors are worth
 * another attempt, and a way to hear about each retry.
 *
 * @example
 * const options: RetryOptions = { policy: TRANSIENT_RETRY, clock: systemClock, retryOn: isTransientError, signal };
 */
interface RetryOptions {
  readonly policy: RetryPolicy;
  /** Backoffs are sleeps on this clock, so a test with a ManualClock moves time instead of waiting. */
  readonly clock: Clock;
  /** Whether `error` is worth another attempt; anything else is thrown at once. */
  readonly retryOn: (error: unknown) => boolean;
  /** Stops retrying: a pending backoff rejects with the signal's reason, and no further call is made. */
  readonly signal?: AbortSignal;
  /** Draws in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
  /** Called before each backoff, with the error, the number of calls made so far and the wait. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Calls `call` until it succeeds, retrying the errors `retryOn` accepts after the policy's backoff on the
 * injected clock. The last error is thrown once `maxAttempts` calls have failed; an error `retryOn` refuses is
 * thrown at once. `call` receives the attempt number (1 for the first call).
 *
 * @example
 * const page = await retrying(() => client.send(new GetRecordsCommand({ ShardIterator })), {
 *   policy: TRANSIENT_RETRY,
 *   clock: systemClock,
 *   retryOn: isTransientError,
 *   signal,
 * });
 */
const retrying = async <T>(call: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> => {
  const { policy, clock, retryOn, signal } = options;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await call(attempt);
    } catch (error) {
      if (attempt >= policy.maxAttempts || !retryOn(error) || signal?.aborted === true) throw error;
      const delay = backoffDelay(policy, attempt, random);
      options.onRetry?.(error, attempt, delay);
      await clock.sleep(delay, signal);
    }
  }
};

export type { RetryOptions };
export { retrying };
