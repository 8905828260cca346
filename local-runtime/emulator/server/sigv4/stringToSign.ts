import { createHash } from 'node:crypto';

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** What SigV4 signs: algorithm, request time, credential scope and the SHA-256 of the canonical request. */
const stringToSign = (amzDate: string, scope: string, canonicalRequest: string): string =>
  [ALGORITHM, amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');

export { ALGORITHM, stringToSign };
