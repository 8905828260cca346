import type { ValueTest } from './PatternTree.js';

// The shapes EventBridge's matcher treats as IP literals; anything else is an ordinary string.
const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

const parseIpv4 = (text: string): Uint8Array | undefined => {
  const octets = text.split('.').map(Number);
  return octets.every((o) => o <= 255) ? Uint8Array.from(octets) : undefined;
};

const parseGroups = (text: string): number[] | undefined => {
  if (text === '') return [];
  const groups = text.split(':');
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
};

const parseIpv6 = (text: string): Uint8Array | undefined => {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
};

/** The bytes of an IPv4 (4) or IPv6 (16) literal, or `undefined` for any other string. */
const parseIp = (text: string): Uint8Array | undefined => {
  if (IPV4.test(text)) return parseIpv4(text);
  if (IPV6.test(text)) return parseIpv6(text);
  return undefined;
};

/** Big-endian comparison of two addresses of the same family. */
const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

/** `[low, high]` inclusive: a value matches when it is an IP literal of the same family in that range. */
const ipInRange =
  (low: Uint8Array, high: Uint8Array): ValueTest =>
  (value) => {
    if (typeof value !== 'string') return false;
    const ip = parseIp(value);
    return (
      ip !== undefined &&
      ip.length === low.length &&
      compareBytes(ip, low) >= 0 &&
      compareBytes(ip, high) <= 0
    );
  };

export { ipInRange, parseIp };
