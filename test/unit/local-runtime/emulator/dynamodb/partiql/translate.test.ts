import { describe, expect, it } from 'vitest';
import {
  compileExpressions,
  evaluateCondition,
} from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import type { KeySchema } from '../../../../../../local-runtime/emulator/dynamodb/keySchema.js';
import type {
  Expr,
  InsertStatement,
  UpdateStatement,
} from '../../../../../../local-runtime/emulator/dynamodb/partiql/ast.js';
import { attributeValueOf } from '../../../../../../local-runtime/emulator/dynamodb/partiql/attributeValueOf.js';
import { ExpressionBuilder } from '../../../../../../local-runtime/emulator/dynamodb/partiql/ExpressionBuilder.js';
import { writeKey } from '../../../../../../local-runtime/emulator/dynamodb/partiql/keyEqualities.js';
import { parseStatement } from '../../../../../../local-runtime/emulator/dynamodb/partiql/parseStatement.js';
import { translateCondition } from '../../../../../../local-runtime/emulator/dynamodb/partiql/translateCondition.js';
import { translateUpdate } from '../../../../../../local-runtime/emulator/dynamodb/partiql/translateUpdate.js';
import type { AttributeMap, AttributeValue } from '../../../../../../src/records/attributeValue.js';

const where = (condition: string): { text: string; expr: Expr } => {
  const text = `SELECT * FROM t WHERE ${condition}`;
  const { statement } = parseStatement(text);
  if (statement.kind !== 'select' || statement.where === undefined) throw new Error('no WHERE');
  return { text, expr: statement.where };
};

/** Translates a WHERE clause, compiles it with the expression engine and evaluates it against `item`. */
const holds = (condition: string, item: AttributeMap | undefined, parameters: AttributeValue[] = []) => {
  const { text, expr } = where(condition);
  const builder = new ExpressionBuilder();
  const expression = translateCondition(expr, builder, { text, parameters });
  const compiled = compileExpressions({ ConditionExpression: expression, ...builder.members() }).condition;
  if (compiled === undefined) throw new Error('nothing compiled');
  return evaluateCondition(compiled, item);
};

const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
};

const item: AttributeMap = {
  pk: { S: 'a' },
  n: { N: '5' },
  s: { S: 'hello' },
  nul: { NULL: true },
  m: { M: { x: { N: '1' } } },
  l: { L: [{ N: '1' }, { S: 'two' }] },
  ss: { SS: ['x', 'y'] },
};

describe('translateCondition', () => {
  it.each([
    ['n = 5', true],
    ['n != 5', false],
    ['n <> 4', true],
    ['n > 4 AND n <= 5', true],
    ['n BETWEEN 1 AND 4', false],
    ['n NOT BETWEEN 1 AND 4', true],
    ["s IN ['hello', 'bye']", true],
    ['n NOT IN (1, 2)', true],
    ['gone IS MISSING', true],
    ['n IS NOT MISSING', true],
    ['nul IS NULL', true],
    ['n IS NULL', false],
    ['gone IS NOT NULL', true],
    ["BEGINS_WITH(s, 'he')", true],
    ["contains(ss, 'y')", true],
    ["attribute_type(m, 'M')", true],
    ['size(l) = 2', true],
    ["m.x = 1 AND l[1] = 'two'", true],
    ["m = {'x': 1}", true],
    ["ss = <<'y', 'x'>>", true],
    ["NOT (n = 5 OR s = 'x')", false],
    ['nul = NULL', true],
  ])('%s is %s', (condition, expected) => {
    expect(holds(condition, item)).toBe(expected);
  });

  it('binds parameters by position', () => {
    expect(holds('n = ? AND s = ?', item, [{ N: '5' }, { S: 'hello' }])).toBe(true);
  });

  it('puts every name behind a placeholder, so reserved words of the expression language are fine', () => {
    expect(holds('"size" IS MISSING AND "comment" IS MISSING', item)).toBe(true);
  });

  it.each([
    ['n', 'WHERE clause must contain an expression that resolves to a boolean'],
    ['NOT n', 'The argument to NOT must be a Type or Expression'],
    ['n = 5 AND ?', 'The arguments to AND/OR must be Expressions'],
    ['n + 1 = 2', 'Unsupported operator in Condition Expression. Operator: +'],
    ['n = MISSING', 'MISSING must be compared using IS operator'],
    ['nope(n)', 'Unrecognized function: nope'],
    [
      'n IN ?',
      'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
    ],
  ])('refuses %s', (condition, message) => {
    const { text, expr } = where(condition);
    expect(
      messageOf(() => translateCondition(expr, new ExpressionBuilder(), { text, parameters: [{ L: [] }] })),
    ).toBe(message);
  });
});

const update = (text: string, parameters: AttributeValue[] = []) => {
  const { statement } = parseStatement(text);
  const builder = new ExpressionBuilder();
  const expression = translateUpdate((statement as UpdateStatement).actions, builder, { text, parameters });
  return { expression, ...builder.members() };
};

describe('translateUpdate', () => {
  it('groups actions by clause, in the order the kinds first appear', () => {
    expect(
      update("UPDATE t SET a = 1 REMOVE b SET c = c + 2, d = list_append(d, ['x']) WHERE k = 1"),
    ).toEqual({
      expression: 'SET #n0 = :v0, #n2 = #n2 + :v1, #n3 = list_append(#n3, :v2) REMOVE #n1',
      ExpressionAttributeNames: { '#n0': 'a', '#n1': 'b', '#n2': 'c', '#n3': 'd' },
      ExpressionAttributeValues: { ':v0': { N: '1' }, ':v1': { N: '2' }, ':v2': { L: [{ S: 'x' }] } },
    });
  });

  it('spells set_add and set_delete as ADD and DELETE', () => {
    expect(
      update("UPDATE t SET s = set_add(s, <<'a'>>), n = set_delete(n, ?) WHERE k = 1", [{ NS: ['1'] }]),
    ).toEqual({
      expression: 'ADD #n0 :v0 DELETE #n1 :v1',
      ExpressionAttributeNames: { '#n0': 's', '#n1': 'n' },
      ExpressionAttributeValues: { ':v0': { SS: ['a'] }, ':v1': { NS: ['1'] } },
    });
  });

  it('refuses set_add on another path, or with something that is not a set', () => {
    expect(messageOf(() => update("UPDATE t SET s = set_add(x, <<'a'>>) WHERE k = 1"))).toBe(
      'The first argument to SET_ADD must equal the assignment value',
    );
    expect(messageOf(() => update("UPDATE t SET ss = set_add(ss, 'x') WHERE k = 1"))).toBe(
      'The second argument to SET_ADD must be a value with type SET at 1:27:2',
    );
    expect(messageOf(() => update('UPDATE t SET a = nope(a) WHERE k = 1'))).toBe(
      'Unrecognized function: nope',
    );
  });
});

const insertValue = (text: string, parameters: AttributeValue[] = []) => {
  const { statement } = parseStatement(text);
  return attributeValueOf((statement as InsertStatement).value, {
    text,
    parameters,
    topLevelParametersOnly: true,
  });
};

describe('attributeValueOf', () => {
  it('reads literals as attribute values, numbers in canonical form', () => {
    expect(
      insertValue(
        "INSERT INTO t VALUE {'s': 'x', 'n': 1.50, 'e': 1e2, 'b': false, 'z': null, 'l': [1, 'a'], 'ns': <<2, 1>>, 'p': ?}",
        [{ B: 'AQID' }],
      ),
    ).toEqual({
      M: {
        s: { S: 'x' },
        n: { N: '1.5' },
        e: { N: '100' },
        b: { BOOL: false },
        z: { NULL: true },
        l: { L: [{ N: '1' }, { S: 'a' }] },
        ns: { NS: ['2', '1'] },
        p: { B: 'AQID' },
      },
    });
  });

  it.each([
    ["INSERT INTO t VALUE {'pk': 'a', 'pk': 'b'}", 'Duplicate keys in tuple. Key: pk under root at 1:33:4'],
    [
      "INSERT INTO t VALUE {'pk': 'a', n: 1}",
      'Tuple keys must be of type String. Actual type: VariableReference under root at 1:33:1',
    ],
    ["INSERT INTO t VALUE {'a': MISSING}", 'Unsupported data type: MISSING under key root at 1:27:7'],
    ["INSERT INTO t VALUE {'a': 'x' || 'y'}", 'Unsupported data type: || under key root at 1:31:2'],
    ["INSERT INTO t VALUE {'a': <<>>}", 'Empty bags are not supported at 1:27:2'],
    [
      "INSERT INTO t VALUE {'a': <<1, 'x'>>}",
      'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
    ],
    ["INSERT INTO t VALUE {'a': <<'x', 'x'>>}", 'Input collection contains duplicates'],
    ["INSERT INTO t VALUE {'a': -0.0}", 'Negative zero decimal is not supported under key root at 1:28:3'],
    ["INSERT INTO t VALUE {'a': [1, ?]}", 'Unsupported data type: Parameter under key root.1 at 1:31:1'],
  ])('%s is refused', (text, message) => {
    expect(messageOf(() => insertValue(text, [{ S: 'p' }]))).toBe(message);
  });
});

describe('writeKey', () => {
  const schema: KeySchema = { hashKey: 'pk', rangeKey: 'sk', types: { pk: 'S', sk: 'N' } };
  const keyOf = (condition: string) => {
    const { text, expr } = where(condition);
    return writeKey(expr, schema, { text, parameters: [] });
  };

  it('takes the key from equalities on the key attributes, either way round, and keeps the rest', () => {
    const { key, rest } = keyOf("1 = sk AND pk = 'a' AND n > 2");
    expect(key).toEqual({ pk: { S: 'a' }, sk: { N: '1' } });
    expect(rest).toHaveLength(1);
  });

  it.each([
    ["pk = 'a'", 'Where clause does not contain a mandatory equality on all key attributes'],
    ["pk = 'a' OR sk = 1", 'Where clause does not contain a mandatory equality on all key attributes'],
    ["pk = 'a' AND sk > 1", 'Where clause does not contain a mandatory equality on all key attributes'],
    [
      "pk = 'a' AND sk = 1 AND pk = 'b'",
      'Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported',
    ],
    [
      "pk = 'a' AND sk = '1'",
      "Key attribute's data type should match its data type in table's schema: Key sk",
    ],
    [
      "pk = '' AND sk = 1",
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    ],
  ])('refuses %s', (condition, message) => {
    expect(messageOf(() => keyOf(condition))).toBe(message);
  });
});
