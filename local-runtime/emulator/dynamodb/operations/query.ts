import {
  type AttributeMap,
  type AttributeValue,
  attributeTypeOf,
} from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { valuesEqual } from '../attributes/compareValues.js';
import { RETURN_CONSUMED_CAPACITY } from '../capacity/consumedCapacity.js';
import { getOwn } from '../expressions/documentPath.js';
import { conditionPaths, matchesSortKey } from '../expressions/index.js';
import type { KeySchema } from '../keySchema.js';
import { checkFilterKeys, checkScalarKeyPaths } from '../reads/checkKeyPaths.js';
import { checkExpressionParameters, readExpressionRequest } from '../reads/expressionParameters.js';
import { compileReadExpressions, legacyKeyTerms } from '../reads/keyConditionTerms.js';
import { afterStartKey, queryRange } from '../reads/keyRange.js';
import {
  legacyAttributes,
  legacyConditionConstraints,
  legacyFilter,
  readLegacyConditions,
} from '../reads/legacyConditions.js';
import { pageOutput } from '../reads/pageOutput.js';
import { planProjection } from '../reads/planProjection.js';
import { type Page, readPage } from '../reads/readPage.js';
import {
  atLeast,
  attributesToGetConstraints,
  expectTypes,
  indexNameConstraints,
  readAttributesToGet,
  startKeyTuple,
} from '../reads/readRequest.js';
import { type ReadTarget, readTarget } from '../reads/readTarget.js';
import {
  type CompositeKeyCondition,
  type ResolvedKeyCondition,
  resolveKeyCondition,
} from '../reads/resolveKeyCondition.js';
import { SELECT_VALUES, selectAttributes } from '../reads/selectAttributes.js';
import { readStartKey, startKeyInvalid } from '../reads/startKey.js';
import { requireTable } from '../requireTable.js';

const EXPRESSIONS = ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'];
const LEGACY = ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'];

/**
 * Query: the items of one partition of a table or index, in sort key order (or reversed), one page at a time.
 * DynamoDB's checks come in its order: the request's shape (front end), the expressions and legacy
 * conditions, then, with the table, the index, the key condition against the key schema (interleaved with the
 * ExclusiveStartKey's key values), the ExclusiveStartKey, the filter and the projection. The read itself is one
 * range of the table's or index's B+ tree: O(log n + k).
 */
const query: Operation = (input, context) => {
  expectTypes(input, ['Limit'], ['ConsistentRead', 'ScanIndexForward']);
  const constraints = new Constraints();
  constraints.oneOf('select', input.Select, SELECT_VALUES);
  indexNameConstraints(constraints, input.IndexName);
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  legacyConditionConstraints(constraints, 'queryFilter', input.QueryFilter);
  constraints.tableName('tableName', input.TableName);
  constraints.oneOf('conditionalOperator', input.ConditionalOperator, ['OR', 'AND']);
  attributesToGetConstraints(constraints, input.AttributesToGet);
  atLeast(constraints, 'limit', input.Limit, 1);
  legacyConditionConstraints(constraints, 'keyConditions', input.KeyConditions);
  constraints.check();

  const select = selectAttributes(input, '1 validation error detected: ');
  checkExpressionParameters(input, EXPRESSIONS, LEGACY);
  const queryFilter = readLegacyConditions(input.QueryFilter, 'queryFilter');
  const attributesToGet = readAttributesToGet(input);
  const startKey = readStartKey(input);
  if (input.KeyConditions == null && input.KeyConditionExpression == null) {
    throw validationException(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  }
  const expressions = compileReadExpressions(readExpressionRequest(input, EXPRESSIONS));
  const keyTerms =
    expressions.keyTerms ?? legacyKeyTerms(readLegacyConditions(input.KeyConditions, 'keyConditions'));

  const table = requireTable(context, input);
  const target = readTarget(table, input);
  if (startKey !== undefined && Object.keys(startKey).length !== target.keyNames.length) {
    throw startKeyInvalid();
  }
  checkScalarKeyPaths(
    keyTerms.filter((term) => term.nested === true).map((term) => [term.name, 0]),
    table,
  );
  const keyCondition = resolveKeyCondition(keyTerms, target.keySchema, startKey, target.index?.name);
  const start = startKey === undefined ? undefined : startKeyTuple(target, startKey);
  if (startKey !== undefined) checkStartKeyBounds(keyCondition, target, startKey);

  const projection = expressions.projection ?? attributesToGet;
  const filter = expressions.filter ?? legacyFilter(queryFilter, input.ConditionalOperator);
  const filterPaths = expressions.filter === undefined ? [] : conditionPaths(expressions.filter);
  checkScalarKeyPaths(projection?.paths ?? [], table);
  if (expressions.filter !== undefined) {
    checkFilterKeys(
      filterPaths.map((path) => path[0] as string),
      target.keySchema,
      'Filter Expression',
    );
  } else {
    checkFilterKeys(legacyAttributes(queryFilter), target.keySchema, 'QueryFilter');
  }
  const plan = planProjection(
    target,
    select,
    projection,
    filterPaths.length > 0 ? filterPaths : legacyAttributes(queryFilter).map((name) => [name]),
  );
  checkScalarKeyPaths(filterPaths, table);

  const forward = input.ScanIndexForward !== false;
  const range = afterStartKey(queryRange(keyCondition), start, forward);
  const page = readPage({
    entries: (target.index ?? table).entries(range.low, range.high, forward),
    ...(typeof input.Limit === 'number' ? { limit: input.Limit } : {}),
    ...(filter === undefined ? {} : { filter }),
    ...plan,
    rangeKey: table.definition.keySchema.rangeKey,
  });
  // A table without a sort key holds at most one item per partition key, so a Query of it reads that item or
  // nothing and is never resumed: no LastEvaluatedKey even when it stopped at Limit (undocumented by AWS;
  // DynamoDB Local answers so, test/integration/emulator/readPages.test.ts). Indexes can hold many items per key.
  const complete = target.index === undefined && table.definition.keySchema.rangeKey === undefined;
  return pageOutput(complete ? withoutLastEvaluated(page) : page, target, input, plan.countOnly);
};

const withoutLastEvaluated = ({ items, count, scannedCount, reads }: Page): Page => ({
  items,
  count,
  scannedCount,
  reads,
});

/**
 * An ExclusiveStartKey must lie within what the key condition selects: in its partition, and (with a sort key
 * condition) satisfying it. DynamoDB's three messages for this, as dynalite recorded them.
 */
const checkStartKeyBounds = (
  keyCondition: ResolvedKeyCondition,
  target: ReadTarget,
  startKey: AttributeMap,
): void => {
  if (keyCondition.composite !== undefined) {
    checkCompositeStartKeyBounds(keyCondition, keyCondition.composite, target.keySchema, startKey);
    return;
  }
  const partition = getOwn(startKey, target.keySchema.hashKey);
  const samePartition =
    partition !== undefined &&
    attributeTypeOf(partition) === attributeTypeOf(keyCondition.partitionKey.value) &&
    valuesEqual(partition, keyCondition.partitionKey.value);
  const { sortKey } = keyCondition;
  if (sortKey === undefined) {
    if (!samePartition) {
      throw validationException(
        'The provided starting key is outside query boundaries based on provided conditions',
      );
    }
    return;
  }
  const sort = getOwn(startKey, sortKey.name);
  if (sort === undefined || !matchesSortKey(sortKey, sort)) {
    throw validationException('The provided starting key does not match the range key predicate');
  }
  if (!samePartition) {
    throw validationException('The query can return at most one row and cannot be restarted');
  }
};

const sameValue = (a: AttributeValue | undefined, b: AttributeValue): boolean =>
  a !== undefined && attributeTypeOf(a) === attributeTypeOf(b) && valuesEqual(a, b);

/**
 * The same rule for an index with a multi-attribute key: the ExclusiveStartKey must carry the condition's
 * partition values and sort key equalities and satisfy its last sort key condition. DynamoDB Local 3.3 answers
 * every miss with one message (AWS does not document it).
 */
const checkCompositeStartKeyBounds = (
  keyCondition: ResolvedKeyCondition,
  composite: CompositeKeyCondition,
  keySchema: KeySchema,
  startKey: AttributeMap,
): void => {
  const hashKeys = keySchema.composite?.hashKeys ?? [];
  const inBounds =
    hashKeys.every((name, i) =>
      sameValue(getOwn(startKey, name), composite.partitionValues[i] as AttributeValue),
    ) &&
    composite.sortEqualities.every(({ name, value }) => sameValue(getOwn(startKey, name), value)) &&
    (keyCondition.sortKey === undefined ||
      matchesSortKey(keyCondition.sortKey, getOwn(startKey, keyCondition.sortKey.name) as AttributeValue));
  if (!inBounds) {
    throw validationException('The provided starting key does not match the range key predicate');
  }
};

export { query };
