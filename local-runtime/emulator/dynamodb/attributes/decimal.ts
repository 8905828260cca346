import { validationException } from '../../errors.js';

/**
 * A DynamoDB number: `sign × coefficient × 10^exponent`, exact. DynamoDB numbers are decimals of up to 38
 * significant digits with magnitudes from 1E-130 to 9.99…E+125, so they are kept as a BigInt coefficient with
 * a decimal exponent: JavaScript floats would round `0.1 + 0.2` and lose digits past the 17th.
 *
 * Normalised: zero is `{ sign: 0, coefficient: 0n, exponent: 0 }`, any other number has a coefficient without
 * trailing zeros, so two equal numbers have equal fields.
 */
interface Decimal {
  readonly sign: -1 | 0 | 1;
  readonly coefficient: bigint;
  readonly exponent: number;
}

const MAX_SIGNIFICANT_DIGITS = 38;
/** The decimal exponent of the leading digit of the largest number, 9.99…E+125. */
const MAX_LEADING_EXPONENT = 125;
/** The decimal exponent of the leading digit of the smallest non-zero magnitude, 1E-130. */
const MIN_LEADING_EXPONENT = -130;

const OVERFLOW_MESSAGE =
  'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW_MESSAGE =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';

const ZERO: Decimal = { sign: 0, coefficient: 0n, exponent: 0 };

// The forms Java's BigDecimal reads (DynamoDB is written in Java): optional sign, digits with an optional point
// on either side ("1.", ".5"), optional exponent. No spaces, no "Infinity", no hex.
const NUMBER_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?)(\d+))?$/;

const notANumber = () => validationException('A value provided cannot be converted into a number');

/** An exponent past a 64-bit integer: DynamoDB's message for it (test/integration/emulator/valueEncodings.test.ts). */
const unconvertible = () => validationException('The parameter cannot be converted to a numeric value');

const MAX_LONG = 9_223_372_036_854_775_807n;

/**
 * Checks a decimal against DynamoDB's limits, in DynamoDB's order (digits, then magnitude). Used for values
 * read from requests and for results of arithmetic, which DynamoDB does not round.
 */
const checkDecimal = (value: Decimal): Decimal => {
  if (value.sign === 0) return value;
  const digits = value.coefficient.toString().length;
  if (digits > MAX_SIGNIFICANT_DIGITS) {
    throw validationException('Attempting to store more than 38 significant digits in a Number');
  }
  const leading = value.exponent + digits - 1;
  if (leading > MAX_LEADING_EXPONENT) {
    throw validationException(OVERFLOW_MESSAGE);
  }
  if (leading < MIN_LEADING_EXPONENT) {
    throw validationException(UNDERFLOW_MESSAGE);
  }
  return value;
};

/**
 * Checks the result of `+` or `-` (an UpdateExpression's arithmetic, ADD, the legacy ADD). DynamoDB does not
 * round: a result that needs more than 38 significant digits is refused, and refused as an overflow, not with
 * the "more than 38 significant digits" of a number sent in a request (`1e50 - 1` answers "Number overflow",
 * as DynamoDB answers; AWS does not document it; pinned by
 * test/integration/emulator/valueEncodings.test.ts). Magnitudes are checked as for requests.
 */
const checkResult = (value: Decimal): Decimal => {
  if (value.sign !== 0 && value.coefficient.toString().length > MAX_SIGNIFICANT_DIGITS) {
    throw validationException(OVERFLOW_MESSAGE);
  }
  return checkDecimal(value);
};

/** Builds a normalised decimal from a coefficient that may carry trailing zeros. */
const normalise = (sign: -1 | 1, coefficient: bigint, exponent: number): Decimal => {
  if (coefficient === 0n) return ZERO;
  let c = coefficient;
  let e = exponent;
  while (c % 10n === 0n) {
    c /= 10n;
    e += 1;
  }
  return { sign, coefficient: c, exponent: e };
};

/**
 * Reads a number string as DynamoDB does and checks it against DynamoDB's limits. Throws DynamoDB's
 * ValidationException for text that is not a number and for numbers out of range.
 */
const parseDecimal = (text: string): Decimal => {
  const match = NUMBER_PATTERN.exec(text);
  if (match === null) throw notANumber();
  const [, signText = '', intPart = '', fracPart = '', exponentSign = '', exponentDigits] = match;
  if (intPart.length + fracPart.length === 0) throw notANumber();
  let exponent = 0;
  if (exponentDigits !== undefined) {
    const trimmed = exponentDigits.replace(/^0+(?=\d)/, '');
    // DynamoDB reads the exponent as a 64-bit integer: past that the text is not a number at all; short of it,
    // an exponent far outside the range is an overflow or underflow whatever the digits (a request cannot
    // carry enough digits to bring 1E±1 000 000 000 back in range), zero included.
    if (trimmed.length > 19 || BigInt(trimmed) > MAX_LONG) throw unconvertible();
    if (trimmed.length > 9) {
      throw validationException(exponentSign === '-' ? UNDERFLOW_MESSAGE : OVERFLOW_MESSAGE);
    }
    exponent = exponentSign === '-' ? -Number(trimmed) : Number(trimmed);
  }
  const allDigits = `${intPart}${fracPart}`.replace(/^0+/, '');
  if (allDigits === '') return checkZero(exponent - fracPart.length);
  const significant = allDigits.replace(/0+$/, '');
  // Counting digits on the string first keeps a 10 000-digit input from becoming a 10 000-digit BigInt.
  if (significant.length > MAX_SIGNIFICANT_DIGITS) {
    throw validationException('Attempting to store more than 38 significant digits in a Number');
  }
  const value: Decimal = {
    sign: signText === '-' ? -1 : 1,
    coefficient: BigInt(significant),
    exponent: exponent - fracPart.length + (allDigits.length - significant.length),
  };
  return checkDecimal(value);
};

/**
 * Zero as DynamoDB reads it: range-checked by the exponent it is written with (`0e126` overflows, `0e-131`
 * underflows, `0e125` is 0), as a Java BigDecimal zero of that scale would be. AWS does not document this;
 * DynamoDB answers so, pinned by test/unit/local-runtime/emulator/dynamodb/attributes/decimal.test.ts.
 */
const checkZero = (leadingExponent: number): Decimal => {
  if (leadingExponent > MAX_LEADING_EXPONENT) throw validationException(OVERFLOW_MESSAGE);
  if (leadingExponent < MIN_LEADING_EXPONENT) throw validationException(UNDERFLOW_MESSAGE);
  return ZERO;
};

/** DynamoDB's own spelling of a number: no exponent, no leading or trailing zeros, no "+", no "-0". */
const formatDecimal = (value: Decimal): string => {
  if (value.sign === 0) return '0';
  const digits = value.coefficient.toString();
  let text: string;
  if (value.exponent >= 0) {
    text = digits + '0'.repeat(value.exponent);
  } else {
    const point = digits.length + value.exponent;
    text =
      point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return value.sign < 0 ? `-${text}` : text;
};

/**
 * The number of integer digits of a number in DynamoDB's canonical spelling (`-?(0|[1-9]\d*)(\.\d*[1-9])?`,
 * not `-0`), or -1 for any other text.
 */
const canonicalIntegerDigits = (text: string): number => {
  const length = text.length;
  const start = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  let i = start;
  const first = text.charCodeAt(i);
  if (first === 48 /* 0 */) {
    i += 1;
    if (i === length) return start === 0 ? 1 : -1;
  } else {
    if (!(first >= 49 && first <= 57)) return -1;
    i += 1;
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i += 1;
    }
    if (i === length) return i - start;
  }
  const integerDigits = i - start;
  if (text.charCodeAt(i) !== 46 /* . */ || i + 1 === length) return -1;
  for (i += 1; i < length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return text.charCodeAt(length - 1) === 48 ? -1 : integerDigits;
};

/**
 * Validates a number string and returns it in DynamoDB's canonical form (`"01.50"` → `"1.5"`). Text already
 * canonical, and short enough to be within DynamoDB's limits, is its own canonical form.
 */
const canonicalNumber = (text: string): string =>
  text.length <= MAX_SIGNIFICANT_DIGITS && canonicalIntegerDigits(text) >= 0
    ? text
    : formatDecimal(parseDecimal(text));

/** The decimal of a safe integer, for results such as `size()`. */
const decimalFromInteger = (value: number): Decimal =>
  value === 0 ? ZERO : normalise(value < 0 ? -1 : 1, BigInt(Math.abs(value)), 0);

const compareMagnitudes = (a: Decimal, b: Decimal): -1 | 0 | 1 => {
  const aLeading = a.exponent + a.coefficient.toString().length;
  const bLeading = b.exponent + b.coefficient.toString().length;
  if (aLeading !== bLeading) return aLeading < bLeading ? -1 : 1;
  const exponent = Math.min(a.exponent, b.exponent);
  const x = a.coefficient * 10n ** BigInt(a.exponent - exponent);
  const y = b.coefficient * 10n ** BigInt(b.exponent - exponent);
  return x === y ? 0 : x < y ? -1 : 1;
};

/** Exact numeric order of two decimals. */
const compareDecimals = (a: Decimal, b: Decimal): -1 | 0 | 1 => {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1;
  if (a.sign === 0) return 0;
  const magnitude = compareMagnitudes(a, b);
  return a.sign > 0 ? magnitude : ((-magnitude || 0) as -1 | 0 | 1);
};

/** Exact sum, checked against DynamoDB's limits (DynamoDB refuses rather than rounds; see `checkResult`). */
const addDecimals = (a: Decimal, b: Decimal): Decimal => {
  if (a.sign === 0) return checkResult(b);
  if (b.sign === 0) return checkResult(a);
  const exponent = Math.min(a.exponent, b.exponent);
  const x = BigInt(a.sign) * a.coefficient * 10n ** BigInt(a.exponent - exponent);
  const y = BigInt(b.sign) * b.coefficient * 10n ** BigInt(b.exponent - exponent);
  const sum = x + y;
  if (sum === 0n) return ZERO;
  return checkResult(sum < 0n ? normalise(-1, -sum, exponent) : normalise(1, sum, exponent));
};

const negateDecimal = (value: Decimal): Decimal =>
  value.sign === 0 ? value : { ...value, sign: value.sign === 1 ? -1 : 1 };

/** Exact difference, checked against DynamoDB's limits. */
const subtractDecimals = (a: Decimal, b: Decimal): Decimal => addDecimals(a, negateDecimal(b));

/**
 * Numeric order of two number strings. Stored numbers are canonical (validateItem), and two canonical numbers
 * of the same sign and integer length compare like their text: the B+ tree compares sort keys this way, without
 * parsing. Up to 38 characters a canonical number cannot exceed DynamoDB's limits, so the text order never
 * skips an error parseDecimal would raise; anything else is parsed.
 */
const compareNumbers = (a: string, b: string): -1 | 0 | 1 => {
  if (a === b) return 0;
  if (a.length <= MAX_SIGNIFICANT_DIGITS && b.length <= MAX_SIGNIFICANT_DIGITS) {
    const aDigits = canonicalIntegerDigits(a);
    const bDigits = canonicalIntegerDigits(b);
    if (aDigits >= 0 && bDigits >= 0) {
      const aNegative = a.charCodeAt(0) === 45;
      if (aNegative !== (b.charCodeAt(0) === 45)) return aNegative ? -1 : 1;
      const magnitude = aDigits !== bDigits ? aDigits < bDigits : a < b;
      return magnitude !== aNegative ? -1 : 1;
    }
  }
  return compareDecimals(parseDecimal(a), parseDecimal(b));
};

/** `a + b` on number strings, in canonical form. */
const addNumbers = (a: string, b: string): string =>
  formatDecimal(addDecimals(parseDecimal(a), parseDecimal(b)));

/** `a - b` on number strings, in canonical form. */
const subtractNumbers = (a: string, b: string): string =>
  formatDecimal(subtractDecimals(parseDecimal(a), parseDecimal(b)));

export type { Decimal };
export {
  addDecimals,
  addNumbers,
  canonicalNumber,
  checkDecimal,
  compareDecimals,
  compareNumbers,
  decimalFromInteger,
  formatDecimal,
  negateDecimal,
  parseDecimal,
  subtractDecimals,
  subtractNumbers,
};
