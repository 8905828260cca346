import { uriEncode } from './uriEncode.js';

/** Percent-decoding that keeps the raw text when it is not valid UTF-8 percent-encoding. */
const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * The canonical query string of the raw query (without `?`): each name and value decoded, re-encoded with
 * SigV4's encoding, sorted by name then value, joined with `&`. A parameter without `=` has an empty value.
 * `+` is kept as a literal plus: SigV4 clients send spaces as `%20`.
 */
const canonicalQuery = (query: string): string =>
  query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=');
      const name = equals === -1 ? part : part.slice(0, equals);
      const value = equals === -1 ? '' : part.slice(equals + 1);
      return [uriEncode(decode(name)), uriEncode(decode(value))] as const;
    })
    .sort(([nameA, valueA], [nameB, valueB]) =>
      nameA === nameB ? compare(valueA, valueB) : compare(nameA, nameB),
    )
    .map(([name, value]) => `${name}=${value}`)
    .join('&');

/** Byte order, as SigV4 sorts (the encoded strings are ASCII, so code units are bytes). */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export { canonicalQuery };
