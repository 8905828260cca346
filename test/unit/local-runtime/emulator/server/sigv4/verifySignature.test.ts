import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collectHeaders } from '../../../../../../local-runtime/emulator/server/sigv4/canonicalHeaders.js';
import { canonicalRequest } from '../../../../../../local-runtime/emulator/server/sigv4/canonicalRequest.js';
import { signingKey } from '../../../../../../local-runtime/emulator/server/sigv4/signingKey.js';
import { stringToSign } from '../../../../../../local-runtime/emulator/server/sigv4/stringToSign.js';
import {
  MISMATCH,
  verifySignature,
} from '../../../../../../local-runtime/emulator/server/sigv4/verifySignature.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const AMZ_DATE = '20260101T120000Z';
const KEYS: Record<string, string> = { AKID: 'secret' };
const BODY = '{"TableName":"orders"}';

/** A DynamoDB request signed the way the SDK signs it (independent of the code under test but for the HMACs). */
const signed = (
  overrides: {
    authorization?: string | null;
    amzDate?: string | null;
    secret?: string;
    scope?: string;
    body?: string;
    sentBody?: string;
    extraHeaders?: string[];
  } = {},
) => {
  const amzDate = overrides.amzDate === undefined ? AMZ_DATE : overrides.amzDate;
  const body = overrides.body ?? BODY;
  const headers = [
    'Host',
    '127.0.0.1:8000',
    'Content-Type',
    'application/x-amz-json-1.0',
    'X-Amz-Target',
    'DynamoDB_20120810.DescribeTable',
    ...(amzDate === null ? [] : ['X-Amz-Date', amzDate]),
    ...(overrides.extraHeaders ?? []),
  ];
  const signedHeaders = ['content-type', 'host', ...(amzDate === null ? [] : ['x-amz-date']), 'x-amz-target'];
  const scope = overrides.scope ?? `${(amzDate ?? AMZ_DATE).slice(0, 8)}/eu-west-1/dynamodb/aws4_request`;
  const canonical = [
    'POST',
    '/',
    '',
    'content-type:application/x-amz-json-1.0',
    'host:127.0.0.1:8000',
    ...(amzDate === null ? [] : [`x-amz-date:${amzDate}`]),
    'x-amz-target:DynamoDB_20120810.DescribeTable',
    '',
    signedHeaders.join(';'),
    createHash('sha256').update(body).digest('hex'),
  ].join('\n');
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate ?? AMZ_DATE,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let key: Buffer | string = `AWS4${overrides.secret ?? 'secret'}`;
  for (const part of [...scope.split('/')]) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const authorization =
    overrides.authorization === undefined
      ? `AWS4-HMAC-SHA256 Credential=AKID/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`
      : overrides.authorization;
  return {
    request: {
      method: 'POST',
      url: '/',
      headers: collectHeaders(
        authorization === null ? headers : [...headers, 'Authorization', authorization],
      ),
      body: Buffer.from(overrides.sentBody ?? body),
    },
    canonical,
    toSign,
  };
};

const verify = (request: ReturnType<typeof signed>['request'], now = NOW) =>
  verifySignature(request, { now, secretFor: (id) => KEYS[id] });

/** The AWS error a verification throws, as the client would see it. */
const errorOf = (run: () => unknown): { name: string; message: string } => {
  try {
    run();
  } catch (error) {
    const { name, message } = error as Error;
    return { name, message };
  }
  throw new Error('verification passed');
};

describe('verifySignature', () => {
  it('accepts a correct signature and tells who signed, and for which region', () => {
    expect(verify(signed().request)).toEqual({ accessKeyId: 'AKID', region: 'eu-west-1' });
  });

  it('builds the same canonical request and string to sign as the signer', () => {
    const { request, canonical, toSign } = signed();
    expect(
      canonicalRequest({
        method: 'POST',
        url: '/',
        headers: request.headers,
        signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-target'],
        payloadHash: createHash('sha256').update(BODY).digest('hex'),
      }),
    ).toBe(canonical);
    expect(stringToSign(AMZ_DATE, '20260101/eu-west-1/dynamodb/aws4_request', canonical)).toBe(toSign);
    expect(signingKey('secret', '20260101', 'eu-west-1', 'dynamodb')).toHaveLength(32);
  });

  it('passes X-Amz-Security-Token through unchecked', () => {
    const { request } = signed({ extraHeaders: ['X-Amz-Security-Token', 'session-token'] });
    expect(verify(request)).toEqual({
      accessKeyId: 'AKID',
      region: 'eu-west-1',
      sessionToken: 'session-token',
    });
  });

  it('refuses a request without SigV4 authorization as MissingAuthenticationToken', () => {
    for (const authorization of [null, 'Basic dXNlcjpwYXNz', '']) {
      expect(errorOf(() => verify(signed({ authorization }).request))).toEqual({
        name: 'MissingAuthenticationTokenException',
        message: 'Request is missing Authentication Token',
      });
    }
  });

  it("names every missing part in one IncompleteSignature message, as AWS's", () => {
    const authorization = 'AWS4-HMAC-SHA256 SignedHeaders=host';
    expect(errorOf(() => verify(signed({ authorization, amzDate: null }).request))).toEqual({
      name: 'IncompleteSignatureException',
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        'Authorization=AWS4-HMAC-SHA256 SignedHeaders=host',
    });
  });

  it('refuses a parameter without an equal sign', () => {
    const authorization = 'AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders';
    expect(errorOf(() => verify(signed({ authorization }).request))).toEqual({
      name: 'IncompleteSignatureException',
      message: `'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
    });
  });

  it('refuses an X-Amz-Date not in ISO-8601 basic format', () => {
    expect(errorOf(() => verify(signed({ amzDate: '2026-01-01T12:00:00Z' }).request))).toEqual({
      name: 'IncompleteSignatureException',
      message:
        "Date must be in ISO-8601 'basic format'. Got '2026-01-01T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    });
  });

  it('accepts the HTTP Date header when there is no X-Amz-Date', () => {
    const { request } = signed({ amzDate: null, extraHeaders: ['Date', 'Thu, 01 Jan 2026 12:00:00 GMT'] });
    // Signed with the Date header's time in basic format; the Date header itself was not signed.
    expect(verify(request)).toMatchObject({ accessKeyId: 'AKID' });
  });

  it('refuses a request signed more than 15 minutes ago, in AWS words', () => {
    const { request } = signed();
    expect(verify(request, NOW + 15 * 60_000)).toMatchObject({ accessKeyId: 'AKID' });
    expect(errorOf(() => verify(request, NOW + 15 * 60_000 + 1000))).toEqual({
      name: 'InvalidSignatureException',
      message:
        'Signature expired: 20260101T120000Z is now earlier than 20260101T120001Z (20260101T121501Z - 15 min.)',
    });
  });

  it('refuses a request signed more than 15 minutes ahead', () => {
    expect(errorOf(() => verify(signed().request, NOW - 20 * 60_000))).toEqual({
      name: 'InvalidSignatureException',
      message:
        'Signature not yet current: 20260101T120000Z is still later than 20260101T115500Z (20260101T114000Z + 15 min.)',
    });
  });

  it('requires host among the signed headers', () => {
    const authorization = `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=x-amz-date, Signature=${'0'.repeat(64)}`;
    expect(errorOf(() => verify(signed({ authorization }).request))).toEqual({
      name: 'InvalidSignatureException',
      message: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  it('refuses another algorithm', () => {
    const authorization = `AWS4-HMAC-SHA25 Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;
    expect(errorOf(() => verify(signed({ authorization }).request))).toEqual({
      name: 'IncompleteSignatureException',
      message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ",
    });
  });

  it('refuses a credential without five elements', () => {
    const authorization = 'AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=x';
    expect(errorOf(() => verify(signed({ authorization }).request))).toEqual({
      name: 'IncompleteSignatureException',
      message:
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
    });
  });

  it('lists every scope problem: region, service, terminator, date', () => {
    const authorization = 'AWS4-HMAC-SHA256 Credential=a/b/C/d/e, SignedHeaders=host, Signature=x';
    expect(errorOf(() => verify(signed({ authorization }).request))).toEqual({
      name: 'InvalidSignatureException',
      message:
        "Credential should be scoped to a valid region, not 'C'. Credential should be scoped to correct service: 'dynamodb'. " +
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: 'b' != '20260101', from '20260101T120000Z'.",
    });
  });

  it('scopes DynamoDB Streams to the dynamodb service too', () => {
    const { request } = signed({ scope: '20260101/eu-west-1/streams.dynamodb/aws4_request' });
    expect(errorOf(() => verify(request)).message).toBe(
      "Credential should be scoped to correct service: 'dynamodb'.",
    );
  });

  it('refuses an unknown access key as UnrecognizedClient, before looking at the signature', () => {
    const authorization = `AWS4-HMAC-SHA256 Credential=NOBODY/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x`;
    expect(errorOf(() => verify(signed({ authorization }).request))).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('refuses a wrong secret, showing the canonical request and string to sign as AWS does', () => {
    const { request, canonical, toSign } = signed({ secret: 'wrong' });
    expect(errorOf(() => verify(request))).toEqual({
      name: 'InvalidSignatureException',
      message: `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${toSign}'\n`,
    });
    expect(MISMATCH).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  });

  it('refuses a body changed after signing', () => {
    const { request } = signed({ sentBody: '{"TableName":"payments"}' });
    expect(errorOf(() => verify(request)).message).toMatch(/^The request signature we calculated/);
  });

  it('signs the body received, whatever x-amz-content-sha256 claims', () => {
    const lying = signed({ extraHeaders: ['x-amz-content-sha256', 'UNSIGNED-PAYLOAD'] });
    // The header was not signed here, so it changes nothing: the body's hash is what counts.
    expect(verify(lying.request)).toMatchObject({ accessKeyId: 'AKID' });
    const tampered = signed({ sentBody: '{}', extraHeaders: ['x-amz-content-sha256', 'UNSIGNED-PAYLOAD'] });
    expect(errorOf(() => verify(tampered.request)).name).toBe('InvalidSignatureException');
  });

  it('refuses a signature of another length or case', () => {
    const good = signed().request;
    const authorization = good.headers.get('authorization')?.[0] as string;
    const signature = authorization.slice(authorization.indexOf('Signature=') + 10);
    for (const forged of [signature.slice(0, -1), `${signature}0`, signature.toUpperCase()]) {
      const headers = new Map(good.headers);
      headers.set('authorization', [authorization.replace(signature, forged)]);
      expect(errorOf(() => verify({ ...good, headers })).name).toBe('InvalidSignatureException');
    }
  });
});
