import { describe, expect, it } from 'vitest';
import { compileCidr } from '../../../../../src/runtime/filter/compileCidr.js';
import type { Scalar } from '../../../../../src/runtime/filter/PatternTree.js';

// EventBridge's operator; whether Lambda accepts it is UNCONFIRMED
// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html lists no cidr).
describe(`${compileCidr.name} (UNCONFIRMED on Lambda)`, () => {
  it.each<[string, Scalar, boolean]>([
    ['10.0.0.0/24', '10.0.0.0', true],
    ['10.0.0.0/24', '10.0.0.255', true],
    ['10.0.0.0/24', '10.0.1.0', false],
    ['10.0.0.0/8', '10.255.3.4', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['10.0.0.5/24', '10.0.0.4', false], // the range starts at the address as written, as in EventBridge
    ['10.0.0.5/24', '10.0.0.5', true],
    ['10.0.0.0/24', 'not-an-ip', false],
    ['10.0.0.0/24', 167772161, false],
    ['10.0.0.0/24', '2001:db8::1', false],
    ['2001:db8:1234:1a00::/64', '2001:db8:1234:1a00::1', true],
    ['2001:db8:1234:1a00::/64', '2001:db8:1234:1a00:ffff:ffff:ffff:ffff', true],
    ['2001:db8:1234:1a00::/64', '2001:db8:1234:1a01::', false],
    ['2001:db8:1234:1a00::/64', '10.0.0.1', false],
  ])('%s against %j', (cidr, value, expected) => {
    expect(compileCidr(cidr)(value)).toBe(expected);
  });

  it.each<[unknown, string]>([
    [['10.0.0.0/24'], 'cidr match pattern must be a string'],
    ['10.0.0.0', "Malformed CIDR, one '/' required"],
    ['10.0.0.0/', "Malformed CIDR, one '/' required"],
    ['10.0.0.0/8/8', "Malformed CIDR, one '/' required"],
    ['10.0.0.0/x', 'Malformed CIDR, mask bits must be an integer'],
    ['10.0.0.0/-1', 'Malformed CIDR, mask bits must not be negative'],
    ['xx.11.xx/24', 'Nonstandard IP address: xx.11.xx'],
    ['300.0.0.0/8', 'Nonstandard IP address: 300.0.0.0'],
    ['xxxx:db8:1234:1a00::/64', 'Nonstandard IP address: xxxx:db8:1234:1a00::'],
    ['10.0.0.1/32', 'IPv4 mask bits must be < 32'],
    ['::1/128', 'IPv6 mask bits must be < 128'],
  ])('refuses %j', (operand, message) => {
    expect(() => compileCidr(operand)).toThrow(message);
  });
});
