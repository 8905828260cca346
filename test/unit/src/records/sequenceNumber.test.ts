import { describe, expect, it } from 'vitest';
import {
  compareSequenceNumbers,
  isSequenceNumber,
  minSequenceNumber,
} from '../../../../src/records/sequenceNumber.js';

describe(compareSequenceNumbers.name, () => {
  it('compares as integers, not as text', () => {
    expect(compareSequenceNumbers('900000000000000000000', '1000000000000000000000')).toBe(-1);
    expect(compareSequenceNumbers('1000000000000000000000', '900000000000000000000')).toBe(1);
    expect(compareSequenceNumbers('300000000000000499659', '300000000000000499659')).toBe(0);
  });
});

describe(isSequenceNumber.name, () => {
  it('accepts 21 to 40 digits only', () => {
    expect(isSequenceNumber('300000000000000499659')).toBe(true);
    expect(isSequenceNumber('30000000000000049965')).toBe(false);
    expect(isSequenceNumber('3'.repeat(41))).toBe(false);
    expect(isSequenceNumber('30000000000000049965x')).toBe(false);
  });
});

describe(minSequenceNumber.name, () => {
  it('finds the numerically lowest', () => {
    expect(minSequenceNumber(['1000000000000000000000', '900000000000000000000'])).toBe(
      '900000000000000000000',
    );
    expect(minSequenceNumber([])).toBeUndefined();
  });
});
