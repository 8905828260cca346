import { incompleteSignature } from './signatureErrors.js';

/** The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
interface AuthorizationParts {
  readonly algorithm: string;
  readonly credential: string;
  /** As sent: `;`-separated lower-case names. May be empty (the scope checks then refuse it). */
  readonly signedHeaders: string;
  readonly signature: string;
}

const REQUIRED = ['Credential', 'Signature', 'SignedHeaders'] as const;

/**
 * Reads a SigV4 Authorization header the way AWS does: the algorithm is the first word, the rest are
 * comma-separated `name=value` pairs, spaces ignored. Throws `IncompleteSignatureException` with AWS's messages:
 * first for a pair without `=`, then (in one message) for every missing parameter and a missing date header.
 *
 * @param hasDate - whether the request has an `X-Amz-Date` or `Date` header; AWS reports its absence here.
 */
const parseAuthorization = (header: string, hasDate: boolean): AuthorizationParts => {
  const [algorithm = '', ...rest] = header.trim().split(' ');
  const params = new Map<string, string>();
  for (const pair of rest.join('').split(',')) {
    const part = pair.trim();
    if (part === '') continue;
    const equals = part.indexOf('=');
    if (equals === -1) {
      throw incompleteSignature(
        `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
      );
    }
    params.set(part.slice(0, equals), part.slice(equals + 1));
  }
  let missing = '';
  for (const name of REQUIRED) {
    // SignedHeaders may be empty at this stage; Credential and Signature may not.
    const value = params.get(name);
    if (value === undefined || (value === '' && name !== 'SignedHeaders'))
      missing += `Authorization header requires '${name}' parameter. `;
  }
  if (!hasDate)
    missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (missing !== '') throw incompleteSignature(`${missing}Authorization=${header}`);
  return {
    algorithm,
    credential: params.get('Credential') as string,
    signedHeaders: params.get('SignedHeaders') as string,
    signature: params.get('Signature') as string,
  };
};

export type { AuthorizationParts };
export { parseAuthorization };
