import type { ValueTest } from './PatternTree.js';
import { ipInRange, parseIp } from './parseIp.js';

/**
 * An exact string value. When it is an IP literal EventBridge compares addresses, not spellings, so
 * `2001:db8::1` also matches `2001:0db8:0:0:0:0:0:1`.
 */
const compileExactString = (expected: string): ValueTest => {
  const ip = parseIp(expected);
  if (ip === undefined) return (value) => value === expected;
  const sameAddress = ipInRange(ip, ip);
  return (value) => value === expected || sameAddress(value);
};

export { compileExactString };
