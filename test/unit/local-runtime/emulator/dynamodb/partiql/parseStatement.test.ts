import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../../../../../local-runtime/emulator/dynamodb/partiql/parseStatement.js';
import { AwsServiceError } from '../../../../../../local-runtime/emulator/errors.js';

const parse = (text: string) => parseStatement(text).statement;

/** The ValidationException message a statement is refused with. */
const refusal = (text: string): string => {
  try {
    parseStatement(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AwsServiceError);
    expect((error as AwsServiceError).name).toBe('ValidationException');
    return (error as AwsServiceError).message;
  }
  throw new Error(`parsed: ${text}`);
};

describe('parseStatement: SELECT', () => {
  it('reads *, a quoted table and index, WHERE and ORDER BY, keywords in any case', () => {
    expect(parse('select * from "Music"."ByYear" where "Year" = 2020 order by Title desc')).toMatchObject({
      kind: 'select',
      projection: '*',
      table: { name: 'Music', quoted: true },
      index: { name: 'ByYear', quoted: true },
      where: {
        kind: 'comparison',
        operator: '=',
        left: { kind: 'path', root: 'Year', steps: [] },
        right: { kind: 'literal', literal: { type: 'number', text: '2020' } },
      },
      orderBy: [{ path: { root: 'Title' }, descending: true }],
    });
  });

  it('reads a projection list of document paths', () => {
    const select = parse(`SELECT a.b, c[1], d['e f'] FROM t`);
    expect(select).toMatchObject({
      projection: [
        { kind: 'path', root: 'a', steps: [{ kind: 'name', name: 'b' }] },
        { kind: 'path', root: 'c', steps: [{ kind: 'index', index: 1 }] },
        { kind: 'path', root: 'd', steps: [{ kind: 'name', name: 'e f' }] },
      ],
    });
  });

  it('reads precedence: OR below AND below NOT below predicates', () => {
    expect(parse('SELECT * FROM t WHERE NOT a = 1 AND b = 2 OR c IS NOT MISSING')).toMatchObject({
      where: {
        kind: 'or',
        left: {
          kind: 'and',
          left: { kind: 'not', operand: { kind: 'comparison' } },
          right: { kind: 'comparison' },
        },
        right: { kind: 'is', negated: true, test: 'MISSING' },
      },
    });
  });

  it('reads BETWEEN, IN with brackets or parentheses, negations, functions and != as <>', () => {
    expect(
      parse("SELECT * FROM t WHERE a NOT BETWEEN 1 AND 2 AND b IN ['x', ?] AND c NOT IN (3)"),
    ).toMatchObject({
      where: {
        left: {
          left: { kind: 'between', negated: true },
          right: {
            kind: 'in',
            negated: false,
            candidates: [{ kind: 'literal' }, { kind: 'parameter', index: 0 }],
          },
        },
        right: { kind: 'in', negated: true, candidates: [{ kind: 'literal' }] },
      },
    });
    expect(parse("SELECT * FROM t WHERE Begins_With(a, 'x') AND a != 1")).toMatchObject({
      where: { left: { kind: 'call', name: 'begins_with' }, right: { kind: 'comparison', operator: '<>' } },
    });
  });

  it('numbers the parameters in written order and counts them', () => {
    const parsed = parseStatement('SELECT * FROM t WHERE a = ? AND b = ? AND c = ?');
    expect(parsed.parameterCount).toBe(3);
    expect(parsed.statement).toMatchObject({
      where: {
        left: { left: { right: { index: 0 } }, right: { right: { index: 1 } } },
        right: { right: { index: 2 } },
      },
    });
  });

  it('accepts a trailing semicolon and comments', () => {
    expect(parse('SELECT * FROM t -- all of it\n;')).toMatchObject({ kind: 'select' });
  });
});

describe('parseStatement: writes', () => {
  it('reads INSERT with a tuple of literals: strings, numbers, booleans, null, lists, maps, bags', () => {
    expect(
      parse(
        `INSERT INTO t VALUE {'a': 'x', 'b': -1.5, 'c': TRUE, 'd': NULL, 'e': [1], 'f': {'g': 2}, 'h': <<'y'>>}`,
      ),
    ).toMatchObject({
      kind: 'insert',
      table: { name: 't', quoted: false },
      value: {
        kind: 'tuple',
        entries: [
          { value: { literal: { type: 'string', value: 'x' } } },
          { value: { literal: { type: 'number', text: '-1.5' } } },
          { value: { literal: { type: 'boolean', value: true } } },
          { value: { literal: { type: 'null' } } },
          { value: { kind: 'list' } },
          { value: { kind: 'tuple' } },
          { value: { kind: 'bag' } },
        ],
      },
    });
  });

  it('reads UPDATE with SET and REMOVE clauses in any order and number, WHERE and RETURNING', () => {
    expect(
      parse(
        'UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c SET d.e[0] = ? WHERE k = 1 RETURNING MODIFIED NEW *',
      ),
    ).toMatchObject({
      kind: 'update',
      actions: [
        { kind: 'set', path: { root: 'a' }, value: { kind: 'arithmetic', operator: '+' } },
        { kind: 'set', path: { root: 'b' }, value: { kind: 'call', name: 'list_append' } },
        { kind: 'remove', path: { root: 'c' } },
        {
          kind: 'set',
          path: {
            root: 'd',
            steps: [
              { kind: 'name', name: 'e' },
              { kind: 'index', index: 0 },
            ],
          },
        },
      ],
      where: { kind: 'comparison' },
      returning: 'UPDATED_NEW',
    });
  });

  it('reads DELETE with RETURNING ALL OLD *, and EXISTS around a SELECT', () => {
    expect(parse('DELETE FROM t WHERE k = 1 RETURNING ALL OLD *')).toMatchObject({
      kind: 'delete',
      returning: 'ALL_OLD',
    });
    expect(parse("EXISTS(SELECT * FROM t WHERE k = 1 AND a = 'x')")).toMatchObject({
      kind: 'exists',
      select: { kind: 'select', table: { name: 't' } },
    });
  });
});

describe('parseStatement: refusals', () => {
  it.each([
    'SELEC * FROM t',
    'SELECT FROM t',
    'SELECT * FROM t WHERE',
    "SELECT * FROM t WHERE a = 'x",
    'SELECT *, a FROM t',
    "INSERT INTO t VALUES {'a': 1}",
    "INSERT INTO t VALUE {'a': 1} WHERE a = 1",
    'UPDATE t WHERE a = 1',
    'DELETE t WHERE a = 1',
    'SELECT * FROM t WHERE a = 1 b',
    'SELECT * FROM select',
    'UPDATE t SET a = 1 RETURNING ALL *',
  ])('%s is not well formed', (text) => {
    expect(refusal(text)).toBe(`Statement wasn't well formed, can't be processed: ${text}`);
  });

  it('answers a lone name as DynamoDB does', () => {
    expect(refusal('garbage')).toBe('Unsupported operation: VariableReference');
  });
});
