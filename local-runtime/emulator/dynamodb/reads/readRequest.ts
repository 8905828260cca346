import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { AwsServiceError, serializationException, validationException } from '../../errors.js';
import type { Constraints } from '../../validation/Constraints.js';
import { getOwn, setOwn } from '../expressions/documentPath.js';
import type { Projection } from '../expressions/index.js';
import type { KeyTuple } from '../indexes/keyOrder.js';
import { validateKey } from '../keySchema.js';
import type { ReadTarget } from './readTarget.js';
import { startKeyInvalid } from './startKey.js';

const present = (value: unknown): boolean => value !== undefined && value !== null;

const structureMismatch = (value: object): string =>
  Array.isArray(value)
    ? 'Start of list found where not expected'
    : 'Start of structure or map found where not expected.';

/**
 * The integer and boolean members of a read request, typed as DynamoDB's JSON reader types them: a wrong type
 * is a SerializationException with the reader's words (as dynalite recorded them). Strings such as "true" or
 * "1" pass as booleans there, so they do here: they are replaced in `input` by the boolean they stand for.
 */
const expectTypes = (
  input: Record<string, unknown>,
  integers: readonly string[],
  booleans: readonly string[],
): void => {
  for (const member of integers) {
    const value = input[member];
    if (!present(value) || typeof value === 'number') continue;
    if (typeof value === 'object') throw serializationException(structureMismatch(value as object));
    const javaType = typeof value === 'boolean' ? 'java.lang.Boolean' : 'java.lang.String';
    throw serializationException(`class ${javaType} can not be converted to an Integer`);
  }
  for (const member of booleans) {
    const value = input[member];
    if (!present(value) || typeof value === 'boolean') continue;
    if (typeof value === 'object') throw serializationException(structureMismatch(value as object));
    if (typeof value === 'number') {
      throw serializationException(
        'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean',
      );
    }
    const text = String(value).toUpperCase();
    if (['TRUE', '1', 'YES'].includes(text)) input[member] = true;
    else if (['FALSE', '0', 'NO'].includes(text)) input[member] = false;
    else throw serializationException(`'${String(value)}' can not be converted to an Boolean`);
  }
};

/** A numeric member's lower bound. */
const atLeast = (constraints: Constraints, member: string, value: unknown, min: number): void =>
  constraints.range(member, value, min, Number.POSITIVE_INFINITY);

/** A numeric member's upper bound. */
const atMost = (constraints: Constraints, member: string, value: unknown, max: number): void =>
  constraints.range(member, value, Number.NEGATIVE_INFINITY, max);

/** The IndexName constraints (those of a table name) when the request has one. */
const indexNameConstraints = (constraints: Constraints, value: unknown): void => {
  if (present(value)) constraints.tableName('indexName', value);
};

/** AttributesToGet's constraint: at least one name. */
const attributesToGetConstraints = (constraints: Constraints, value: unknown): void => {
  if (Array.isArray(value) && value.length === 0) {
    constraints.fail('attributesToGet', '[]', 'Member must have length greater than or equal to 1');
  }
};

/** AttributesToGet as a projection of top-level attributes; a name given twice is refused. */
const readAttributesToGet = (input: Record<string, unknown>): Projection | undefined => {
  const names = input.AttributesToGet;
  if (!present(names)) return undefined;
  if (!Array.isArray(names)) throw serializationException('Expected list or null');
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string') throw serializationException('Unexpected value type in AttributesToGet');
    if (seen.has(name)) {
      throw validationException(
        `One or more parameter values were invalid: Duplicate value in attribute name: ${name}`,
      );
    }
    seen.add(name);
  }
  return { paths: [...seen].map((name) => [name]) };
};

/**
 * Checks an ExclusiveStartKey's table key (after its index key, for index reads) and returns the tuple it
 * stands for in the tree the read walks.
 */
const startKeyTuple = (target: ReadTarget, startKey: AttributeMap): KeyTuple => {
  const { table, index } = target;
  const tableKey = table.definition.keySchema;
  const picked: AttributeMap = {};
  for (const name of [tableKey.hashKey, tableKey.rangeKey]) {
    const value = name === undefined ? undefined : getOwn(startKey, name);
    if (name !== undefined && value !== undefined) setOwn(picked, name, value);
  }
  try {
    validateKey(tableKey, picked);
  } catch (error) {
    if (error instanceof AwsServiceError && error.name === 'ValidationException')
      throw startKeyInvalid(error.message);
    throw error;
  }
  const tableTuple = table.keyTuple(startKey);
  return index === undefined ? tableTuple : (index.keyTuple(startKey, tableTuple) as KeyTuple);
};

export {
  atLeast,
  atMost,
  attributesToGetConstraints,
  expectTypes,
  indexNameConstraints,
  readAttributesToGet,
  startKeyTuple,
};
