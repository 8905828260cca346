import {
  type AttributeMap,
  type AttributeValue,
  attributeTypeOf,
} from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { getOwn } from '../expressions/documentPath.js';
import type { KeyCondition } from '../expressions/index.js';
import { checkKeySize, type KeySchema } from '../keySchema.js';
import type { KeyTerm } from './keyConditionTerms.js';
import { startKeyInvalid } from './startKey.js';

const keyMismatch = () => validationException('The provided key element does not match the schema');

/**
 * Matches a Query's key terms to the key schema of the table or index it reads, with DynamoDB's messages, in
 * DynamoDB's order: key attribute by key attribute (partition key, then sort key), first the ExclusiveStartKey's
 * value for it, then the condition on it (its values within the key size limits too). Returns the key condition
 * the read runs.
 */
const resolveKeyCondition = (
  terms: readonly KeyTerm[],
  keySchema: KeySchema,
  startKey: AttributeMap | undefined,
): KeyCondition => {
  let partition: AttributeValue | undefined;
  let sort: KeyCondition['sortKey'];
  const keys: [string, boolean][] = [[keySchema.hashKey, true]];
  if (keySchema.rangeKey !== undefined) keys.push([keySchema.rangeKey, false]);
  for (const [name, isHash] of keys) {
    const declared = keySchema.types[name];
    if (startKey !== undefined) {
      const value = getOwn(startKey, name);
      if (value === undefined) throw startKeyInvalid();
      if (attributeTypeOf(value) !== declared) throw keyMismatch();
    }
    if (isHash && keySchema.rangeKey === undefined && terms.length > 1) {
      throw validationException('Query key condition not supported');
    }
    const term = terms.find((t) => t.name === name && t.nested !== true);
    if (term === undefined) {
      if (isHash || terms.length > 1)
        throw validationException(`Query condition missed key schema element: ${name}`);
      continue;
    }
    if (term.operator === 'unindexable') {
      throw validationException('Attempted conditional constraint is not an indexable operation');
    }
    if (term.values.some((value) => attributeTypeOf(value) !== declared)) {
      throw validationException(
        'One or more parameter values were invalid: Condition parameter type does not match schema type',
      );
    }
    if (isHash && term.operator !== '=') throw validationException('Query key condition not supported');
    if (term.values.some((value) => ('S' in value && value.S === '') || ('B' in value && value.B === ''))) {
      throw validationException(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${declared === 'S' ? 'string' : 'binary'} value. Key: ${name}`,
      );
    }
    for (const value of term.values) checkKeySize(value, isHash);
    if (isHash) partition = term.values[0];
    else sort = { name, operator: term.operator, values: [...term.values] };
  }
  return {
    partitionKey: { name: keySchema.hashKey, value: partition as AttributeValue },
    ...(sort === undefined ? {} : { sortKey: sort }),
  };
};

export { keyMismatch, resolveKeyCondition };
