import { uriEncode } from './uriEncode.js';

/**
 * The canonical URI of a request path as it was sent on the wire (still percent-encoded).
 *
 * For every service but S3, AWS normalizes the path (empty and `.` segments dropped, `..` removes the segment
 * before it) and URI-encodes it once more: the "encoded twice" of the SigV4 docs is the client's encoding on the
 * wire plus this one. This mirrors the SDK's signer (`uriEscapePath`), so what a client signed is what we check.
 */
const canonicalUri = (path: string): string => {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${
    segments.length > 0 && path.endsWith('/') ? '/' : ''
  }`;
  return normalized
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
};

export { canonicalUri };
