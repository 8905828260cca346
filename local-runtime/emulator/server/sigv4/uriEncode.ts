const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * SigV4's URI encoding: every UTF-8 byte except the unreserved characters (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`
 * with upper-case hex. Unlike `encodeURIComponent` it also encodes `!'()*`, and it never throws on a lone
 * surrogate (the bytes of U+FFFD are encoded instead), so a hostile path cannot crash verification.
 */
const uriEncode = (value: string): string => {
  let out = '';
  for (const char of value) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8'))
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
};

export { uriEncode };
