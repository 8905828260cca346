import type { AttributeMap, AttributeValue } from '../../../src/records/attributeValue.js';
import { validationException } from '../errors.js';
import { setOwn } from './expressions/documentPath.js';

/**
 * The attributes of a global secondary index's multi-attribute key, in KeySchema order: up to four partition
 * key attributes and up to four sort key attributes, all of which an item must carry to be in the index
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html).
 */
interface CompositeKey {
  readonly hashKeys: readonly string[];
  readonly rangeKeys: readonly string[];
}

/** A table's (or index's) primary key: a partition key and an optional sort key, each of type S, N or B. */
interface KeySchema {
  /** The partition key; the first of them for a multi-attribute key. */
  readonly hashKey: string;
  /** The sort key; the first of them for a multi-attribute key. */
  readonly rangeKey?: string;
  /** Declared scalar type per key attribute (AttributeDefinitions). */
  readonly types: Readonly<Record<string, 'S' | 'N' | 'B'>>;
  /**
   * Only for a global index whose KeySchema has more than one HASH or more than one RANGE element; absent
   * otherwise, so single-attribute keys take the paths they always took.
   */
  readonly composite?: CompositeKey;
}

/** Every key attribute of a key schema, partition key attributes first, in KeySchema order. */
const keyAttributeNames = (schema: KeySchema): readonly string[] =>
  schema.composite !== undefined
    ? [...schema.composite.hashKeys, ...schema.composite.rangeKeys]
    : schema.rangeKey === undefined
      ? [schema.hashKey]
      : [schema.hashKey, schema.rangeKey];

/** Whether `name` is one of a key schema's attributes. */
const isKeyAttribute = (schema: KeySchema, name: string): boolean =>
  name === schema.hashKey ||
  name === schema.rangeKey ||
  (schema.composite !== undefined &&
    (schema.composite.hashKeys.includes(name) || schema.composite.rangeKeys.includes(name)));

/** The key attributes of an item, in KeySchema order. */
const keyOf = (schema: KeySchema, item: AttributeMap): AttributeMap => {
  const key: AttributeMap = {};
  const hash = item[schema.hashKey];
  if (hash !== undefined) setOwn(key, schema.hashKey, hash);
  if (schema.rangeKey !== undefined) {
    const range = item[schema.rangeKey];
    if (range !== undefined) setOwn(key, schema.rangeKey, range);
  }
  return key;
};

const typeOf = (value: AttributeValue): string => Object.keys(value)[0] ?? '';

/**
 * Checks a `Key` parameter (GetItem, DeleteItem, UpdateItem): exactly the key attributes, with the declared
 * types, in key schema order (partition key, then sort key), each then not empty and within its size limit.
 * DynamoDB answers every mismatch with the same message.
 */
const validateKey = (schema: KeySchema, key: AttributeMap | undefined): AttributeMap => {
  const names = Object.keys(key ?? {});
  const expected = schema.rangeKey === undefined ? 1 : 2;
  if (key === undefined || names.length !== expected) {
    throw validationException('The provided key element does not match the schema');
  }
  for (const name of [schema.hashKey, schema.rangeKey]) {
    if (name === undefined) continue;
    const value = Object.hasOwn(key, name) ? key[name] : undefined;
    if (value === undefined || typeOf(value) !== schema.types[name]) {
      throw validationException('The provided key element does not match the schema');
    }
    assertKeyValueNotEmpty(name, value);
    checkKeySize(value, name === schema.hashKey);
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
    checkKeySize(value, name === schema.hashKey);
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

/** A partition key value may have at most 2048 bytes, a sort key value at most 1024 (numbers always fit). */
const MAX_HASH_KEY_BYTES = 2048;
const MAX_RANGE_KEY_BYTES = 1024;

/** The size a key value counts against its limit: UTF-8 bytes of a string, bytes of a binary, 0 for a number. */
const keyValueBytes = (value: AttributeValue): number =>
  'S' in value ? Buffer.byteLength(value.S, 'utf8') : 'B' in value ? Buffer.byteLength(value.B, 'base64') : 0;

/**
 * Checks a table key value (or a Query's key condition value) against its size limit, with DynamoDB's messages
 * (the missing space in "of2048" is DynamoDB's).
 */
const checkKeySize = (value: AttributeValue, isHash: boolean): void => {
  const size = keyValueBytes(value);
  if (isHash && size > MAX_HASH_KEY_BYTES) {
    throw validationException(
      `One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of${MAX_HASH_KEY_BYTES} bytes`,
    );
  }
  if (!isHash && size > MAX_RANGE_KEY_BYTES) {
    throw validationException(
      `One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of ${MAX_RANGE_KEY_BYTES} bytes`,
    );
  }
};

/** A KeySchema as sent: its elements in order. */
interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: string;
}

/**
 * The order and naming rules of a table's or an index's KeySchema, with DynamoDB's messages: the first element
 * is the HASH key, a second one the RANGE key, and the two name different attributes.
 */
const checkKeySchemaElements = (hash: KeySchemaElement, range: KeySchemaElement | undefined): void => {
  if (range !== undefined && hash.AttributeName === range.AttributeName) {
    throw validationException(
      'Both the Hash Key and the Range Key element in the KeySchema have the same name',
    );
  }
  if (hash.KeyType !== 'HASH') {
    throw validationException('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  }
  if (range !== undefined && range.KeyType !== 'RANGE') {
    throw validationException('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
};

export type { CompositeKey, KeySchema, KeySchemaElement };
export {
  checkKeySchemaElements,
  checkKeySize,
  isKeyAttribute,
  keyAttributeNames,
  keyOf,
  keyValueBytes,
  MAX_HASH_KEY_BYTES,
  MAX_RANGE_KEY_BYTES,
  validateItemKey,
  validateKey,
};
