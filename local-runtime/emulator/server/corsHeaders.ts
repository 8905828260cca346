import type { HeaderValues } from './sigv4/canonicalHeaders.js';

/**
 * What a browser may read: the request id, the checksum, and `Date`, which SDKs use to correct a skewed clock
 * after a signature error. Content-Type and Content-Length are readable anyway.
 */
const EXPOSED = 'x-amzn-RequestId, x-amz-crc32, Date';

/**
 * Headers a browser SDK sends, allowed when a preflight does not list its own. `Authorization` must be named:
 * the `*` wildcard does not cover it.
 */
const ALLOWED =
  'authorization, content-type, x-amz-target, x-amz-date, x-amz-security-token, x-amz-content-sha256, ' +
  'x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request';

/**
 * CORS headers for the answer to a request from an allowed browser origin, so browser tools (DynamoDB admin
 * UIs, the SDK in a page) can read it. Only sent when the request has an `Origin` (see RequestGuards), as
 * DynamoDB sends none to SDKs and the CLI. A grant naming one origin varies with it, so caches keep them apart.
 *
 * @param grant - the `Access-Control-Allow-Origin` value: `*` or the request's origin
 */
const corsHeaders = (grant: string): Record<string, string> =>
  grant === '*'
    ? { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED }
    : { 'Access-Control-Allow-Origin': grant, 'Access-Control-Expose-Headers': EXPOSED, Vary: 'Origin' };

/**
 * The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-*`): as DynamoDB does, the requested
 * method and headers are granted, for two days.
 */
const preflightHeaders = (headers: HeaderValues): Record<string, string> => ({
  'Access-Control-Allow-Methods': headers.get('access-control-request-method')?.[0] ?? 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': headers.get('access-control-request-headers')?.join(',') ?? ALLOWED,
  'Access-Control-Max-Age': '172800',
});

export { corsHeaders, preflightHeaders };
