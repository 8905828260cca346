import { canonicalHeaders, type HeaderValues } from './canonicalHeaders.js';
import { canonicalQuery } from './canonicalQuery.js';
import { canonicalUri } from './canonicalUri.js';

interface CanonicalRequestInput {
  readonly method: string;
  /** The request target exactly as sent: path and optional `?query`. */
  readonly url: string;
  readonly headers: HeaderValues;
  /** Lower-case names from the Authorization header's `SignedHeaders`, in its order. */
  readonly signedHeaders: readonly string[];
  /** Hex SHA-256 of the body. */
  readonly payloadHash: string;
}

/**
 * SigV4's canonical request: method, canonical URI, canonical query, canonical headers, signed header list and
 * payload hash, one per line. Built from the request as received, so any change in transit breaks the match.
 */
const canonicalRequest = (input: CanonicalRequestInput): string => {
  const question = input.url.indexOf('?');
  const path = question === -1 ? input.url : input.url.slice(0, question);
  const query = question === -1 ? '' : input.url.slice(question + 1);
  return [
    input.method,
    canonicalUri(path === '' ? '/' : path),
    canonicalQuery(query),
    canonicalHeaders(input.signedHeaders, input.headers),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
};

export type { CanonicalRequestInput };
export { canonicalRequest };
