import { describe, expect, it } from 'vitest';
import {
  addNumbers,
  canonicalNumber,
  compareNumbers,
  decimalFromInteger,
  formatDecimal,
  parseDecimal,
  subtractNumbers,
} from '../../../../../../local-runtime/emulator/dynamodb/attributes/decimal.js';
import { AwsServiceError } from '../../../../../../local-runtime/emulator/errors.js';

const expectValidation = (action: () => unknown, message: string) => {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AwsServiceError);
  expect((caught as AwsServiceError).name).toBe('ValidationException');
  expect((caught as AwsServiceError).message).toBe(message);
};

const NOT_A_NUMBER = 'A value provided cannot be converted into a number';
const TOO_PRECISE = 'Attempting to store more than 38 significant digits in a Number';
const UNCONVERTIBLE = 'The parameter cannot be converted to a numeric value';
const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';

describe('canonicalNumber', () => {
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['+0.000', '0'],
    ['00012', '12'],
    ['1.50', '1.5'],
    ['-1.50', '-1.5'],
    ['+7', '7'],
    ['1.', '1'],
    ['.5', '0.5'],
    ['-.5', '-0.5'],
    ['1e3', '1000'],
    ['1E+3', '1000'],
    ['12.5e-3', '0.0125'],
    ['123.456e1', '1234.56'],
    ['100', '100'],
    ['0.000100', '0.0001'],
    ['1e125', `1${'0'.repeat(125)}`],
    [
      '9.9999999999999999999999999999999999999E+125',
      `99999999999999999999999999999999999999${'0'.repeat(88)}`,
    ],
    ['1E-130', `0.${'0'.repeat(129)}1`],
    ['-1E-130', `-0.${'0'.repeat(129)}1`],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    // Trailing zeros are not significant: 38 digits followed by zeros still fits.
    ['12345678901234567890123456789012345678000', '12345678901234567890123456789012345678000'],
    [
      `0.${'0'.repeat(44)}12345678901234567890123456789012345678`,
      `0.${'0'.repeat(44)}12345678901234567890123456789012345678`,
    ],
    ['1e0000000000000000003', '1000'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalNumber(input)).toBe(expected);
  });

  it.each([
    ['', NOT_A_NUMBER],
    [' 1', NOT_A_NUMBER],
    ['1 ', NOT_A_NUMBER],
    ['.', NOT_A_NUMBER],
    ['-', NOT_A_NUMBER],
    ['1e', NOT_A_NUMBER],
    ['e5', NOT_A_NUMBER],
    ['1.2.3', NOT_A_NUMBER],
    ['0x10', NOT_A_NUMBER],
    ['Infinity', NOT_A_NUMBER],
    ['NaN', NOT_A_NUMBER],
    ['1,000', NOT_A_NUMBER],
    ['--1', NOT_A_NUMBER],
    // The exponent is read in full, as a 64-bit integer (as live DynamoDB reads it).
    ['1e99999999999', OVERFLOW],
    ['1e-99999999999', UNDERFLOW],
    ['1e2147483648', OVERFLOW],
    ['0e99999999999', OVERFLOW],
    ['1e9223372036854775808', UNCONVERTIBLE],
    ['1e99999999999999999999', UNCONVERTIBLE],
    ['0e126', OVERFLOW],
    ['-0e126', OVERFLOW],
    ['0e-131', UNDERFLOW],
    ['0.0e-130', UNDERFLOW],
    ['123456789012345678901234567890123456789', TOO_PRECISE],
    ['-1.23456789012345678901234567890123456789', TOO_PRECISE],
    ['1e126', OVERFLOW],
    ['-1e126', OVERFLOW],
    ['99999999999999999999999999999999999999e89', OVERFLOW],
    ['1e-131', UNDERFLOW],
    ['-1e-131', UNDERFLOW],
    ['0.9e-130', UNDERFLOW],
  ])('refuses %j: %s', (input, message) => {
    expectValidation(() => canonicalNumber(input), message);
  });

  it('reads a huge exponent without building a huge number', () => {
    expectValidation(() => parseDecimal('1e2147483647'), OVERFLOW);
    expectValidation(() => parseDecimal('1e-2147483647'), UNDERFLOW);
  });

  it('range-checks zero by the exponent it is written with (undocumented; as live DynamoDB does)', () => {
    expect(canonicalNumber('0e125')).toBe('0');
    expect(canonicalNumber('0e-130')).toBe('0');
    expect(canonicalNumber('0.00e127')).toBe('0');
    expectValidation(() => canonicalNumber('0e999'), OVERFLOW);
    expectValidation(() => canonicalNumber('0e-999'), UNDERFLOW);
  });
});

describe('compareNumbers', () => {
  it.each([
    ['1', '2', -1],
    ['2', '1', 1],
    ['1', '1.0', 0],
    ['-1', '1', -1],
    ['-2', '-1', -1],
    ['0', '-0', 0],
    ['-0.001', '0', -1],
    ['10', '9.99999', 1],
    ['1e10', '9999999999', 1],
    ['0.1', '0.09', 1],
    ['-10', '-9', -1],
    ['1E-130', '0', 1],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345677', 1],
    // Floats would call these equal.
    ['0.30000000000000000000000000000000001', '0.3', 1],
  ])('%s vs %s → %d', (a, b, expected) => {
    expect(compareNumbers(a, b)).toBe(expected);
  });
});

describe('addNumbers and subtractNumbers', () => {
  it.each([
    ['0.1', '0.2', '0.3'],
    ['1', '-1', '0'],
    ['-5', '3', '-2'],
    ['1.5', '1.5', '3'],
    ['99999999999999999999999999999999999999', '1', '100000000000000000000000000000000000000'],
    ['1e125', '1e125', `2${'0'.repeat(125)}`],
    ['123.456', '0.000544', '123.456544'],
    ['1E-130', '-1E-130', '0'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(addNumbers(a, b)).toBe(sum);
  });

  it.each([
    ['0.3', '0.1', '0.2'],
    ['1', '1', '0'],
    ['1', '3', '-2'],
    ['-1', '-1', '0'],
    ['10', '0.01', '9.99'],
  ])('%s - %s = %s', (a, b, difference) => {
    expect(subtractNumbers(a, b)).toBe(difference);
  });

  it('refuses results DynamoDB cannot store rather than rounding them', () => {
    expectValidation(() => addNumbers('9E+125', '1E+125'), OVERFLOW);
    expectValidation(() => subtractNumbers('-9E+125', '1E+125'), OVERFLOW);
  });

  // A result that needs more than 38 digits is refused as an overflow, not with the digits message of a number
  // sent in a request (AWS behaviour undocumented; DynamoDB answers `1e50 - 1` with "Number overflow", as
  // test/integration/emulator/valueEncodings.test.ts pins over HTTP).
  it('refuses an inexact result with the overflow message (undocumented; as DynamoDB answers)', () => {
    expectValidation(() => subtractNumbers('1e50', '1'), OVERFLOW);
    expectValidation(() => addNumbers('1e50', '1'), OVERFLOW);
    expectValidation(() => addNumbers('1', '1e-100'), OVERFLOW);
    expectValidation(() => addNumbers('9.9999999999999999999999999999999999999E+125', '1E+125'), OVERFLOW);
    expectValidation(() => addNumbers('1'.repeat(38), '0.1'), OVERFLOW);
    // Within 38 digits the result is exact, whatever the operands' scales.
    expect(addNumbers('1'.repeat(37), '0.1')).toBe(`${'1'.repeat(37)}.1`);
    // A result below 1E-130 is still an underflow.
    expectValidation(() => subtractNumbers('2E-130', '1.5E-130'), UNDERFLOW);
  });
});

describe('decimalFromInteger', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [120, '120'],
    [-42, '-42'],
  ])('%d', (value, text) => {
    expect(formatDecimal(decimalFromInteger(value))).toBe(text);
  });
});
