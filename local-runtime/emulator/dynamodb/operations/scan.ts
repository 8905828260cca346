import { attributeTypeOf } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { RETURN_CONSUMED_CAPACITY } from '../capacity/consumedCapacity.js';
import { getOwn } from '../expressions/documentPath.js';
import { conditionPaths } from '../expressions/index.js';
import { keyAttributeNames } from '../keySchema.js';
import { checkScalarKeyPaths } from '../reads/checkKeyPaths.js';
import { checkExpressionParameters, readExpressionRequest } from '../reads/expressionParameters.js';
import { compileReadExpressions } from '../reads/keyConditionTerms.js';
import { afterStartKey, FULL_RANGE } from '../reads/keyRange.js';
import {
  legacyAttributes,
  legacyConditionConstraints,
  legacyFilter,
  readLegacyConditions,
} from '../reads/legacyConditions.js';
import { pageOutput } from '../reads/pageOutput.js';
import { planProjection } from '../reads/planProjection.js';
import { readPage } from '../reads/readPage.js';
import {
  atLeast,
  atMost,
  attributesToGetConstraints,
  expectTypes,
  indexNameConstraints,
  readAttributesToGet,
  startKeyTuple,
} from '../reads/readRequest.js';
import { readTarget } from '../reads/readTarget.js';
import { keyMismatch } from '../reads/resolveKeyCondition.js';
import { segmentOf, segmentRange } from '../reads/segments.js';
import { SELECT_VALUES, selectAttributes } from '../reads/selectAttributes.js';
import { readStartKey, startKeyInvalid } from '../reads/startKey.js';
import { requireTable } from '../requireTable.js';

const EXPRESSIONS = ['ProjectionExpression', 'FilterExpression'];
const LEGACY = ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'];
const MAX_TOTAL_SEGMENTS = 1_000_000;

/**
 * Scan: every item of a table or index, one page at a time, in partition-hash order. With Segment and
 * TotalSegments, only the items whose partition key hashes into that segment: each item belongs to exactly one
 * segment, always the same, and a segment is one range of the B+ tree, so each page costs O(log n + k).
 * DynamoDB's checks come in its order: the request's shape, the expressions and legacy conditions, the
 * segments, then, with the table, the index, the ExclusiveStartKey, the projection.
 */
const scan: Operation = (input, context) => {
  expectTypes(input, ['Limit', 'Segment', 'TotalSegments'], ['ConsistentRead']);
  const constraints = new Constraints();
  constraints.oneOf('select', input.Select, SELECT_VALUES);
  indexNameConstraints(constraints, input.IndexName);
  atLeast(constraints, 'totalSegments', input.TotalSegments, 1);
  atMost(constraints, 'totalSegments', input.TotalSegments, MAX_TOTAL_SEGMENTS);
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  constraints.tableName('tableName', input.TableName);
  constraints.oneOf('conditionalOperator', input.ConditionalOperator, ['OR', 'AND']);
  legacyConditionConstraints(constraints, 'scanFilter', input.ScanFilter);
  atLeast(constraints, 'segment', input.Segment, 0);
  atMost(constraints, 'segment', input.Segment, MAX_TOTAL_SEGMENTS - 1);
  atLeast(constraints, 'limit', input.Limit, 1);
  attributesToGetConstraints(constraints, input.AttributesToGet);
  constraints.check();

  const select = selectAttributes(input, '');
  checkExpressionParameters(input, EXPRESSIONS, LEGACY);
  const attributesToGet = readAttributesToGet(input);
  const scanFilter = readLegacyConditions(input.ScanFilter, 'scanFilter');
  const startKey = readStartKey(input);
  const segments = readSegments(input);
  const expressions = compileReadExpressions(readExpressionRequest(input, EXPRESSIONS));

  const table = requireTable(context, input);
  const target = readTarget(table, input);
  const { index } = target;
  if (startKey !== undefined && Object.keys(startKey).length !== target.keyNames.length) {
    throw index === undefined ? startKeyInvalid(keyMismatch().message) : startKeyInvalid();
  }
  if (index !== undefined && startKey !== undefined) {
    for (const name of keyAttributeNames(index.keySchema)) {
      const value = getOwn(startKey, name);
      if (value === undefined) throw startKeyInvalid();
      if (attributeTypeOf(value) !== index.keySchema.types[name]) throw keyMismatch();
    }
  }
  const projection = expressions.projection ?? attributesToGet;
  const filterPaths =
    expressions.filter === undefined
      ? legacyAttributes(scanFilter).map((name) => [name])
      : conditionPaths(expressions.filter);
  const plan = planProjection(target, select, projection, filterPaths);
  const start = startKey === undefined ? undefined : startKeyTuple(target, startKey);
  if (start !== undefined && segments !== undefined) {
    if (segmentOf(start[0] as number, segments.total) !== segments.segment) {
      throw startKeyInvalid(
        `Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${segments.total} Segment: ${segments.segment}`,
      );
    }
  }
  checkScalarKeyPaths(projection?.paths ?? [], table);
  checkScalarKeyPaths(filterPaths, table);

  const filter = expressions.filter ?? legacyFilter(scanFilter, input.ConditionalOperator);
  const range = afterStartKey(
    segments === undefined ? FULL_RANGE : segmentRange(segments.segment, segments.total),
    start,
    true,
  );
  const page = readPage({
    entries: (index ?? table).entries(range.low, range.high, true),
    ...(typeof input.Limit === 'number' ? { limit: input.Limit } : {}),
    ...(filter === undefined ? {} : { filter }),
    ...plan,
    rangeKey: table.definition.keySchema.rangeKey,
  });
  return pageOutput(page, target, input, plan.countOnly);
};

/** Segment and TotalSegments come together, Segment below TotalSegments (DynamoDB's messages). */
const readSegments = (input: Record<string, unknown>): { segment: number; total: number } | undefined => {
  const segment = input.Segment as number | undefined | null;
  const total = input.TotalSegments as number | undefined | null;
  const hasSegment = segment !== undefined && segment !== null;
  const hasTotal = total !== undefined && total !== null;
  if (hasSegment && !hasTotal) {
    throw validationException(
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  }
  if (!hasTotal) return undefined;
  if (!hasSegment) {
    throw validationException(
      'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
    );
  }
  if (segment >= total) {
    throw validationException(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`,
    );
  }
  return { segment: Math.floor(segment), total: Math.floor(total) };
};

export { scan };
