import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalNumber,
  compareDecimals,
  compareNumbers,
  formatDecimal,
  parseDecimal,
} from '../../local-runtime/emulator/dynamodb/attributes/decimal.js';
import { numberSize } from '../../src/records/itemSize.js';

// compareNumbers, canonicalNumber and numberSize answer canonical numbers (every stored one) from their text
// without parsing; these properties hold them to the parsing path they shortcut, errors included.
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);

const digits = fc.stringMatching(/^\d{1,24}$/);
/** Number texts of every shape: canonical, with leading or trailing zeros, signs, points, exponents, junk. */
const numberText = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '-', '+'),
      digits,
      fc.option(fc.string({ unit: fc.constantFrom('0', '5', '9') })),
    )
    .map(([sign, whole, fraction]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}`),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('0', '-0', '0.0', '00', '1.', '.5', '-.5', '1e3', '1E-130', '', '-', '.', '1.2.3', 'x'),
  digits.map((d) => `${d}${d}`),
);
/** Canonical numbers, the form stored items hold. */
const canonicalText = numberText.chain((text) => {
  try {
    return fc.constant(formatDecimal(parseDecimal(text)));
  } catch {
    return fc.constant('0');
  }
});

/** The value or the error message: what a caller can observe. */
const outcome = (action: () => unknown): unknown => {
  try {
    return action();
  } catch (error) {
    return (error as Error).message;
  }
};

describe('number shortcuts agree with parsing', () => {
  it('compareNumbers orders as compareDecimals does', () => {
    fc.assert(
      fc.property(fc.oneof(canonicalText, numberText), fc.oneof(canonicalText, numberText), (a, b) => {
        const parsed = outcome(() => (a === b ? 0 : compareDecimals(parseDecimal(a), parseDecimal(b))));
        expect(outcome(() => compareNumbers(a, b))).toBe(parsed);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('canonicalNumber gives what formatting the parsed number gives', () => {
    fc.assert(
      fc.property(fc.oneof(canonicalText, numberText), (text) => {
        expect(outcome(() => canonicalNumber(text))).toBe(outcome(() => formatDecimal(parseDecimal(text))));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('numberSize of a plain spelling equals that of the same number with an exponent', () => {
    fc.assert(
      fc.property(fc.oneof(canonicalText, numberText), (text) => {
        fc.pre(!/[eE]/.test(text));
        // An exponent sends numberSize down its general path; e0 leaves the value as it was.
        expect(numberSize(text)).toBe(numberSize(`${text}e0`));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
