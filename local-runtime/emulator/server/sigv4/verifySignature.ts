import { createHash } from 'node:crypto';
import type { HeaderValues } from './canonicalHeaders.js';
import { canonicalRequest } from './canonicalRequest.js';
import { checkRequestTime } from './checkRequestTime.js';
import { constantTimeEqual } from './constantTimeEqual.js';
import { parseAuthorization } from './parseAuthorization.js';
import { parseCredentialScope } from './parseCredentialScope.js';
import { requestTime } from './requestTime.js';
import {
  incompleteSignature,
  invalidSignature,
  missingAuthenticationToken,
  unrecognizedClient,
} from './signatureErrors.js';
import { signingKey, signWithKey } from './signingKey.js';
import { ALGORITHM, stringToSign } from './stringToSign.js';

/** A request as received: what SigV4 covers. */
interface SignedRequest {
  readonly method: string;
  /** The request target exactly as sent: path and optional `?query`. */
  readonly url: string;
  readonly headers: HeaderValues;
  readonly body: Buffer;
}

interface VerifyOptions {
  /** Epoch milliseconds, from the emulator's injected clock. */
  readonly now: number;
  /** The secret of a known access key; `undefined` for an unknown one. */
  secretFor(accessKeyId: string): string | undefined;
  /** The signing name the credential scope must name. @default 'dynamodb' (DynamoDB and Streams alike) */
  readonly service?: string;
}

/** Who signed a request that verified. */
interface VerifiedSignature {
  readonly accessKeyId: string;
  /** The region of the credential scope: the emulator's namespace for the request. */
  readonly region: string;
  /** `X-Amz-Security-Token`, passed through unchecked (temporary credentials are not modelled). */
  readonly sessionToken?: string;
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const first = (headers: HeaderValues, name: string): string | undefined => headers.get(name)?.[0];

/**
 * Verifies an AWS Signature Version 4 `Authorization` header, checking in the order DynamoDB does so a client
 * gets the error AWS would give: presence (`MissingAuthenticationTokenException`), form
 * (`IncompleteSignatureException`), time within 15 minutes, `host` signed, algorithm, credential scope, access
 * key (`UnrecognizedClientException`), and last the signature (`InvalidSignatureException`, with the canonical
 * request and string to sign AWS shows for debugging).
 *
 * The payload hash is always the SHA-256 of the body received. A client that sends `x-amz-content-sha256`
 * signs that value, so a header that does not match the body (or `UNSIGNED-PAYLOAD`) fails the comparison:
 * the body cannot be swapped under a valid signature.
 *
 * @throws AwsServiceError - the authentication error to answer with
 */
const verifySignature = (request: SignedRequest, options: VerifyOptions): VerifiedSignature => {
  const authorization = first(request.headers, 'authorization');
  if (authorization === undefined || authorization.trim().slice(0, 5) !== 'AWS4-')
    throw missingAuthenticationToken();
  const amzDateHeader = first(request.headers, 'x-amz-date');
  const dateHeader = first(request.headers, 'date');
  const parts = parseAuthorization(authorization, amzDateHeader !== undefined || dateHeader !== undefined);

  const time = requestTime(amzDateHeader, dateHeader);
  checkRequestTime(time.epochMillis, options.now);

  const signedHeaders = parts.signedHeaders.split(';').map((name) => name.trim().toLowerCase());
  if (!signedHeaders.includes('host'))
    throw invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  if (parts.algorithm !== ALGORITHM) {
    throw incompleteSignature(
      `Unsupported AWS 'algorithm': '${parts.algorithm}' (only ${ALGORITHM} for now). `,
    );
  }
  const scope = parseCredentialScope(parts.credential, time.amzDate, options.service);
  const secret = options.secretFor(scope.accessKeyId);
  if (secret === undefined) throw unrecognizedClient();

  const canonical = canonicalRequest({
    method: request.method,
    url: request.url,
    headers: request.headers,
    signedHeaders,
    payloadHash: createHash('sha256').update(request.body).digest('hex'),
  });
  const toSign = stringToSign(time.amzDate, scope.scope, canonical);
  const expected = signWithKey(signingKey(secret, scope.date, scope.region, scope.service), toSign);
  if (!constantTimeEqual(expected, parts.signature)) {
    throw invalidSignature(
      `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonical}'\n\n` +
        `The String-to-Sign should have been\n'${toSign}'\n`,
    );
  }
  const sessionToken = first(request.headers, 'x-amz-security-token');
  return {
    accessKeyId: scope.accessKeyId,
    region: scope.region,
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
};

export type { SignedRequest, VerifiedSignature, VerifyOptions };
export { MISMATCH, verifySignature };
