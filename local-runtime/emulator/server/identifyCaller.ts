import type { AccessKeys } from './AccessKeys.js';
import type { RequestGuards } from './RequestGuards.js';
import type { HeaderValues } from './sigv4/canonicalHeaders.js';
import { type SignedRequest, verifySignature } from './sigv4/verifySignature.js';

/** How the emulator authenticates requests. */
interface RequestSecurity {
  /** Verify SigV4 signatures against `accessKeys`; otherwise any signature (or none) is accepted. */
  readonly requireSignature: boolean;
  readonly accessKeys: AccessKeys;
  /** Which `Host`s and `Origin`s are served. @default loopback names and origins only */
  readonly guards?: RequestGuards;
}

/** The namespace a request acts in. */
interface Caller {
  readonly region: string;
  readonly accountId: string;
}

/** Where requests without a readable credential scope go, as with DynamoDB Local. */
const DEFAULT_REGION = 'us-east-1';

/** `Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request`, read leniently (no checks). */
const SCOPE = /Credential=([^/,\s]*)\/\d{8}\/([a-z0-9-]+)\//;

/** The region and access key a request names, unverified: for unsigned mode and the health check. */
const claimedScope = (headers: HeaderValues): { region: string; accessKeyId?: string } => {
  const match = SCOPE.exec(headers.get('authorization')?.[0] ?? '');
  const accessKeyId = match?.[1];
  return {
    region: match?.[2] ?? DEFAULT_REGION,
    ...(accessKeyId === undefined || accessKeyId === '' ? {} : { accessKeyId }),
  };
};

/**
 * Decides the account and region of a request. With signature checking the signature must verify (else the
 * AWS authentication error is thrown) and the account is the key's; without it the credential scope is taken
 * at its word. Either way the region is the credential scope's, so regions are separate namespaces.
 *
 * @param defaultAccountId - the account of keys with none configured (the emulator's `accountId`)
 * @throws AwsServiceError - when a required signature is missing or wrong
 */
const identifyCaller = (
  request: SignedRequest,
  security: RequestSecurity,
  defaults: { readonly accountId: string; readonly now: number },
): Caller => {
  if (security.requireSignature) {
    const verified = verifySignature(request, {
      now: defaults.now,
      secretFor: (accessKeyId) => security.accessKeys.secretFor(accessKeyId),
    });
    return {
      region: verified.region,
      accountId: security.accessKeys.accountFor(verified.accessKeyId) ?? defaults.accountId,
    };
  }
  const claimed = claimedScope(request.headers);
  return {
    region: claimed.region,
    accountId: security.accessKeys.accountFor(claimed.accessKeyId) ?? defaults.accountId,
  };
};

export type { Caller, RequestSecurity };
export { claimedScope, DEFAULT_REGION, identifyCaller };
