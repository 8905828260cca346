import type { AttributeMap, AttributeValue } from './attributeValue.js';

/**
 * Sizes as DynamoDB counts them ("Item sizes and formats", DynamoDB developer guide): the UTF-8 length of each
 * attribute name plus the size of its value. Stream records' `SizeBytes` is the sum of the sizes of `Keys`,
 * `NewImage` and `OldImage` (streams-spec.md §3.3, checked against records AWS wrote).
 */
const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * A number is stored as base-100 digit pairs: one byte per two significant digits plus one, an extra byte when
 * the digits do not line up with the pairs, and one more for a negative sign.
 */
const numberSize = (text: string): number => {
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const [mantissa = '', exponentText] = trimmed.replace(/^[+-]/, '').toLowerCase().split('e');
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  const allDigits = `${intPart}${fracPart}`;
  const firstNonZero = allDigits.search(/[1-9]/);
  if (firstNonZero === -1) return 1;
  const significant = allDigits.slice(firstNonZero).replace(/0+$/, '');
  // Decimal exponent of the first significant digit, as big.js's `e`: 123 → 2, 0.05 → -2.
  const exponent = intPart.length - 1 - firstNonZero + Number(exponentText ?? 0);
  const digits = significant.length;
  const misaligned = digits % 2 === 0 && exponent % 2 === 0 ? 1 : 0;
  return 1 + Math.ceil(digits / 2) + misaligned + (negative ? 1 : 0);
};

const base64Length = (text: string): number => Buffer.from(text, 'base64').length;

/** The size of one attribute value, without its name. */
const attributeValueSize = (value: AttributeValue): number => {
  if ('S' in value) return utf8Length(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64Length(value.B);
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + utf8Length(s), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + base64Length(b), 0);
  if ('L' in value) return 3 + value.L.reduce((sum, element) => sum + 1 + attributeValueSize(element), 0);
  if ('M' in value) {
    return (
      3 +
      Object.entries(value.M).reduce(
        (sum, [name, v]) => sum + 1 + utf8Length(name) + attributeValueSize(v),
        0,
      )
    );
  }
  return 1; // NULL and BOOL
};

/** The size of an item, a key or an image: names plus values. */
const itemSize = (item: AttributeMap): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8Length(name) + attributeValueSize(value), 0);

export { attributeValueSize, itemSize, numberSize };
