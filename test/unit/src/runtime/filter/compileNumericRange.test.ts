import { describe, expect, it } from 'vitest';
import { compileNumericRange } from '../../../../../src/runtime/filter/compileNumericRange.js';
import type { Scalar } from '../../../../../src/runtime/filter/PatternTree.js';

describe(compileNumericRange.name, () => {
  it.each<[unknown[], Scalar, boolean]>([
    [['=', 100], 100, true],
    [['=', 100], 100.0, true],
    [['=', 100], 100.5, false],
    [['<', 10], 9.99, true],
    [['<', 10], 10, false],
    [['<=', 10], 10, true],
    [['>', 0], 0.000001, true],
    [['>', 0], 0, false],
    [['>=', 0], 0, true],
    [['>=', -5], -5, true],
    [['>', 0, '<=', 5], 5, true],
    [['>', 0, '<=', 5], 0, false],
    [['>=', 0, '<', 5], 0, true],
    [['>=', 0, '<', 5], 5, false],
    [['>', 100], 101.0, true],
    [['>', 1.5e9], 1767225600, true],
    // Only JSON numbers: DynamoDB N attributes are strings, and strings never match
    [['>', 100], '101', false],
    [['=', 42], '42', false],
    [['>=', 0], null, false],
    [['>=', 0], true, false],
  ])('%j against %j', (operand, value, expected) => {
    expect(compileNumericRange(operand)(value)).toBe(expected);
  });

  it.each<[unknown, string]>([
    ['>', 'Value of numeric must be an array.'],
    [[], 'Invalid member in numeric match: nothing'],
    [[5], 'Invalid member in numeric match: 5'],
    [['==', 5], 'Unrecognized numeric range operator: =='],
    [['=', '5'], 'Value of equals must be numeric'],
    [['>', null], 'Value of > must be numeric'],
    [['<'], 'Value of < must be numeric'],
    [['=', 5, '<', 6], 'Too many elements in numeric expression'],
    [['<', 5, '>', 0], 'Too many elements in numeric expression'],
    [['<=', 5, '>=', 0], 'Too many elements in numeric expression'],
    [['>', 0, '>', 0], 'Bad numeric range operator: >'],
    [['>', 0, '='], 'Bad numeric range operator: ='],
    [['>', 0, '<'], 'Value of < must be numeric'],
    [['>', 0, '<', '5'], 'Value of < must be numeric'],
    [['>', 0, '<', 5, '<', 6], 'Too many terms in numeric range expression'],
    [['>', 5, '<', 5], 'Bottom must be less than top'],
    [['>=', 6, '<=', 5], 'Bottom must be less than top'],
  ])('refuses %j', (operand, message) => {
    expect(() => compileNumericRange(operand)).toThrow(message);
  });
});
