import { InvalidPatternError } from './InvalidPatternError.js';
import type { ValueTest } from './PatternTree.js';
import { ipInRange, parseIp } from './parseIp.js';

/**
 * `{"cidr": "10.0.0.0/24"}` with EventBridge's checks: exactly one `/`, an integer mask, a v4 or v6 literal,
 * and a mask below 32 (v4) or 128 (v6), so `/32` is refused as EventBridge's matcher refuses it. The range runs
 * from the address as written to that address with all host bits set.
 */
const compileCidr = (operand: unknown): ValueTest => {
  if (typeof operand !== 'string') throw new InvalidPatternError('cidr match pattern must be a string');
  const parts = operand.split('/');
  while (parts.length > 0 && parts.at(-1) === '') parts.pop(); // as Java's String.split does
  if (parts.length !== 2) throw new InvalidPatternError("Malformed CIDR, one '/' required");
  const [address = '', maskText = ''] = parts;
  if (!/^[+-]?\d+$/.test(maskText))
    throw new InvalidPatternError('Malformed CIDR, mask bits must be an integer');
  const mask = Number(maskText);
  if (mask < 0) throw new InvalidPatternError('Malformed CIDR, mask bits must not be negative');
  const low = parseIp(address);
  if (low === undefined) throw new InvalidPatternError(`Nonstandard IP address: ${address}`);
  const bits = low.length * 8;
  if (mask >= bits) throw new InvalidPatternError(`IPv${bits === 32 ? 4 : 6} mask bits must be < ${bits}`);
  const high = low.map((byte, i) => {
    const hostBits = Math.min(8, Math.max(0, bits - mask - (low.length - 1 - i) * 8));
    return byte | ((1 << hostBits) - 1);
  });
  return ipInRange(low, high);
};

export { compileCidr };
