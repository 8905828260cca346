import type { AttributeMap, AttributeValue } from '../../../src/records/attributeValue.js';
import { validationException } from '../errors.js';

/** A table's (or index's) primary key: a partition key and an optional sort key, each of type S, N or B. */
interface KeySchema {
  readonly hashKey: string;
  readonly rangeKey?: string;
  /** Declared scalar type per key attribute (AttributeDefinitions). */
  readonly types: Readonly<Record<string, 'S' | 'N' | 'B'>>;
}

/** The key attributes of an item, in KeySchema order. */
const keyOf = (schema: KeySchema, item: AttributeMap): AttributeMap => {
  const key: AttributeMap = {};
  const hash = item[schema.hashKey];
  if (hash !== undefined) key[schema.hashKey] = hash;
  if (schema.rangeKey !== undefined) {
    const range = item[schema.rangeKey];
    if (range !== undefined) key[schema.rangeKey] = range;
  }
  return key;
};

const typeOf = (value: AttributeValue): string => Object.keys(value)[0] ?? '';

/**
 * Checks a `Key` parameter (GetItem, DeleteItem, UpdateItem): exactly the key attributes, with the declared
 * types. DynamoDB answers every mismatch with the same message.
 */
const validateKey = (schema: KeySchema, key: AttributeMap | undefined): AttributeMap => {
  const names = Object.keys(key ?? {});
  const expected = schema.rangeKey === undefined ? 1 : 2;
  if (key === undefined || names.length !== expected) {
    throw validationException('The provided key element does not match the schema');
  }
  for (const name of names) {
    const declared = Object.hasOwn(schema.types, name) ? schema.types[name] : undefined;
    const value = key[name] as AttributeValue;
    if (declared === undefined || typeOf(value) !== declared) {
      throw validationException('The provided key element does not match the schema');
    }
    assertKeyValueNotEmpty(name, value);
  }
  return keyOf(schema, key);
};

/** Checks that an item (PutItem) carries its key attributes with the declared types. */
const validateItemKey = (schema: KeySchema, item: AttributeMap): void => {
  for (const name of [schema.hashKey, schema.rangeKey]) {
    if (name === undefined) continue;
    const value = Object.hasOwn(item, name) ? item[name] : undefined;
    if (value === undefined) {
      throw validationException(
        `One or more parameter values were invalid: Missing the key ${name} in the item`,
      );
    }
    const declared = schema.types[name];
    if (typeOf(value) !== declared) {
      throw validationException(
        `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${declared} actual: ${typeOf(value)}`,
      );
    }
    assertKeyValueNotEmpty(name, value);
  }
};

const assertKeyValueNotEmpty = (name: string, value: AttributeValue): void => {
  const raw = 'S' in value ? value.S : 'B' in value ? value.B : undefined;
  if (raw === '') {
    throw validationException(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${typeOf(value) === 'S' ? 'string' : 'binary'} value. Key: ${name}`,
    );
  }
};

export type { KeySchema };
export { keyOf, validateItemKey, validateKey };
