import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { serializationException, validationException } from '../../errors.js';
import { canonicalNumber } from './decimal.js';

const TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);
// Canonical base64 with its padding: whole groups of four, the last one possibly `xx==` or `xxx=`.
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Char code → whether it is a base64 digit. */
const IS_BASE64_DIGIT = new Uint8Array(128);
for (const digit of BASE64_ALPHABET) IS_BASE64_DIGIT[digit.charCodeAt(0)] = 1;

/**
 * Whether a text whose length is a multiple of 4 is base64 digits with at most two `=` at its end. A loop, not a
 * regular expression: a backtracking pattern over a value of several megabytes overflows V8's regexp stack.
 */
const isBase64Text = (text: string): boolean => {
  const end = text.endsWith('==') ? text.length - 2 : text.endsWith('=') ? text.length - 1 : text.length;
  for (let i = 0; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 128 || IS_BASE64_DIGIT[code] === 0) return false;
  }
  return true;
};

/**
 * Checks an item (or key) received on the wire against DynamoDB's attribute value rules and returns it with
 * numbers in DynamoDB's canonical form (DynamoDB stores `1.50` as `1.5`). Built on a null-prototype map so
 * attribute names such as `__proto__` stay plain data.
 */
const validateItem = (raw: unknown, member: string): AttributeMap => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw serializationException(`Unexpected value type in ${member}: expected a map of attribute values`);
  }
  const source = raw as Record<string, unknown>;
  // A shallow copy first, in one step and with the raw map's own layout (JSON's maps are sized exactly, so
  // stored items take less memory); spreading defines even `__proto__` as a plain data property. Each value is
  // then replaced by its checked form: an assignment to a property the copy already has.
  const item = { ...source } as AttributeMap;
  for (const name of Object.keys(source)) {
    if (name.length > MAX_SHORT_NAME_UNITS) checkAttributeName(name);
    item[name] = validateValue(source[name]);
  }
  return item;
};

/** The most UTF-8 bytes an attribute name (or map key) may take. */
const MAX_ATTRIBUTE_NAME_BYTES = 65_535;
/** A name of at most this many UTF-16 units takes at most 65 535 UTF-8 bytes (3 per unit): no need to count. */
const MAX_SHORT_NAME_UNITS = Math.floor(MAX_ATTRIBUTE_NAME_BYTES / 3);

/**
 * DynamoDB's answer to an attribute name over 65 535 bytes, wherever it is: a top-level attribute, a map key at
 * any depth, an ExpressionAttributeNames value, a legacy AttributesToGet or AttributeUpdates name. Neither the
 * limit's edge nor the wording is in the documentation
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes says
 * "less than 64 KB"); 65 535 bytes is the longest DynamoDB takes and the message is the one DynamoDB sends for
 * PutItem and UpdateItem (both pinned by test/integration/emulator/attributeNameLimits.test.ts).
 */
const ATTRIBUTE_NAME_TOO_LARGE =
  '1 validation error detected: Attribute name is too large, must be less than 65536 bytes';

/** Refuses an attribute name over 65 535 UTF-8 bytes with DynamoDB's ValidationException. */
const checkAttributeName = (name: string): void => {
  if (
    typeof name === 'string' &&
    name.length > MAX_SHORT_NAME_UNITS &&
    Buffer.byteLength(name, 'utf8') > MAX_ATTRIBUTE_NAME_BYTES
  ) {
    throw validationException(ATTRIBUTE_NAME_TOO_LARGE);
  }
};

const invalid = (message: string) =>
  validationException(`One or more parameter values were invalid: ${message}`);

const validateValue = (raw: unknown): AttributeValue => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw serializationException('Unexpected value type: expected an AttributeValue object');
  }
  // The members that are not null: exactly one is the value's type.
  let type: string | undefined;
  let types = 0;
  for (const key of Object.keys(raw)) {
    if ((raw as Record<string, unknown>)[key] === null) continue;
    type ??= key;
    types += 1;
  }
  if (type === undefined)
    throw validationException(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  if (types > 1) {
    throw validationException(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  if (!TYPES.has(type)) throw serializationException(`Unknown AttributeValue type: ${type}`);
  const value = (raw as Record<string, unknown>)[type];
  switch (type) {
    case 'S':
      return { S: expectString(value) };
    case 'N':
      return { N: canonicalNumber(expectString(value)) };
    case 'B':
      return { B: expectBase64(value) };
    case 'BOOL':
      if (typeof value !== 'boolean') throw serializationException('BOOL must be a boolean');
      return { BOOL: value };
    case 'NULL':
      if (value !== true) throw invalid('Null attribute value types must have the value of true');
      return { NULL: true };
    case 'SS': {
      const members = expectArray(value).map(expectString);
      return { SS: uniqueSet(members, members, 'SS') };
    }
    case 'NS': {
      const members = expectArray(value).map(expectString);
      return { NS: uniqueSet(members, members.map(canonicalNumber), 'NS') };
    }
    case 'BS': {
      const members = expectArray(value).map(expectBase64);
      // Canonical base64 (expectBase64) spells each byte string one way: the text is the member's identity.
      return { BS: uniqueSet(members, members, 'BS') };
    }
    case 'L':
      return { L: expectArray(value).map(validateValue) };
    default:
      return { M: validateItem(value, 'M') };
  }
};

const expectString = (value: unknown): string => {
  if (typeof value !== 'string') throw serializationException('NUMBER_VALUE cannot be converted to String');
  return value;
};

/**
 * A binary value as DynamoDB reads it: base64 with its padding, and nothing else. A length that is not a
 * multiple of 4 (unpadded base64 included) is refused with its length; any other text that is not canonical
 * base64 (a character outside the alphabet, padding in the middle, a last character with bits set past the
 * data) with DynamoDB's "Invalid last non-pad Base64 character dectected" (sic). AWS does not document these
 * answers; they are the ones dynalite records for DynamoDB (validations/index.js, and its tests of `B` values
 * `'23456'`, `'=+/='` and `'+/+='`).
 */
const expectBase64 = (value: unknown): string => {
  const text = expectString(value);
  if (text.length % 4 !== 0) {
    throw serializationException(
      `Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`,
    );
  }
  if (!isBase64Text(text) || !paddingBitsClear(text)) {
    throw serializationException('Invalid last non-pad Base64 character dectected');
  }
  return text;
};

/** Whether the bits of the last data character past the encoded bytes are zero (`AA==`, not `AB==`). */
const paddingBitsClear = (text: string): boolean => {
  if (!text.endsWith('=')) return true;
  const twoPads = text.endsWith('==');
  const last = BASE64_ALPHABET.indexOf(text.charAt(text.length - (twoPads ? 3 : 2)));
  return last % (twoPads ? 16 : 4) === 0;
};

const expectArray = (value: unknown): unknown[] => {
  if (!Array.isArray(value)) throw serializationException('Start of list found where not expected');
  return value;
};

type SetType = 'SS' | 'NS' | 'BS';

const EMPTY_SET_MESSAGES: Readonly<Record<SetType, string>> = {
  SS: 'An string set  may not be empty',
  NS: 'An number set  may not be empty',
  BS: 'Binary sets should not be empty',
};

/**
 * Sets may not be empty and may not hold the same member twice, members compared as DynamoDB compares them
 * (`identities`: numbers by value, so 1 and 1.0 are one member). Returns the stored
 * members (`stored`: numbers in canonical form). DynamoDB words each set type's duplicate its own way (spacing
 * and full stops included), printing the members as sent: dynalite's validations/index.js, and the answers
 * DynamoDB gives for BatchWriteItem, the transactions and Scan (pinned by test/integration/emulator/items.test.ts).
 */
const uniqueSet = (sent: string[], identities: string[], type: SetType): string[] => {
  if (sent.length === 0) throw invalid(EMPTY_SET_MESSAGES[type]);
  if (new Set(identities).size !== identities.length) {
    if (type === 'NS') throw validationException('Input collection contains duplicates');
    throw invalid(
      `Input collection [${sent.join(', ')}]${type === 'BS' ? 'of type BS' : ''} contains duplicates.`,
    );
  }
  return type === 'NS' ? identities : sent;
};

export { ATTRIBUTE_NAME_TOO_LARGE, checkAttributeName, validateItem, validateValue };
