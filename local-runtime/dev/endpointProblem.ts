/** Node's codes for a server that cannot be reached at all (nothing listens, no such host, no route). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * What went wrong with `--endpoint`, in the option's terms, when eddy's first request there failed for a
 * reason the user fixes outside the template: nothing answers at the URL, or there are no credentials to sign
 * for AWS with. Undefined for anything else (the service answered: the endpoint itself is fine).
 *
 * @example
 * endpointProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
 *   'http://127.0.0.1:8000');
 * // 'eddy dev: nothing answers at --endpoint http://127.0.0.1:8000 (connect ECONNREFUSED 127.0.0.1:8000):
 * //  start DynamoDB Local (or your emulator) there, or give its URL'
 */
const endpointProblem = (error: unknown, endpoint: string): string | undefined => {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if ((typeof code === 'string' && UNREACHABLE.has(code)) || error.name === 'TimeoutError') {
    return (
      `eddy dev: nothing answers at --endpoint ${endpoint} (${error.message}): ` +
      'start DynamoDB Local (or your emulator) there, or give its URL'
    );
  }
  if (error.name === 'CredentialsProviderError') {
    return (
      `eddy dev: no AWS credentials to sign for --endpoint ${endpoint}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and ` +
      'AWS_SECRET_ACCESS_KEY (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html)'
    );
  }
  return undefined;
};

export { endpointProblem };
