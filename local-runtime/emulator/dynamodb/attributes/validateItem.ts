import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { serializationException, validationException } from '../../errors.js';
import { canonicalNumber } from './decimal.js';

const TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks an item (or key) received on the wire against DynamoDB's attribute value rules and returns it with
 * numbers in DynamoDB's canonical form (DynamoDB stores `1.50` as `1.5`). Built on a null-prototype map so
 * attribute names such as `__proto__` stay plain data.
 */
const validateItem = (raw: unknown, member: string): AttributeMap => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw serializationException(`Unexpected value type in ${member}: expected a map of attribute values`);
  }
  const item: AttributeMap = {};
  for (const [name, value] of Object.entries(raw)) {
    Object.defineProperty(item, name, {
      value: validateValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return item;
};

const invalid = (message: string) =>
  validationException(`One or more parameter values were invalid: ${message}`);

const validateValue = (raw: unknown): AttributeValue => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw serializationException('Unexpected value type: expected an AttributeValue object');
  }
  const keys = Object.keys(raw).filter((k) => (raw as Record<string, unknown>)[k] !== null);
  if (keys.length === 0)
    throw validationException(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  if (keys.length > 1) {
    throw validationException(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  const type = keys[0] as string;
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
    case 'SS':
      return { SS: uniqueSet(expectArray(value).map(expectString), 'An string set  may not be empty') };
    case 'NS':
      return {
        NS: uniqueSet(
          expectArray(value).map((n) => canonicalNumber(expectString(n))),
          'An number set  may not be empty',
        ),
      };
    case 'BS':
      return { BS: uniqueSet(expectArray(value).map(expectBase64), 'Binary sets should not be empty') };
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

const expectBase64 = (value: unknown): string => {
  const text = expectString(value);
  if (!BASE64.test(text) || text.length % 4 === 1) {
    throw serializationException(
      `Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`,
    );
  }
  return text;
};

const expectArray = (value: unknown): unknown[] => {
  if (!Array.isArray(value)) throw serializationException('Start of list found where not expected');
  return value;
};

/** Sets may not be empty and may not hold the same element twice (DynamoDB's messages, spacing included). */
const uniqueSet = (elements: string[], emptyMessage: string): string[] => {
  if (elements.length === 0) throw invalid(emptyMessage);
  if (new Set(elements).size !== elements.length)
    throw invalid(`Input collection [${elements.join(', ')}] contains duplicates.`);
  return elements;
};

export { validateItem };
