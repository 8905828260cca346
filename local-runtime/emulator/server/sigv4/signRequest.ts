import { createHash } from 'node:crypto';
import { formatAmzDate } from './amzDate.js';
import { collectHeaders } from './canonicalHeaders.js';
import { canonicalRequest } from './canonicalRequest.js';
import { signingKey, signWithKey } from './signingKey.js';
import { ALGORITHM, stringToSign } from './stringToSign.js';

/** What `signRequest` signs. */
interface RequestToSign {
  readonly method: string;
  /** The endpoint and the path (and query) as it will be sent: `http://127.0.0.1:8000/_eddy/api/progress`. */
  readonly url: string;
  /** Headers to send besides those the signature adds (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  readonly region: string;
  /** Epoch ms of the request. */
  readonly now: number;
}

/**
 * Signs a request with AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
 * for the signing name `dynamodb`, as an SDK would: the same canonical request and signing key this folder
 * verifies with, so an emulator started with `requireSignature` accepts it. Returns the headers to send (the given
 * ones, `x-amz-date`, `x-amz-content-sha256`, the session token if any, `authorization`); `host` is signed as
 * the URL's and sent by the HTTP client.
 *
 * @example
 * const headers = signRequest({ method: 'POST', url: `${endpoint}/_eddy/api/progress`, headers: { 'content-type': 'application/json' }, body, credentials, region: 'us-east-1', now: Date.now() });
 * await fetch(`${endpoint}/_eddy/api/progress`, { method: 'POST', headers, body });
 */
const signRequest = (request: RequestToSign): Record<string, string> => {
  const url = new URL(request.url);
  const amzDate = formatAmzDate(request.now);
  const date = amzDate.slice(0, 8);
  const payloadHash = createHash('sha256').update(request.body, 'utf8').digest('hex');
  const sent: Record<string, string> = {
    ...request.headers,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': payloadHash,
    ...(request.credentials.sessionToken === undefined
      ? {}
      : { 'x-amz-security-token': request.credentials.sessionToken }),
  };
  const signed = { host: url.host, ...sent };
  const signedHeaders = Object.keys(signed)
    .map((name) => name.toLowerCase())
    .sort();
  const canonical = canonicalRequest({
    method: request.method,
    url: `${url.pathname}${url.search}`,
    headers: collectHeaders(Object.entries(signed).flat()),
    signedHeaders,
    payloadHash,
  });
  const scope = `${date}/${request.region}/dynamodb/aws4_request`;
  const signature = signWithKey(
    signingKey(request.credentials.secretAccessKey, date, request.region, 'dynamodb'),
    stringToSign(amzDate, scope, canonical),
  );
  return {
    ...sent,
    authorization: `${ALGORITHM} Credential=${request.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
};

export type { RequestToSign };
export { signRequest };
