import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { AwsServiceError, validationException } from '../../errors.js';
import { ATTRIBUTE_NAME_TOO_LARGE, checkAttributeName, validateValue } from '../attributes/validateItem.js';
import { utf8Length } from './sizeOf.js';

const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;
const MAX_KEY_BYTES = 255;

/**
 * DynamoDB's checks on ExpressionAttributeNames and ExpressionAttributeValues themselves, made before any
 * expression is read: not empty, keys spelled `#word` / `:word`, no empty attribute names, then each value
 * checked as an item's attribute values are, its problem wrapped as "ExpressionAttributeValues contains
 * invalid value: <problem> for key <key>" (dynalite's validations/index.js; DynamoDB Local answers so for
 * every operation). Returns the values with numbers in DynamoDB's canonical form, so that they compare, hash
 * and are stored as item values are.
 */
const checkAttributeMaps = (
  names: Readonly<Record<string, string>> | undefined,
  values: Readonly<AttributeMap> | undefined,
): AttributeMap | undefined => {
  if (names !== undefined) {
    const keys = Object.keys(names);
    if (keys.length === 0) throw validationException('ExpressionAttributeNames must not be empty');
    for (const key of keys) {
      const size = utf8Length(key);
      if (size > MAX_KEY_BYTES) {
        throw validationException(
          `ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: ${size}`,
        );
      }
      if (!NAME_KEY.test(key)) {
        throw validationException(
          `ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`,
        );
      }
      if (names[key] === '') {
        throw validationException(
          `ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`,
        );
      }
      checkAttributeName(names[key] as string);
    }
  }
  if (values !== undefined) {
    const keys = Object.keys(values);
    if (keys.length === 0) throw validationException('ExpressionAttributeValues must not be empty');
    for (const key of keys) {
      if (utf8Length(key) > MAX_KEY_BYTES) {
        // Unlike the names' message, DynamoDB's says no size here (as recorded by the KeyValueStore tester).
        throw validationException(
          'ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;',
        );
      }
      if (!VALUE_KEY.test(key)) {
        throw validationException(
          `ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`,
        );
      }
    }
    const checked: AttributeMap = {};
    for (const key of keys) checked[key] = checkValue(key, values[key]);
    return checked;
  }
  return undefined;
};

const checkValue = (key: string, value: unknown) => {
  try {
    return validateValue(value);
  } catch (error) {
    // A map key over the name limit inside a value is answered as it is in an item, not as a bad value.
    if (
      error instanceof AwsServiceError &&
      error.name === 'ValidationException' &&
      error.message !== ATTRIBUTE_NAME_TOO_LARGE
    ) {
      throw validationException(
        `ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`,
      );
    }
    throw error;
  }
};

export { checkAttributeMaps };
