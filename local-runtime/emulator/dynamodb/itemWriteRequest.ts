import { validationException } from '../errors.js';
import { Constraints } from '../validation/Constraints.js';
import { RETURN_CONSUMED_CAPACITY } from './capacity/consumedCapacity.js';
import { RETURN_ITEM_COLLECTION_METRICS } from './capacity/itemCollectionMetrics.js';
import type { Condition } from './expressions/index.js';
import { ATTRIBUTE_ACTIONS, type AttributeUpdate, readAttributeUpdates } from './legacy/attributeUpdates.js';
import { checkExpressionParameters } from './legacy/checkExpressionParameters.js';
import { expectedCondition } from './legacy/expectedCondition.js';
import { COMPARISON_OPERATORS } from './reads/legacyConditions.js';
import { requireTable, type TableScope } from './requireTable.js';
import type { Table } from './Table.js';

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const;
type ReturnValues = (typeof RETURN_VALUES)[number];

// DynamoDB lists the ReturnValues enum in this order in its messages.
const RETURN_VALUES_MESSAGE_ORDER = ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] as const;

type WriteOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem';

type MemberCheck = (constraints: Constraints, input: Record<string, unknown>) => void;

/** Each checks the members inside a map member (`expected.<name>.member.comparisonOperator`). */
const eachEntry = (
  member: string,
  value: unknown,
  check: (path: string, entry: Record<string, unknown>) => void,
): void => {
  if (value === null || typeof value !== 'object') return;
  for (const [name, entry] of Object.entries(value as Record<string, Record<string, unknown> | null>)) {
    if (entry !== null && typeof entry === 'object') check(`${member}.${name}.member`, entry);
  }
};

const MEMBER_CHECKS: Readonly<Record<string, MemberCheck>> = {
  returnConsumedCapacity: (c, input) =>
    c.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY),
  tableName: (c, input) => c.tableName('tableName', input.TableName),
  item: (c, input) => c.notNull('item', input.Item),
  key: (c, input) => c.notNull('key', input.Key),
  conditionalOperator: (c, input) => c.oneOf('conditionalOperator', input.ConditionalOperator, ['OR', 'AND']),
  expected: (c, input) =>
    eachEntry('expected', input.Expected, (path, entry) =>
      c.oneOf(`${path}.comparisonOperator`, entry.ComparisonOperator, COMPARISON_OPERATORS),
    ),
  attributeUpdates: (c, input) =>
    eachEntry('attributeUpdates', input.AttributeUpdates, (path, entry) =>
      c.oneOf(`${path}.action`, entry.Action, ATTRIBUTE_ACTIONS),
    ),
  returnValues: (c, input) => c.oneOf('returnValues', input.ReturnValues, RETURN_VALUES_MESSAGE_ORDER),
  returnItemCollectionMetrics: (c, input) =>
    c.oneOf('returnItemCollectionMetrics', input.ReturnItemCollectionMetrics, RETURN_ITEM_COLLECTION_METRICS),
  returnValuesOnConditionCheckFailure: (c, input) =>
    c.oneOf('returnValuesOnConditionCheckFailure', input.ReturnValuesOnConditionCheckFailure, [
      'ALL_OLD',
      'NONE',
    ]),
};

/** The members each write checks, in the order DynamoDB reports their constraint failures. */
const MEMBER_ORDER: Readonly<Record<WriteOperation, readonly string[]>> = {
  PutItem: [
    'returnConsumedCapacity',
    'tableName',
    'item',
    'conditionalOperator',
    'expected',
    'returnValues',
    'returnItemCollectionMetrics',
    'returnValuesOnConditionCheckFailure',
  ],
  UpdateItem: [
    'returnConsumedCapacity',
    'tableName',
    'returnItemCollectionMetrics',
    'returnValues',
    'key',
    'conditionalOperator',
    'expected',
    'attributeUpdates',
    'returnValuesOnConditionCheckFailure',
  ],
  DeleteItem: [
    'returnConsumedCapacity',
    'tableName',
    'returnValues',
    'returnItemCollectionMetrics',
    'key',
    'conditionalOperator',
    'expected',
    'returnValuesOnConditionCheckFailure',
  ],
};

/** The ReturnValues each write accepts. */
const ALLOWED_RETURN_VALUES: Readonly<Record<WriteOperation, readonly ReturnValues[]>> = {
  PutItem: ['NONE', 'ALL_OLD'],
  UpdateItem: RETURN_VALUES,
  DeleteItem: ['NONE', 'ALL_OLD'],
};

interface ItemWriteRequest {
  readonly table: Table;
  readonly returnValues: ReturnValues;
  /** The legacy `Expected` conditions, compiled; undefined when the request has none. */
  readonly expected: Condition | undefined;
  /** UpdateItem's legacy `AttributeUpdates`, checked; undefined when the request has none. */
  readonly attributeUpdates: readonly AttributeUpdate[] | undefined;
}

/**
 * Whether a PutItem is the shape SDKs send most, a string TableName and an Item and none of the other members:
 * then the constraints, the expression rules and `Expected` have nothing to say, and the only check left that
 * can fail is the table name's, which `requireTable` makes with the same message (the request needs only its
 * table: the same outcome, without building checks that would all pass). Anything else takes the general path.
 */
const isPlainPut = (operation: WriteOperation, input: Record<string, unknown>): boolean => {
  if (operation !== 'PutItem' || input.Item === undefined || input.Item === null) return false;
  if (typeof input.TableName !== 'string') return false;
  // Every other member a check or a rule reads, by name (a loop over their names would look each up by key).
  return (
    input.ReturnConsumedCapacity === undefined &&
    input.ConditionalOperator === undefined &&
    input.Expected === undefined &&
    input.ReturnValues === undefined &&
    input.ReturnItemCollectionMetrics === undefined &&
    input.ReturnValuesOnConditionCheckFailure === undefined &&
    input.ConditionExpression === undefined &&
    input.ExpressionAttributeNames === undefined &&
    input.ExpressionAttributeValues === undefined
  );
};

/**
 * The checks every single-item write starts with, in DynamoDB's order: the members' constraints (enums, table
 * name, the required Item or Key) reported together; the rules on expression and non-expression parameters and
 * the legacy `Expected` and `AttributeUpdates`; then the table; then the ReturnValues this operation allows.
 */
const itemWriteRequest = (
  scope: TableScope,
  input: Record<string, unknown>,
  operation: WriteOperation,
): ItemWriteRequest => {
  if (isPlainPut(operation, input)) {
    return {
      table: requireTable(scope, input),
      returnValues: 'NONE',
      expected: undefined,
      attributeUpdates: undefined,
    };
  }
  const constraints = new Constraints();
  for (const member of MEMBER_ORDER[operation]) MEMBER_CHECKS[member]?.(constraints, input);
  constraints.check();
  const update = operation === 'UpdateItem';
  checkExpressionParameters(
    input,
    update ? ['UpdateExpression', 'ConditionExpression'] : ['ConditionExpression'],
    update ? ['AttributeUpdates', 'Expected', 'ConditionalOperator'] : ['Expected', 'ConditionalOperator'],
  );
  const attributeUpdates =
    update && input.AttributeUpdates !== undefined && input.AttributeUpdates !== null
      ? readAttributeUpdates(input.AttributeUpdates)
      : undefined;
  const expected = expectedCondition(input.Expected, input.ConditionalOperator);
  const table = requireTable(scope, input);
  const returnValues = (input.ReturnValues as ReturnValues | undefined) ?? 'NONE';
  if (!ALLOWED_RETURN_VALUES[operation].includes(returnValues))
    throw validationException('Return values set to invalid value');
  return { table, returnValues, expected, attributeUpdates };
};

export type { ItemWriteRequest, ReturnValues, WriteOperation };
export { itemWriteRequest };
