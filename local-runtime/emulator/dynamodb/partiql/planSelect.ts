import type { AttributeValue } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import type { Region } from '../../Region.js';
import { valuesEqual } from '../attributes/compareValues.js';
import {
  type Condition,
  compileExpressions,
  conditionPaths,
  type KeyCondition,
  type KeyOperator,
} from '../expressions/index.js';
import type { KeySchema } from '../keySchema.js';
import { type ProjectionPlan, planProjection } from '../reads/planProjection.js';
import { type ReadTarget, readTarget } from '../reads/readTarget.js';
import type { Table } from '../Table.js';
import type { Comparator, Expr, SelectStatement } from './ast.js';
import { isValue, type ValueContext } from './attributeValueOf.js';
import { ExpressionBuilder } from './ExpressionBuilder.js';
import { conjuncts, keyValue } from './keyEqualities.js';
import { type SelectList, selectList } from './selectProjection.js';
import { tableOf } from './tableOf.js';
import { translateCondition } from './translateCondition.js';
import { withStatementMessages } from './withStatementMessages.js';

/** How a SELECT reads: the partitions it queries (in order) or a scan, the filter, and what it returns. */
interface SelectPlan {
  readonly table: Table;
  readonly target: ReadTarget;
  /** One key condition per partition the WHERE clause pins, in written order; undefined: a Scan. */
  readonly partitions?: readonly KeyCondition[];
  /** The whole WHERE clause, applied to every item read (it holds trivially for the key conditions). */
  readonly filter?: Condition;
  readonly list?: SelectList;
  /** Sort key order (ORDER BY … DESC reads backwards). */
  readonly forward: boolean;
  /** How stored entries become response items (index projections, local index fetches). */
  readonly projection: ProjectionPlan;
}

const MIRRORED: Readonly<Record<Comparator, KeyOperator | undefined>> = {
  '=': '=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  '<>': undefined,
};

const isKeyPath = (expr: Expr, name: string): boolean =>
  expr.kind === 'path' && expr.steps.length === 0 && expr.root === name;

/** Refuses an empty string or binary as a key value, as a Query's key condition does. */
const checkNotEmpty = (name: string, value: AttributeValue): void => {
  const raw = 'S' in value ? value.S : 'B' in value ? value.B : undefined;
  if (raw === '') {
    throw validationException(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. Key: ${name}`,
    );
  }
};

/**
 * The partition key values a conjunct pins: `pk = v`, `pk IN [v, w]`, or `pk = v OR pk = w`. Undefined when it
 * pins none (it may still narrow the read as a filter).
 */
const pinnedPartitions = (expr: Expr, name: string): Expr[] | undefined => {
  if (expr.kind === 'comparison' && expr.operator === '=') {
    if (isKeyPath(expr.left, name) && isValue(expr.right)) return [expr.right];
    if (isKeyPath(expr.right, name) && isValue(expr.left)) return [expr.left];
    return undefined;
  }
  if (expr.kind === 'in' && !expr.negated && isKeyPath(expr.operand, name)) {
    return expr.candidates.every(isValue) && expr.candidates.length > 0 ? [...expr.candidates] : undefined;
  }
  if (expr.kind === 'or') {
    const left = pinnedPartitions(expr.left, name);
    const right = pinnedPartitions(expr.right, name);
    return left === undefined || right === undefined ? undefined : [...left, ...right];
  }
  return undefined;
};

/** The sort key condition a conjunct makes: a comparison other than `<>`, BETWEEN, or begins_with. */
const sortCondition = (expr: Expr, name: string): { operator: KeyOperator; values: Expr[] } | undefined => {
  if (expr.kind === 'comparison') {
    if (isKeyPath(expr.left, name) && isValue(expr.right) && expr.operator !== '<>') {
      return { operator: expr.operator, values: [expr.right] };
    }
    const mirrored = MIRRORED[expr.operator];
    if (isKeyPath(expr.right, name) && isValue(expr.left) && mirrored !== undefined) {
      return { operator: mirrored, values: [expr.left] };
    }
    return undefined;
  }
  if (expr.kind === 'between' && !expr.negated && isKeyPath(expr.operand, name)) {
    return isValue(expr.lower) && isValue(expr.upper)
      ? { operator: 'BETWEEN', values: [expr.lower, expr.upper] }
      : undefined;
  }
  if (expr.kind === 'call' && expr.name === 'begins_with' && expr.args.length === 2) {
    const [path, prefix] = expr.args as [Expr, Expr];
    return isKeyPath(path, name) && isValue(prefix)
      ? { operator: 'begins_with', values: [prefix] }
      : undefined;
  }
  return undefined;
};

/**
 * The partitions a WHERE clause pins on the key schema read (the table's or the index's): a Query per
 * partition, in written order, duplicates dropped, each with the first sort key condition found. Key values
 * of the wrong type get DynamoDB's message. Undefined when no partition is pinned: the SELECT scans.
 */
const keyConditions = (
  where: Expr | undefined,
  keySchema: KeySchema,
  context: ValueContext,
): KeyCondition[] | undefined => {
  const parts = conjuncts(where);
  const { hashKey, rangeKey } = keySchema;
  let partitions: AttributeValue[] | undefined;
  for (const part of parts) {
    const pinned = pinnedPartitions(part, hashKey);
    if (pinned === undefined) continue;
    partitions = [];
    for (const expr of pinned) {
      const value = keyValue(keySchema, hashKey, expr, context);
      checkNotEmpty(hashKey, value);
      if (!partitions.some((other) => valuesEqual(other, value))) partitions.push(value);
    }
    break;
  }
  if (partitions === undefined) return undefined;
  let sortKey: KeyCondition['sortKey'];
  if (rangeKey !== undefined) {
    for (const part of parts) {
      const condition = sortCondition(part, rangeKey);
      if (condition === undefined) continue;
      const values = condition.values.map((expr) => keyValue(keySchema, rangeKey, expr, context));
      sortKey = { name: rangeKey, operator: condition.operator, values };
      break;
    }
  }
  return partitions.map((value) => ({
    partitionKey: { name: hashKey, value },
    ...(sortKey === undefined ? {} : { sortKey }),
  }));
};

/**
 * Plans a SELECT: the table or index it reads (DynamoDB's messages for an unknown index and for a strongly
 * consistent read of a global one), a Query of each partition its WHERE clause pins with `=`, `IN` or an OR of
 * equalities on the partition key (else a Scan), the WHERE clause compiled by the expression engine as the
 * filter, the SELECT list, and ORDER BY with DynamoDB's rules (a WHERE clause pinning the partition, key
 * attributes only; DESC on the sort key reads backwards).
 */
const planSelect = (
  select: SelectStatement,
  region: Region,
  context: ValueContext,
  consistentRead: boolean,
): SelectPlan => {
  const table = tableOf(region, select.table);
  const target = readTarget(table, {
    ...(select.index === undefined ? {} : { IndexName: select.index.name }),
    ConsistentRead: consistentRead,
  });
  // PartiQL reads a table or a single-attribute index only; DynamoDB Local 3.3 refuses an index with a
  // multi-attribute key with this message (AWS's developer guide does not mention PartiQL for such indexes:
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html).
  if (target.keySchema.composite !== undefined) {
    throw validationException(
      'PartiQL statements cannot be executed on tables with composite HASH keys or composite RANGE keys.',
    );
  }
  const list = selectList(select, context.text);
  let filter: Condition | undefined;
  if (select.where !== undefined) {
    const builder = new ExpressionBuilder();
    const text = translateCondition(select.where, builder, context);
    filter = withStatementMessages(
      () => compileExpressions({ FilterExpression: text, ...builder.members() }).filter,
    );
  }
  const partitions = keyConditions(select.where, target.keySchema, context);
  const { hashKey, rangeKey } = target.keySchema;
  let forward = true;
  if (select.orderBy.length > 0) {
    if (select.where === undefined) {
      throw validationException('Must have WHERE clause in the statement when using ORDER BY clause.');
    }
    for (const { path, descending } of select.orderBy) {
      if (path.steps.length > 0 || (path.root !== hashKey && path.root !== rangeKey)) {
        throw validationException(
          `Variable reference ${path.root} in ORDER BY clause must be part of the primary key`,
        );
      }
      if (path.root === rangeKey) forward = !descending;
    }
    if (partitions === undefined) {
      throw validationException(
        'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
      );
    }
  }
  const selected =
    list !== undefined
      ? 'SPECIFIC_ATTRIBUTES'
      : target.index === undefined
        ? 'ALL_ATTRIBUTES'
        : 'ALL_PROJECTED_ATTRIBUTES';
  const projection = planProjection(
    target,
    selected,
    list?.projection,
    filter === undefined ? [] : conditionPaths(filter),
  );
  return {
    table,
    target,
    ...(partitions === undefined ? {} : { partitions }),
    ...(filter === undefined ? {} : { filter }),
    ...(list === undefined ? {} : { list }),
    forward,
    projection,
  };
};

export type { SelectPlan };
export { planSelect };
