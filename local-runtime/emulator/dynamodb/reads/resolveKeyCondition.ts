import {
  type AttributeMap,
  type AttributeValue,
  attributeTypeOf,
} from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { getOwn } from '../expressions/documentPath.js';
import type { KeyCondition, KeyOperator } from '../expressions/index.js';
import { type CompositeKey, checkKeySize, isKeyAttribute, type KeySchema } from '../keySchema.js';
import { conditionsLength, type KeyTerm } from './keyConditionTerms.js';
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
  indexName?: string,
): ResolvedKeyCondition => {
  if (keySchema.composite !== undefined) {
    return resolveCompositeKeyCondition(terms, keySchema, keySchema.composite, startKey, indexName ?? '');
  }
  if (terms.length > 2) throw conditionsLength();
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

/**
 * The key condition of a Query on an index with a multi-attribute key: the values of every partition key
 * attribute, the equalities on a leading run of sort key attributes, and at most one more condition, on the
 * next sort key attribute. `partitionKey` and `sortKey` are the first partition key attribute and that last
 * condition, if any (what a single-attribute read would have).
 */
interface CompositeKeyCondition {
  readonly partitionValues: readonly AttributeValue[];
  readonly sortEqualities: readonly { readonly name: string; readonly value: AttributeValue }[];
}

/** A Query's key condition, checked against the key schema it reads. */
type ResolvedKeyCondition = KeyCondition & { readonly composite?: CompositeKeyCondition };

const hasEquality = (term: KeyTerm | undefined): boolean => term !== undefined && term.operator === '=';

/** One condition's operator and values against its key attribute, with DynamoDB Local 3.3's messages. */
const checkTermValues = (term: KeyTerm, keySchema: KeySchema, indexName: string): void => {
  if (term.operator === 'unindexable') {
    throw validationException('Attempted conditional constraint is not an indexable operation');
  }
  const declared = keySchema.types[term.name];
  if (term.values.some((value) => attributeTypeOf(value) !== declared)) {
    throw validationException(
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    );
  }
  if (term.values.some((value) => ('S' in value && value.S === '') || ('B' in value && value.B === ''))) {
    throw validationException(
      `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${declared === 'S' ? 'string' : 'binary'} value. IndexName: ${indexName}, IndexKey: ${term.name}`,
    );
  }
};

/**
 * Matches a Query's key terms to a multi-attribute key, as the developer guide states the rules
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html):
 * an equality on every partition key attribute; sort key attributes left to right, equalities on all but the
 * last one used, which may have any key comparison. The messages, and the order the rules are checked in, are
 * DynamoDB Local 3.3's (AWS does not document them): more conditions than key attributes, the partition key
 * attributes (all those without an equality named), their values, the first sort key attribute with a
 * condition whose predecessors lack equalities, a condition on another attribute, then the sort key values.
 */
const resolveCompositeKeyCondition = (
  terms: readonly KeyTerm[],
  keySchema: KeySchema,
  composite: CompositeKey,
  startKey: AttributeMap | undefined,
  indexName: string,
): ResolvedKeyCondition => {
  const { hashKeys, rangeKeys } = composite;
  if (startKey !== undefined) {
    for (const name of [...hashKeys, ...rangeKeys]) {
      const value = getOwn(startKey, name);
      if (value === undefined) throw startKeyInvalid();
      if (attributeTypeOf(value) !== keySchema.types[name]) throw keyMismatch();
    }
  }
  if (terms.length > hashKeys.length + rangeKeys.length) {
    throw validationException('Query key condition not supported');
  }
  const byName = new Map<string, KeyTerm>();
  for (const term of terms) byName.set(term.name, term);
  const missing = hashKeys.filter((name) => !hasEquality(byName.get(name)));
  if (missing.length > 0) {
    throw validationException(
      `HASH key attributes ${missing.join(', ')} must have equality conditions specified in the query`,
    );
  }
  const partitionTerms = hashKeys.map((name) => byName.get(name) as KeyTerm);
  for (const term of partitionTerms) checkTermValues(term, keySchema, indexName);
  let used = 0;
  for (let i = 0; i < rangeKeys.length; i += 1) {
    if (!byName.has(rangeKeys[i] as string)) continue;
    const gaps = rangeKeys.slice(0, i).filter((name) => !hasEquality(byName.get(name)));
    if (gaps.length > 0) {
      throw validationException(
        `RANGE key attributes ${gaps.join(', ')} must have equality conditions specified in the query because a condition is present on key attribute ${rangeKeys[i]}`,
      );
    }
    used = i + 1;
  }
  if (terms.some((term) => term.nested === true || !isKeyAttribute(keySchema, term.name))) {
    // DynamoDB names the key attribute it missed (as for single-attribute keys); DynamoDB Local names none.
    // With a condition on another attribute, at least one key attribute has none: the first such is named.
    const missed = [...hashKeys, ...rangeKeys].find((name) => !byName.has(name));
    throw validationException(`Query condition missed key schema element: ${missed}`);
  }
  const sorts = rangeKeys.slice(0, used).map((name) => byName.get(name) as KeyTerm);
  for (const term of sorts) checkTermValues(term, keySchema, indexName);
  const partitionValues = partitionTerms.map((term) => term.values[0] as AttributeValue);
  const last = sorts.at(-1);
  const ranged = last !== undefined && last.operator !== '=' ? last : undefined;
  const equalities = ranged === undefined ? sorts : sorts.slice(0, -1);
  return {
    partitionKey: { name: keySchema.hashKey, value: partitionValues[0] as AttributeValue },
    ...(ranged === undefined
      ? {}
      : {
          sortKey: {
            name: ranged.name,
            operator: ranged.operator as KeyOperator,
            values: [...ranged.values],
          },
        }),
    composite: {
      partitionValues,
      sortEqualities: equalities.map((term) => ({
        name: term.name,
        value: term.values[0] as AttributeValue,
      })),
    },
  };
};

export type { CompositeKeyCondition, ResolvedKeyCondition };
export { keyMismatch, resolveKeyCondition };
