/**
 * How a failed call is retried: exponential backoff from `baseMs`, capped at `maxMs`, with jitter, for at most
 * `maxAttempts` calls in all. One shape for every retry in Eddy (streams calls, destinations, lease and
 * checkpoint writes, optimistic-concurrency races in aggregates), so each differs only in its numbers.
 *
 * @example
 * const policy: RetryPolicy = { baseMs: 100, maxMs: 5_000, maxAttempts: Number.POSITIVE_INFINITY, jitter: 'full' };
 */
interface RetryPolicy {
  /** The backoff before the first retry, before jitter. */
  readonly baseMs: number;
  /** No backoff is longer than this. */
  readonly maxMs: number;
  /** Calls in all, the first included; `Number.POSITIVE_INFINITY` retries for as long as it takes. */
  readonly maxAttempts: number;
  /**
   * `full`: a uniform draw in [0, backoff), AWS's recommended "full jitter", so that many callers that failed
   * together do not retry together (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
   * `none`: exactly the backoff, for behaviour that must be reproducible (the function retries Lambda makes).
   */
  readonly jitter: 'full' | 'none';
}

/**
 * Throttling, 5xx and network errors from AWS APIs: from 100 ms up to 5 s, with full jitter, until it works
 * (the AWS SDKs' own standard mode uses the same shape with a 20 s cap,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 *
 * @example
 * await retrying(() => client.send(command), { policy: TRANSIENT_RETRY, clock, retryOn: isTransientError });
 */
const TRANSIENT_RETRY: RetryPolicy = {
  baseMs: 100,
  maxMs: 5_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  jitter: 'full',
};

/**
 * The wait before call number `attempt + 1`, after `attempt` calls failed: `baseMs × 2^(attempt-1)` capped at
 * `maxMs`, then jittered with `random` (a draw in [0, 1)). Pure: the same inputs give the same wait.
 *
 * @example
 * backoffDelay({ baseMs: 200, maxMs: 10_000, maxAttempts: 3, jitter: 'none' }, 2, Math.random); // 400
 */
const backoffDelay = (policy: RetryPolicy, attempt: number, random: () => number): number => {
  const exponent = Math.max(0, attempt - 1);
  // 2 ** 1024 is Infinity; min() keeps the cap exact for any attempt count.
  const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 1023));
  return policy.jitter === 'full' ? Math.floor(backoff * random()) : backoff;
};

export type { RetryPolicy };
export { backoffDelay, TRANSIENT_RETRY };
