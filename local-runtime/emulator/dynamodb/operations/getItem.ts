import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { validateItem } from '../attributes/validateItem.js';
import {
  CapacityUsage,
  consumedCapacityMember,
  itemReadUnits,
  RETURN_CONSUMED_CAPACITY,
} from '../capacity/consumedCapacity.js';
import { checkLength } from '../collectionConstraints.js';
import { applyProjection, compileExpressions, type Projection } from '../expressions/index.js';
import { validateKey } from '../keySchema.js';
import { attributesToGetProjection } from '../legacy/attributesToGetProjection.js';
import { checkExpressionParameters } from '../legacy/checkExpressionParameters.js';
import { requireTable } from '../requireTable.js';

/**
 * The projection of a read (GetItem, each table of BatchGetItem, TransactGetItems' Get): a ProjectionExpression
 * or the legacy AttributesToGet, never both; undefined for the whole item. These reads have no
 * ExpressionAttributeValues member, so DynamoDB ignores one (as DynamoDB Local does): it is neither checked
 * nor reported unused.
 */
const readProjection = (request: Record<string, unknown>, legacy: boolean): Projection | undefined => {
  checkExpressionParameters(request, ['ProjectionExpression'], legacy ? ['AttributesToGet'] : []);
  return (
    (legacy ? attributesToGetProjection(request.AttributesToGet) : undefined) ??
    compileExpressions({ ...request, ExpressionAttributeValues: undefined }).projection
  );
};

/** Reads one item, whole or projected, strongly or eventually consistent. */
const getItem: Operation = (input, context) => {
  const constraints = new Constraints();
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  checkLength(constraints, 'attributesToGet', input.AttributesToGet, 1, 255);
  constraints.tableName('tableName', input.TableName);
  constraints.notNull('key', input.Key);
  constraints.check();
  const projection = readProjection(input, true);
  const table = requireTable(context, input);
  const key = validateKey(table.definition.keySchema, validateItem(input.Key, 'Key'));
  const item = table.getItem(key);
  const usage = new CapacityUsage(table.name);
  usage.addRead(itemReadUnits(item, input.ConsistentRead === true ? 'strong' : 'eventual'));
  return {
    ...(item === undefined
      ? {}
      : { Item: projection === undefined ? item : applyProjection(projection, item) }),
    ...consumedCapacityMember(input.ReturnConsumedCapacity, usage),
  };
};

export { getItem, readProjection };
