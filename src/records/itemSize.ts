import type { AttributeMap, AttributeValue } from './attributeValue.js';

/**
 * Sizes as DynamoDB counts them ("Item sizes and formats", DynamoDB developer guide): the UTF-8 length of each
 * attribute name plus the size of its value. Stream records' `SizeBytes` is the sum of the sizes of `Keys`,
 * `NewImage` and `OldImage`
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html;
 * the sum is checked against records AWS wrote in test/unit/src/records/itemSize.test.ts).
 */
const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * A number is stored as base-100 digit pairs: one byte per two significant digits plus one, an extra byte when
 * the digits do not line up with the pairs, and one more for a negative sign.
 */
const numberSize = (text: string): number => {
  const plain = plainNumberSize(text);
  return plain >= 0 ? plain : spelledNumberSize(text);
};

/**
 * `numberSize` of a number written `-?\d*(\.\d*)?` (every stored number: DynamoDB's canonical spelling is one),
 * in one pass without building strings; -1 for any other spelling.
 */
const plainNumberSize = (text: string): number => {
  const length = text.length;
  const negative = text.charCodeAt(0) === 45; /* - */
  let digits = 0;
  let point = -1;
  let first = -1;
  let last = -1;
  for (let i = negative ? 1 : 0; i < length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (point >= 0) return -1;
      point = digits;
      continue;
    }
    if (c < 48 || c > 57) return -1;
    if (c !== 48) {
      if (first < 0) first = digits;
      last = digits;
    }
    digits += 1;
  }
  if (first < 0) return 1;
  const significant = last - first + 1;
  const exponent = (point < 0 ? digits : point) - 1 - first;
  const misaligned = significant % 2 === 0 && exponent % 2 === 0 ? 1 : 0;
  return 1 + Math.ceil(significant / 2) + misaligned + (negative ? 1 : 0);
};

/** `numberSize` of any other spelling: a sign, spaces, an exponent. */
const spelledNumberSize = (text: string): number => {
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
    const names = Object.keys(value.M);
    return 3 + names.length + mapSize(value.M, names);
  }
  return 1; // NULL and BOOL
};

const mapSize = (map: AttributeMap, names: readonly string[]): number => {
  let size = 0;
  for (const name of names) size += utf8Length(name) + attributeValueSize(map[name] as AttributeValue);
  return size;
};

/** The size of an item, a key or an image: names plus values. */
const itemSize = (item: AttributeMap): number => mapSize(item, Object.keys(item));

export { attributeValueSize, itemSize, numberSize };
