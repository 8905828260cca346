import { type AttributeMap, attributeTypeOf } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import type { Region } from '../../Region.js';
import { getOwn } from '../expressions/documentPath.js';
import type { Table } from '../Table.js';
import type {
  DeleteStatement,
  ExistsStatement,
  Identifier,
  InsertStatement,
  Returning,
  UpdateStatement,
} from './ast.js';
import { attributeValueOf, type ValueContext } from './attributeValueOf.js';
import { ExpressionBuilder } from './ExpressionBuilder.js';
import { writeKey } from './keyEqualities.js';
import { atSpan, keyTypeMismatch } from './statementErrors.js';
import { tableOf } from './tableOf.js';
import { translateConjunction } from './translateCondition.js';
import { translateUpdate } from './translateUpdate.js';

/**
 * A write statement translated into the request of the single-item write it is: an INSERT a PutItem that must
 * not find the item, an UPDATE an UpdateItem that must find it, a DELETE a DeleteItem, an EXISTS a
 * TransactWriteItems ConditionCheck. `request` has the wire shape of those requests' members (TableName, Item or
 * Key, expressions, their placeholders), so the operations' own `prepare*` functions check and run it.
 */
interface WritePlan {
  readonly kind: 'insert' | 'update' | 'delete' | 'check';
  readonly table: Table;
  readonly request: Record<string, unknown>;
  readonly returning?: Returning;
}

type WriteStatement = InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

const RETURNING_TEXT: Readonly<Record<Returning, string>> = {
  ALL_OLD: 'ALL OLD',
  UPDATED_OLD: 'MODIFIED OLD',
  ALL_NEW: 'ALL NEW',
  UPDATED_NEW: 'MODIFIED NEW',
};

/** The condition that makes an UPDATE (or an EXISTS) fail on an item that does not exist. */
const itemExists = (table: Table, builder: ExpressionBuilder): string =>
  `attribute_exists(${builder.name(table.definition.keySchema.hashKey)})`;

const planInsert = (statement: InsertStatement, table: Table, context: ValueContext): WritePlan => {
  if (statement.returning !== undefined) throw validationException('RETURNING is not supported in INSERT');
  const { value } = statement;
  if (value.kind !== 'tuple') {
    throw atSpan(
      'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
      context.text,
      value,
    );
  }
  const item = (attributeValueOf(value, { ...context, topLevelParametersOnly: true }) as { M: AttributeMap })
    .M;
  const { keySchema } = table.definition;
  for (const name of [keySchema.hashKey, keySchema.rangeKey]) {
    if (name === undefined) continue;
    const keyValue = getOwn(item, name);
    if (keyValue === undefined) {
      throw validationException(`Key attribute should be present in the item: Key ${name}`);
    }
    if (attributeTypeOf(keyValue) !== keySchema.types[name]) throw keyTypeMismatch(name);
  }
  const builder = new ExpressionBuilder();
  const condition = `attribute_not_exists(${builder.name(keySchema.hashKey)})`;
  return {
    kind: 'insert',
    table,
    request: { TableName: table.name, Item: item, ConditionExpression: condition, ...builder.members() },
  };
};

const planUpdate = (statement: UpdateStatement, table: Table, context: ValueContext): WritePlan => {
  const { key, rest } = writeKey(statement.where, table.definition.keySchema, context);
  const builder = new ExpressionBuilder();
  const update = translateUpdate(statement.actions, builder, context);
  const condition = translateConjunction(rest, builder, context, itemExists(table, builder));
  return {
    kind: 'update',
    table,
    request: {
      TableName: table.name,
      Key: key,
      UpdateExpression: update,
      ConditionExpression: condition,
      ...builder.members(),
    },
    ...(statement.returning === undefined ? {} : { returning: statement.returning }),
  };
};

const planDelete = (statement: DeleteStatement, table: Table, context: ValueContext): WritePlan => {
  const { returning } = statement;
  if (returning !== undefined && returning !== 'ALL_OLD') {
    throw validationException(
      `Invalid returning clause: RETURNING ${RETURNING_TEXT[returning]} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
    );
  }
  const { key, rest } = writeKey(statement.where, table.definition.keySchema, context);
  const builder = new ExpressionBuilder();
  const condition = translateConjunction(rest, builder, context);
  return {
    kind: 'delete',
    table,
    request: {
      TableName: table.name,
      Key: key,
      ...(condition === undefined ? {} : { ConditionExpression: condition }),
      ...builder.members(),
    },
    ...(returning === undefined ? {} : { returning }),
  };
};

/** `EXISTS(SELECT … WHERE <full key> AND <condition>)`: the item exists and satisfies the condition. */
const planExists = (statement: ExistsStatement, table: Table, context: ValueContext): WritePlan => {
  const { select } = statement;
  const invalid = () =>
    validationException('EXISTS() must contain a single item read with additional condition');
  if (select.index !== undefined) throw invalid();
  let planned: ReturnType<typeof writeKey>;
  try {
    planned = writeKey(select.where, table.definition.keySchema, context);
  } catch (error) {
    if (error instanceof Error && /mandatory equality|Multiple conditions/.test(error.message))
      throw invalid();
    throw error;
  }
  if (planned.rest.length === 0) throw invalid();
  const builder = new ExpressionBuilder();
  const condition = translateConjunction(planned.rest, builder, context, itemExists(table, builder));
  return {
    kind: 'check',
    table,
    request: {
      TableName: table.name,
      Key: planned.key,
      ConditionExpression: condition,
      ...builder.members(),
    },
  };
};

/** The table a write statement names. */
const writtenTable = (statement: WriteStatement): Identifier =>
  statement.kind === 'exists' ? statement.select.table : statement.table;

/** Plans a write statement against `table`, the one it names. */
const planWriteOn = (statement: WriteStatement, table: Table, context: ValueContext): WritePlan => {
  switch (statement.kind) {
    case 'insert':
      return planInsert(statement, table, context);
    case 'update':
      return planUpdate(statement, table, context);
    case 'delete':
      return planDelete(statement, table, context);
    default:
      return planExists(statement, table, context);
  }
};

/** Plans a write statement against its table (ResourceNotFoundException when there is none). */
const planWrite = (statement: WriteStatement, region: Region, context: ValueContext): WritePlan =>
  planWriteOn(statement, tableOf(region, writtenTable(statement)), context);

export type { WritePlan, WriteStatement };
export { planWrite, planWriteOn, writtenTable };
