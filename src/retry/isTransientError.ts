/**
 * Errors worth retrying after a backoff: throttling (by the names the AWS SDK itself treats as throttling),
 * server faults (5xx) and network failures. They say nothing about the request, so the same request can
 * succeed later; everything else is the caller's to handle. In the event source mapping they never count
 * against MaximumRetryAttempts, which is about function errors
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
 */
const THROTTLING = new Set([
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError',
]);

/**
 * Whether `error` is transient: throttling, a server fault or a network failure.
 *
 * @example
 * retrying(() => client.send(command), { policy: TRANSIENT_RETRY, clock, retryOn: isTransientError });
 */
const isTransientError = (error: unknown): boolean => {
  if (error === null || typeof error !== 'object') return false;
  const e = error as {
    name?: string;
    code?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.name !== undefined && THROTTLING.has(e.name)) return true;
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return (e.code !== undefined && NETWORK.has(e.code)) || (e.name !== undefined && NETWORK.has(e.name));
};

export { isTransientError };
