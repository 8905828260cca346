/**
 * Errors from DynamoDB Streams that are worth retrying with backoff: throttling (by the names the SDK itself
 * treats as throttling), server faults and network failures. These never count against MaximumRetryAttempts,
 * which is about function errors (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
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

const isRetryableError = (error: unknown): boolean => {
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

export { isRetryableError };
