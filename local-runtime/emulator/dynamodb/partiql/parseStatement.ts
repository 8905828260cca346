import { validationException } from '../../errors.js';
import type {
  DeleteStatement,
  Expr,
  Identifier,
  InsertStatement,
  OrderKey,
  ParsedStatement,
  Returning,
  SelectStatement,
  Statement,
  UpdateAction,
  UpdateStatement,
} from './ast.js';
import { Cursor } from './Cursor.js';
import { parseExpression, parseIdentifier, parsePath } from './parseExpression.js';

/**
 * Parses one statement of DynamoDB's PartiQL: SELECT, INSERT, UPDATE, DELETE, or (in transactions) EXISTS.
 * Keywords are case-insensitive; names are kept exactly. A statement that does not fit the grammar gets
 * DynamoDB's "Statement wasn't well formed, can't be processed: <statement>"; a lone name, which PartiQL reads
 * as an expression rather than a statement, gets "Unsupported operation: VariableReference" as in DynamoDB.
 */
const parseStatement = (text: string): ParsedStatement => {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const cursor = new Cursor(text);
  const statement = parseKind(cursor);
  cursor.expectEnd();
  const parameterCount = cursor.tokens.filter((token) => token.kind === 'parameter').length;
  const result = { statement, parameterCount, text };
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(text, result);
  return result;
};

/**
 * Statements already parsed, by their text: clients send the same few texts with different parameters (a
 * projection's 25 statements per BatchExecuteStatement share one), and planning never changes a parsed
 * statement. Failed parses are not kept; the map is emptied when it reaches MAX_PARSED texts.
 */
const parsed = new Map<string, ParsedStatement>();
const MAX_PARSED = 500;

const parseKind = (cursor: Cursor): Statement => {
  const token = cursor.peek();
  if (token.kind === 'word') {
    switch (token.value) {
      case 'SELECT':
        return parseSelect(cursor);
      case 'INSERT':
        return parseInsert(cursor);
      case 'UPDATE':
        return parseUpdate(cursor);
      case 'DELETE':
        return parseDelete(cursor);
      case 'EXISTS': {
        cursor.next();
        cursor.expectSymbol('(');
        const select = parseSelect(cursor);
        cursor.expectSymbol(')');
        return { kind: 'exists', select };
      }
      default:
    }
  }
  if (cursor.isIdentifier() && (cursor.peek(1).kind === 'eof' || cursor.isSymbol(';', 1))) {
    throw validationException('Unsupported operation: VariableReference');
  }
  return cursor.fail();
};

/** `"table"` or `"table"."index"`. */
const parseTableReference = (cursor: Cursor): { table: Identifier; index?: Identifier } => {
  const table = parseIdentifier(cursor);
  if (!cursor.acceptSymbol('.')) return { table };
  return { table, index: parseIdentifier(cursor) };
};

const parseSelect = (cursor: Cursor): SelectStatement => {
  cursor.expectWord('SELECT');
  let projection: SelectStatement['projection'];
  if (cursor.acceptSymbol('*')) {
    projection = '*';
  } else {
    const items: Expr[] = [];
    do items.push(parseExpression(cursor));
    while (cursor.acceptSymbol(','));
    projection = items;
  }
  cursor.expectWord('FROM');
  const { table, index } = parseTableReference(cursor);
  const where = cursor.acceptWord('WHERE') ? parseExpression(cursor) : undefined;
  const orderBy: OrderKey[] = [];
  if (cursor.acceptWord('ORDER')) {
    cursor.expectWord('BY');
    do {
      const path = parsePath(cursor);
      const descending = cursor.acceptWord('DESC');
      if (!descending) cursor.acceptWord('ASC');
      orderBy.push({ path, descending });
    } while (cursor.acceptSymbol(','));
  }
  return {
    kind: 'select',
    projection,
    table,
    ...(index === undefined ? {} : { index }),
    ...(where === undefined ? {} : { where }),
    orderBy,
  };
};

const parseInsert = (cursor: Cursor): InsertStatement => {
  cursor.expectWord('INSERT');
  cursor.expectWord('INTO');
  const table = parseIdentifier(cursor);
  cursor.expectWord('VALUE');
  const value = parseExpression(cursor);
  const returning = parseReturning(cursor);
  return { kind: 'insert', table, value, ...(returning === undefined ? {} : { returning }) };
};

const parseUpdate = (cursor: Cursor): UpdateStatement => {
  cursor.expectWord('UPDATE');
  const table = parseIdentifier(cursor);
  const actions: UpdateAction[] = [];
  for (;;) {
    if (cursor.acceptWord('SET')) {
      do {
        const path = parsePath(cursor);
        cursor.expectSymbol('=');
        actions.push({ kind: 'set', path, value: parseExpression(cursor) });
      } while (cursor.acceptSymbol(','));
    } else if (cursor.acceptWord('REMOVE')) {
      // One path per REMOVE clause (`REMOVE a REMOVE b`): DynamoDB answers a comma-separated list as not well
      // formed (test/differential/scenarios/statementScenarios.ts), unlike SET's.
      actions.push({ kind: 'remove', path: parsePath(cursor) });
    } else {
      break;
    }
  }
  if (actions.length === 0) cursor.fail();
  const where = cursor.acceptWord('WHERE') ? parseExpression(cursor) : undefined;
  const returning = parseReturning(cursor);
  return {
    kind: 'update',
    table,
    actions,
    ...(where === undefined ? {} : { where }),
    ...(returning === undefined ? {} : { returning }),
  };
};

const parseDelete = (cursor: Cursor): DeleteStatement => {
  cursor.expectWord('DELETE');
  cursor.expectWord('FROM');
  const table = parseIdentifier(cursor);
  const where = cursor.acceptWord('WHERE') ? parseExpression(cursor) : undefined;
  const returning = parseReturning(cursor);
  return {
    kind: 'delete',
    table,
    ...(where === undefined ? {} : { where }),
    ...(returning === undefined ? {} : { returning }),
  };
};

/** `RETURNING (ALL | MODIFIED) (OLD | NEW) *`, as the ReturnValues it stands for. */
const parseReturning = (cursor: Cursor): Returning | undefined => {
  if (!cursor.acceptWord('RETURNING')) return undefined;
  const which = cursor.next();
  const when = cursor.next();
  cursor.expectSymbol('*');
  const all = which.kind === 'word' && which.value === 'ALL';
  if (!all && !(which.kind === 'word' && which.value === 'MODIFIED')) cursor.fail();
  if (when.kind !== 'word' || (when.value !== 'OLD' && when.value !== 'NEW')) cursor.fail();
  return `${all ? 'ALL' : 'UPDATED'}_${when.value}` as Returning;
};

export { parseStatement };
