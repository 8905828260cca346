import { describe, expect, it } from 'vitest';
import { collectHeaders } from '../../../../../../local-runtime/emulator/server/sigv4/canonicalHeaders.js';
import { signRequest } from '../../../../../../local-runtime/emulator/server/sigv4/signRequest.js';
import { verifySignature } from '../../../../../../local-runtime/emulator/server/sigv4/verifySignature.js';

// SigV4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): what `signRequest` signs,
// the emulator's verifier accepts (an emulator with requireSignature takes eddy's own progress reports), and a
// change in transit breaks it.

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const URL_ = 'http://127.0.0.1:8000/_eddy/api/progress';
const BODY = '{"id":"a","name":"replay","kind":"replay","state":"running","done":1,"unit":"records"}';
const KEYS: Record<string, string> = { AKID: 'secret' };

/** The request as the emulator receives it: the signed headers plus the Host the HTTP client sends. */
const received = (headers: Record<string, string>, body = BODY) => ({
  method: 'POST',
  url: '/_eddy/api/progress',
  headers: collectHeaders(['Host', '127.0.0.1:8000', ...Object.entries(headers).flat()]),
  body: Buffer.from(body),
});

const sign = (sessionToken?: string) =>
  signRequest({
    method: 'POST',
    url: URL_,
    headers: { 'content-type': 'application/json' },
    body: BODY,
    credentials: {
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      ...(sessionToken === undefined ? {} : { sessionToken }),
    },
    region: 'eu-west-1',
    now: NOW,
  });

describe(signRequest.name, () => {
  it('signs a request the emulator verifies, in the region of its scope', () => {
    const caller = verifySignature(received(sign()), { now: NOW, secretFor: (key) => KEYS[key] });
    expect(caller).toEqual({ accessKeyId: 'AKID', region: 'eu-west-1' });
  });

  it('signs the session token of temporary credentials', () => {
    const caller = verifySignature(received(sign('token')), { now: NOW, secretFor: (key) => KEYS[key] });
    expect(caller.sessionToken).toBe('token');
  });

  it('is refused once the body changed in transit, or under a secret the emulator does not know', () => {
    expect(() =>
      verifySignature(received(sign(), BODY.replace('running', 'done')), {
        now: NOW,
        secretFor: (key) => KEYS[key],
      }),
    ).toThrow(/signature/i);
    expect(() => verifySignature(received(sign()), { now: NOW, secretFor: () => 'another secret' })).toThrow(
      /signature/i,
    );
  });
});
