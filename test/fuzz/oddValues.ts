/**
 * The adversarial values the mutators draw from: names that collide with `Object.prototype`, sizes at and past
 * DynamoDB's limits, numbers at the edges of its number type, and base64 that is not quite base64. Limits are
 * DynamoDB's: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 */

/** Names every JS object already answers to, so a map keyed by user data can confuse them with its own. */
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  'prototype',
  'length',
  'then',
] as const;

/** Attribute names at and past the limits: 255 bytes for key attributes, 64 KiB for others. */
const oddAttributeNames = (): string[] => [
  ...PROTOTYPE_NAMES,
  '',
  ' ',
  'ü日本🙂',
  '\u0000',
  '\ud800',
  'a.b',
  'a[0]',
  '#a',
  ':a',
  'a b',
  'name',
  'SELECT',
  'x'.repeat(255),
  'x'.repeat(256),
  '\u00e9'.repeat(128),
  'x'.repeat(65_535),
  'x'.repeat(65_536),
  '🙂'.repeat(16_384),
];

/** Table and index names at and past their rules: 3–255 characters of [a-zA-Z0-9_.-]. */
const oddTableNames = (): string[] => [
  ...PROTOTYPE_NAMES,
  '',
  'ab',
  'a'.repeat(255),
  'a'.repeat(256),
  'a'.repeat(70_000),
  'bad name',
  'ü日本',
  'arn:aws:dynamodb:us-east-1:000000000000:table/fuzz_hash',
  'fuzz_hash/../x',
];

/** Numbers DynamoDB refuses or treats at the edge: 38 digits, exponents −130 to +125. */
const ODD_NUMBERS = [
  '',
  ' 1',
  '1 ',
  '+1',
  '-0',
  '0.0',
  '.5',
  '5.',
  '1e126',
  '9.9999999999999999999999999999999999999E+125',
  '1e-131',
  '1E-130',
  '-1e126',
  '12345678901234567890123456789012345678',
  '123456789012345678901234567890123456789',
  '0.000000000000000000000000000000000000001',
  '1e1000000000',
  '1e-1000000000',
  '0x10',
  'Infinity',
  '-Infinity',
  'NaN',
  '1_000',
  '--1',
  '1e',
  'e1',
  '١٢٣',
  '1'.repeat(10_000),
  `0.${'0'.repeat(5000)}1`,
] as const;

/** JSON number literals (not strings) where DynamoDB wants a string or a bounded integer. */
const ODD_NUMBER_LITERALS = [
  '0',
  '-1',
  '1.5',
  '-0',
  '1e400',
  '-1e400',
  '9007199254740993',
  '1e-400',
  '2147483648',
  '99999999999999999999999999999999999999999',
] as const;

/** Base64 that is padded wrong, has foreign characters, or is empty. */
const BAD_BASE64 = [
  '',
  'YQ',
  'YQ=',
  'Y',
  '====',
  'YQ==YQ==',
  '!!!!',
  'YQ== ',
  'Y Q==',
  'ü',
  '-_-_',
  'YQ\n==',
  'a'.repeat(4097),
] as const;

/** String lengths around the limits (1 KiB sort key, 2 KiB partition key, 4 KiB expression, 400 KiB item). */
const STRING_LENGTHS = [
  0,
  1,
  255,
  256,
  1024,
  1025,
  2048,
  2049,
  4096,
  4097,
  65_536,
  400 * 1024,
  1024 * 1024,
] as const;

export {
  BAD_BASE64,
  ODD_NUMBER_LITERALS,
  ODD_NUMBERS,
  oddAttributeNames,
  oddTableNames,
  PROTOTYPE_NAMES,
  STRING_LENGTHS,
};
