import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collectHeaders } from '../../../../../../local-runtime/emulator/server/sigv4/canonicalHeaders.js';
import { signingKey } from '../../../../../../local-runtime/emulator/server/sigv4/signingKey.js';
import { verifySignature } from '../../../../../../local-runtime/emulator/server/sigv4/verifySignature.js';

/**
 * AWS's published SigV4 test suite (aws-sig-v4-test-suite, credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z,
 * us-east-1, service `service`): each request, as sent, must verify with the published signature, and fail
 * with any other. Requests are given as on the wire: raw header lines (repeats kept) and the raw target.
 */
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW = Date.UTC(2015, 7, 30, 12, 36, 0);
const BASE = ['Host', 'example.amazonaws.com', 'X-Amz-Date', '20150830T123600Z'];

interface Vector {
  readonly name: string;
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: readonly string[];
  readonly body?: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

const vectors: Vector[] = [
  {
    name: 'get-vanilla',
    method: 'GET',
    url: '/',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  },
  {
    name: 'get-vanilla-empty-query-key',
    method: 'GET',
    url: '/?Param1=value1',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    url: '/?Param2=value2&Param1=value1',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'get-vanilla-query-unreserved',
    method: 'GET',
    url: '/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
  },
  {
    name: 'get-vanilla-utf8-query',
    method: 'GET',
    url: '/?%E1%88%B4=bar',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
  },
  {
    name: 'get-unreserved',
    method: 'GET',
    url: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
  },
  {
    name: 'get-utf8 (the suite sends the path unencoded)',
    method: 'GET',
    url: '/ሴ',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85',
  },
  {
    name: 'get-header-key-duplicate (repeated header lines join with a bare comma)',
    method: 'GET',
    url: '/',
    rawHeaders: [...BASE, 'My-Header1', 'value2', 'My-Header1', 'value2', 'My-Header1', 'value1'],
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea',
  },
  {
    name: 'get-header-value-order (values keep their order)',
    method: 'GET',
    url: '/',
    rawHeaders: [
      ...BASE,
      'My-Header1',
      'value4',
      'My-Header1',
      'value1',
      'My-Header1',
      'value3',
      'My-Header1',
      'value2',
    ],
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01',
  },
  {
    name: 'get-header-value-trim (outer spaces dropped, inner runs collapsed)',
    method: 'GET',
    url: '/',
    rawHeaders: [...BASE, 'My-Header1', ' value1', 'My-Header2', ' "a   b   c"'],
    signedHeaders: 'host;my-header1;my-header2;x-amz-date',
    signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    url: '/',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  {
    name: 'post-header-key-case (header names are case-insensitive)',
    method: 'POST',
    url: '/',
    rawHeaders: ['HOST', 'example.amazonaws.com', 'x-AMZ-date', '20150830T123600Z'],
    signedHeaders: 'host;x-amz-date',
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  {
    name: 'post-header-key-sort',
    method: 'POST',
    url: '/',
    rawHeaders: [...BASE, 'My-Header1', 'value1'],
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
  },
  {
    name: 'post-header-value-case (values keep their case)',
    method: 'POST',
    url: '/',
    rawHeaders: [...BASE, 'My-Header1', 'VALUE1'],
    signedHeaders: 'host;my-header1;x-amz-date',
    signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d',
  },
  {
    name: 'post-vanilla-query',
    method: 'POST',
    url: '/?Param1=value1',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
  },
  {
    name: 'post-vanilla-query-nonunreserved',
    method: 'POST',
    url: '/?%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: '66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e',
  },
  {
    name: 'post-vanilla-query-space (an empty value)',
    method: 'POST',
    url: '/?p=',
    rawHeaders: BASE,
    signedHeaders: 'host;x-amz-date',
    signature: 'e71688addb58a26418614085fb730ba3faa623b461c17f48f2fbdb9361b94a9b',
  },
  {
    name: 'post-x-www-form-urlencoded (the body is signed)',
    method: 'POST',
    url: '/',
    rawHeaders: ['Content-Type', 'application/x-www-form-urlencoded', ...BASE],
    body: 'Param1=value1',
    signedHeaders: 'content-type;host;x-amz-date',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
  {
    name: 'post-x-www-form-urlencoded-parameters',
    method: 'POST',
    url: '/',
    rawHeaders: ['Content-Type', 'application/x-www-form-urlencoded; charset=utf8', ...BASE],
    body: 'Param1=value1',
    signedHeaders: 'content-type;host;x-amz-date',
    signature: '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe',
  },
];

const verify = (vector: Vector, signature = vector.signature, body = vector.body ?? '') =>
  verifySignature(
    {
      method: vector.method,
      url: vector.url,
      headers: collectHeaders([
        ...vector.rawHeaders,
        'Authorization',
        `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${vector.signedHeaders}, Signature=${signature}`,
      ]),
      body: Buffer.from(body),
    },
    {
      now: NOW,
      secretFor: (id) => (id === 'AKIDEXAMPLE' ? SECRET : undefined),
      service: 'service',
    },
  );

describe("AWS's SigV4 test suite", () => {
  it.each(vectors)('$name verifies with the published signature', (vector) => {
    expect(verify(vector)).toEqual({ accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1' });
  });

  it.each(vectors)('$name fails with a signature one digit off', (vector) => {
    const last = vector.signature.at(-1) === '0' ? '1' : '0';
    expect(() => verify(vector, vector.signature.slice(0, -1) + last)).toThrow(
      expect.objectContaining({ name: 'InvalidSignatureException' }),
    );
  });

  it('fails when the signed body is not the body received', () => {
    const form = vectors.find((v) => v.name.startsWith('post-x-www-form-urlencoded '));
    expect(() => verify(form as Vector, undefined, 'Param1=value2')).toThrow(
      expect.objectContaining({ name: 'InvalidSignatureException' }),
    );
  });

  it('derives the published signing keys', () => {
    // AWS's examples of deriving a signing key (IAM docs) and the suite's key.
    expect(signingKey(SECRET, '20120215', 'us-east-1', 'iam').toString('hex')).toBe(
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
    );
    expect(signingKey(SECRET, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
    expect(signingKey(SECRET, '20150830', 'us-east-1', 'service').toString('hex')).toBe(
      '938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75',
    );
  });

  it('hashes an empty body as the SHA-256 of nothing', () => {
    expect(createHash('sha256').update('').digest('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
