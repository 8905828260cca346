import { describe, expect, it } from 'vitest';
import { validateItem } from '../../../../../../local-runtime/emulator/dynamodb/attributes/validateItem.js';

describe('validateItem: binary values', () => {
  // Found by the fuzz suite (test/fuzz): a backtracking pattern over a 1 MiB value overflowed V8's regexp stack
  // and answered 500.
  it('checks a 4 MiB base64 value without overflowing the stack', () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
    expect(validateItem({ b: { B: big } }, 'Item')).toEqual({ b: { B: big } });
    expect(() => validateItem({ b: { B: `${big.slice(0, -4)}A=A=` } }, 'Item')).toThrow(
      'Invalid last non-pad Base64 character dectected',
    );
  });

  it('accepts padding only at the end (dynalite records these answers of DynamoDB)', () => {
    expect(() => validateItem({ b: { B: 'AA==' } }, 'Item')).not.toThrow();
    expect(() => validateItem({ b: { B: 'AAA=' } }, 'Item')).not.toThrow();
    expect(() => validateItem({ b: { B: 'A===' } }, 'Item')).toThrow('dectected');
    expect(() => validateItem({ b: { B: '=+/=' } }, 'Item')).toThrow('dectected');
    expect(() => validateItem({ b: { B: 'AB==' } }, 'Item')).toThrow('dectected');
    expect(() => validateItem({ b: { B: 'AAé=' } }, 'Item')).toThrow('dectected');
  });
});
