import { describe, expect, it } from 'vitest';
import {
  compileExpressions,
  type ExpressionRequest,
} from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import { AwsServiceError } from '../../../../../../local-runtime/emulator/errors.js';
import type { AttributeMap } from '../../../../../../src/records/attributeValue.js';

const expectValidation = (request: ExpressionRequest, message: string) => {
  let caught: unknown;
  try {
    compileExpressions(request);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AwsServiceError);
  expect((caught as AwsServiceError).toBody()).toEqual({
    __type: 'com.amazon.coral.validate#ValidationException',
    message,
  });
};

const values: AttributeMap = {
  ':s': { S: 'a' },
  ':s10': { S: '10' },
  ':n': { N: '1' },
  ':n10': { N: '10' },
  ':b': { B: 'YQ==' },
  ':bool': { BOOL: true },
  ':null': { NULL: true },
  ':ss': { SS: ['a'] },
  ':ns': { NS: ['1'] },
  ':bs': { BS: ['YQ=='] },
  ':m': { M: {} },
  ':l': { L: [] },
};

/** Only the values an expression mentions, so the unused-value check stays quiet. */
const valuesFor = (expression: string): AttributeMap | undefined => {
  const used = Object.entries(values).filter(([key]) =>
    new RegExp(`${key}(?![A-Za-z0-9_])`).test(expression),
  );
  return used.length === 0 ? undefined : Object.fromEntries(used);
};

describe('syntax errors', () => {
  it.each([
    ['UpdateExpression', 'whatever', 'whatever', 'whatever'],
    ['UpdateExpression', 'set a', '<EOF>', 'a'],
    ['UpdateExpression', 'SET', '<EOF>', 'SET'],
    ['UpdateExpression', 'add a', '<EOF>', 'a'],
    ['UpdateExpression', 'delete a b', 'b', 'a b'],
    ['UpdateExpression', 'add abort b', 'b', 'abort b'],
    ['UpdateExpression', 'remove a b', 'b', 'a b'],
    ['UpdateExpression', 'remove a = b', '=', 'a = b'],
    ['UpdateExpression', 'set a b', 'b', 'a b'],
    ['UpdateExpression', 'set a=set', 'set', '=set'],
    ['UpdateExpression', 'set :a = b', ':a', 'set :a ='],
    ['UpdateExpression', 'remove :a', ':a', 'remove :a'],
    ['UpdateExpression', 'set a = b / c', '/', 'b / c'],
    ['UpdateExpression', 'set a = b * c', '*', 'b * c'],
    ['UpdateExpression', 'set a = b + c + d', '+', 'c + d'],
    ['UpdateExpression', 'set a = b +', '<EOF>', '+'],
    ['UpdateExpression', 'set a[1] = "eight"', '"', '= "eight'],
    ['UpdateExpression', 'set a[1] = 1', '1', '= 1'],
    ['UpdateExpression', 'SET a = if_not_exist(a, 100)', '100', ', 100)'],
    ['UpdateExpression', 'SET if_not_exist(a, b) = a', '(', 'if_not_exist(a'],
    ['UpdateExpression', 'set (a = (b + c))', '(', 'set (a'],
    ['UpdateExpression', 'set a = (b + c)', '+', 'b + c'],
    ['UpdateExpression', 'set a = (b.c).d + e', '.', ').d'],
    ['UpdateExpression', 'set a = (b.c)[0] + e', '[', ')[0'],
    ['UpdateExpression', 'set a = :v, ', '<EOF>', ', '],
    ['UpdateExpression', 'set a = :v remove', '<EOF>', 'remove'],
    ['ConditionExpression', 'a = ', '<EOF>', '= '],
    ['ConditionExpression', 'a', '<EOF>', 'a'],
    ['ConditionExpression', 'a = :v AND', '<EOF>', 'AND'],
    ['ConditionExpression', 'a = :v b', 'b', ':v b'],
    ['ConditionExpression', 'a == :v', '=', '== :v'],
    ['ConditionExpression', 'a != :v', '!', 'a !='],
    ['ConditionExpression', 'attribute_exists()', ')', '()'],
    ['ConditionExpression', 'a IN ()', ')', '()'],
    ['ConditionExpression', 'a IN :v', ':v', 'IN :v'],
    ['ConditionExpression', 'a BETWEEN :x', '<EOF>', ':x'],
    ['ConditionExpression', 'a BETWEEN :x OR :y', 'OR', ':x OR :y'],
    ['ConditionExpression', '(a = :v', '<EOF>', ':v'],
    ['ConditionExpression', 'a = :v)', ')', ':v)'],
    ['ConditionExpression', 'NOT', '<EOF>', 'NOT'],
    ['ConditionExpression', 'a = + :v', '+', '= + :v'],
    ['ConditionExpression', 'a + :v = :w', '+', 'a + :v'],
    ['ConditionExpression', 'a.:v = :w', ':v', '.:v ='],
    ['ConditionExpression', '_a = :v', '_', '_a'],
    ['ConditionExpression', 'a = :', ':', '= :'],
    ['ConditionExpression', '# = :v', '#', '# ='],
    ['ConditionExpression', 'a = :v AND or', 'or', 'AND or'],
    ['ConditionExpression', '(a = :v) = :w', '=', ') = :w'],
    ['ConditionExpression', 'a = :v ☃', '☃', ':v ☃'],
    ['ProjectionExpression', 'a b', 'b', 'a b'],
    ['ProjectionExpression', 'a,', '<EOF>', ','],
    ['ProjectionExpression', '!!', '!', '!!'],
    ['ProjectionExpression', 'a.', '<EOF>', '.'],
    ['ProjectionExpression', 'a[', '<EOF>', '['],
    ['ProjectionExpression', 'a[x]', 'x', '[x]'],
    ['ProjectionExpression', 'a[-1]', '-', '[-1'],
    ['ProjectionExpression', 'a[1.5]', '.', '1.5'],
    ['ProjectionExpression', 'a[01]', '1', '01]'],
    ['ProjectionExpression', '[0]', '[', '[0'],
    ['ProjectionExpression', 'a[0][', '<EOF>', '['],
    ['ProjectionExpression', 'a, size(b)', '(', 'size(b'],
    ['KeyConditionExpression', 'pk = :v AND AND', 'AND', 'AND AND'],
  ] as const)('%s %j: token %j near %j', (member, expression, token, near) => {
    const request: ExpressionRequest = { [member]: expression };
    expectValidation(request, `Invalid ${member}: Syntax error; token: "${token}", near: "${near}"`);
  });
});

describe('empty and oversized expressions', () => {
  it.each([
    'ConditionExpression',
    'FilterExpression',
    'KeyConditionExpression',
    'UpdateExpression',
    'ProjectionExpression',
  ] as const)('refuses an empty %s', (member) => {
    expectValidation({ [member]: '' }, `Invalid ${member}: The expression can not be empty;`);
    expectValidation({ [member]: ' \t\n' }, `Invalid ${member}: The expression can not be empty;`);
  });

  it('refuses an expression over 4 KB', () => {
    const fits = `${'a'.repeat(4091)} = :n`;
    expect(() =>
      compileExpressions({ ConditionExpression: fits, ExpressionAttributeValues: { ':n': { N: '1' } } }),
    ).not.toThrow();
    // Counted in UTF-8 bytes: the two-byte "é" takes it over.
    expectValidation(
      {
        ConditionExpression: `${fits.slice(0, 4090)}é = :n`,
        ExpressionAttributeValues: { ':n': { N: '1' } },
      },
      'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097',
    );
  });
});

describe('redundant parentheses', () => {
  it.each([
    '((a = :s))',
    '((a)) = :s',
    'a = ((:s))',
    'NOT ((a = :s))',
    '(((a = :s)) AND (b = :s))',
    '((size(a))) > :s',
    '((attribute_exists(a)))',
  ])('%s', (expression) => {
    expectValidation(
      { ConditionExpression: expression, ExpressionAttributeValues: { ':s': { S: 'x' } } },
      'Invalid ConditionExpression: The expression has redundant parentheses;',
    );
  });

  it('allows one pair anywhere', () => {
    expect(() =>
      compileExpressions({
        ConditionExpression: '(a = :s) AND ((b) = :s OR (size(c) > (:n)))',
        ExpressionAttributeValues: { ':s': { S: 'x' }, ':n': { N: '1' } },
      }),
    ).not.toThrow();
  });
});

describe('reserved words', () => {
  it.each([
    ['UpdateExpression', ' set #c = :c set abOrt = true ', 'abOrt'],
    ['UpdateExpression', ' remove Absolute ', 'Absolute'],
    ['UpdateExpression', 'SET a = :s, b = #x + value', 'value'],
    ['ProjectionExpression', 'a.abORt', 'abORt'],
    ['ProjectionExpression', '#a,ABSoLUTE', 'ABSoLUTE'],
    ['ConditionExpression', 'status = :s', 'status'],
    ['ConditionExpression', 'a.b.count > :n', 'count'],
    ['ConditionExpression', 'attribute_exists(Data)', 'Data'],
    ['FilterExpression', 'x = :s OR name = :s', 'name'],
    ['KeyConditionExpression', 'date = :s', 'date'],
  ] as const)('%s %j → %s', (member, expression, word) => {
    // Reserved words are refused before any placeholder is looked up.
    expectValidation(
      { [member]: expression },
      `Invalid ${member}: Attribute name is a reserved keyword; reserved keyword: ${word}`,
    );
  });

  it('reports the first reserved word written', () => {
    expectValidation(
      { ConditionExpression: 'year = :a AND month = :b' },
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: year',
    );
  });

  it('accepts reserved words behind placeholders, and size and convert as names', () => {
    expect(() =>
      compileExpressions({
        UpdateExpression: 'SET #status = :s, size = :s, convert = :s, m.#name = :s',
        ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
        ExpressionAttributeValues: { ':s': { S: 'x' } },
      }),
    ).not.toThrow();
  });
});

describe('functions', () => {
  it.each([
    ['ConditionExpression', 'BEGINS_WITH(a, :s)', 'Invalid function name; function: BEGINS_WITH'],
    ['ConditionExpression', 'exists(a)', 'Invalid function name; function: exists'],
    [
      'UpdateExpression',
      'set #c = if_not_exist(:c) set c = d',
      'Invalid function name; function: if_not_exist',
    ],
    [
      'ConditionExpression',
      'size(a)',
      'The function is not allowed to be used this way in an expression; function: size',
    ],
    [
      'ConditionExpression',
      'NOT size(a)',
      'The function is not allowed to be used this way in an expression; function: size',
    ],
    [
      'ConditionExpression',
      'contains(a, :s) = :bool',
      'The function is not allowed to be used this way in an expression; function: contains',
    ],
    [
      'ConditionExpression',
      '(begins_with(a, :s)) = :bool',
      'The function is not allowed to be used this way in an expression; function: begins_with',
    ],
    [
      'ConditionExpression',
      'size(attribute_exists(a)) > :n',
      'The function is not allowed to be used this way in an expression; function: attribute_exists',
    ],
    [
      'ConditionExpression',
      'if_not_exists(a, :s) = :s',
      'The function is not allowed in a condition expression; function: if_not_exists',
    ],
    [
      'FilterExpression',
      'list_append(a, :l) = :l',
      'The function is not allowed in a condition expression; function: list_append',
    ],
    [
      'UpdateExpression',
      'SET a = size(b)',
      'The function is not allowed in an update expression; function: size',
    ],
    [
      'UpdateExpression',
      'SET a = attribute_exists(b)',
      'The function is not allowed in an update expression; function: attribute_exists',
    ],
    [
      'ConditionExpression',
      'attribute_exists(a, b)',
      'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2',
    ],
    [
      'ConditionExpression',
      'begins_with(a)',
      'Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1',
    ],
    [
      'ConditionExpression',
      'size(a, b) = :n',
      'Incorrect number of operands for operator or function; operator or function: size, number of operands: 2',
    ],
    [
      'UpdateExpression',
      'set a = if_not_exists(c)',
      'Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1',
    ],
    [
      'UpdateExpression',
      'set a = list_append(c)',
      'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1',
    ],
    [
      'UpdateExpression',
      'set a = list_append(b, c, d)',
      'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 3',
    ],
    [
      'UpdateExpression',
      'set a = if_not_exists(:s, c)',
      'Operator or function requires a document path; operator or function: if_not_exists',
    ],
    [
      'UpdateExpression',
      'set a = if_not_exists(if_not_exists(a, b), c)',
      'Operator or function requires a document path; operator or function: if_not_exists',
    ],
    [
      'ConditionExpression',
      'attribute_exists(:s)',
      'Operator or function requires a document path; operator or function: attribute_exists',
    ],
    [
      'ConditionExpression',
      'attribute_not_exists(size(a))',
      'Operator or function requires a document path; operator or function: attribute_not_exists',
    ],
    [
      'ConditionExpression',
      'attribute_type(:s, :s)',
      'Operator or function requires a document path; operator or function: attribute_type',
    ],
  ] as const)('%s %j', (member, expression, message) => {
    expectValidation(
      { [member]: expression, ExpressionAttributeValues: valuesFor(expression) },
      `Invalid ${member}: ${message}`,
    );
  });
});

describe('operand types known before evaluation', () => {
  it.each([
    ['set a = list_append(:s, a)', 'list_append', 'S'],
    ['set a = list_append(a, :n)', 'list_append', 'N'],
    ['set a = list_append(:b, a)', 'list_append', 'B'],
    ['set a = list_append(:bool, a)', 'list_append', 'BOOL'],
    ['set a = list_append(:null, a)', 'list_append', 'NULL'],
    ['set a = list_append(:ss, a)', 'list_append', 'SS'],
    ['set a = list_append(:ns, a)', 'list_append', 'NS'],
    ['set a = list_append(:bs, a)', 'list_append', 'BS'],
    ['set a = list_append(:m, a)', 'list_append', 'M'],
    ['set a = a + :s', '+', 'S'],
    ['set a = :s + :b', '+', 'S'],
    ['set a = :b + a', '+', 'B'],
    ['set a = a + :bool', '+', 'BOOL'],
    ['set a = a + :null', '+', 'NULL'],
    ['set a = a + :ss', '+', 'SS'],
    ['set a = a + :ns', '+', 'NS'],
    ['set a = a + :bs', '+', 'BS'],
    ['set a = a + :m', '+', 'M'],
    ['set a = a + :l', '+', 'L'],
    ['set a = a - :s', '-', 'S'],
    ['set a = a - :l', '-', 'L'],
  ])('UpdateExpression %j: %s of %s', (expression, operator, type) => {
    expectValidation(
      { UpdateExpression: expression, ExpressionAttributeValues: valuesFor(expression) },
      `Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
    );
  });

  it.each([
    ['add a.b :s', 'ADD', 'STRING'],
    ['add a.b :null', 'ADD', 'NULL'],
    ['add a.b :bool', 'ADD', 'BOOLEAN'],
    ['add a.b :b', 'ADD', 'BINARY'],
    ['add a.b :m', 'ADD', 'MAP'],
    ['add a.b :l', 'ADD', 'LIST'],
    ['delete a.b :s', 'DELETE', 'STRING'],
    ['delete a.b :n', 'DELETE', 'NUMBER'],
    ['delete a.b :b', 'DELETE', 'BINARY'],
    ['delete a.b :bool', 'DELETE', 'BOOLEAN'],
    ['delete a.b :null', 'DELETE', 'NULL'],
    ['delete a.b :m', 'DELETE', 'MAP'],
    ['delete a.b :l', 'DELETE', 'LIST'],
  ])('UpdateExpression %j: %s of %s', (expression, operator, type) => {
    expectValidation(
      { UpdateExpression: expression, ExpressionAttributeValues: valuesFor(expression) },
      `Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ${operator}, operand type: ${type}, typeSet: ALLOWED_FOR_${operator}_OPERAND`,
    );
  });

  it.each([
    ['a < :bool', '<', 'BOOL'],
    ['a <= :ss', '<=', 'SS'],
    [':m > a', '>', 'M'],
    ['a >= :null', '>=', 'NULL'],
    ['a BETWEEN :l AND :l', 'BETWEEN', 'L'],
    ['begins_with(a, :n)', 'begins_with', 'N'],
    ['begins_with(:ss, a)', 'begins_with', 'SS'],
    ['size(:n) > a', 'size', 'N'],
    ['size(:bool) > a', 'size', 'BOOL'],
    ['attribute_type(a, :n)', 'attribute_type', 'N'],
    ['attribute_type(a, size(b))', 'attribute_type', 'N'],
  ])('ConditionExpression %j: %s of %s', (expression, operator, type) => {
    expectValidation(
      { ConditionExpression: expression, ExpressionAttributeValues: valuesFor(expression) },
      `Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
    );
  });

  it('accepts = and <> between any types', () => {
    expect(() =>
      compileExpressions({
        ConditionExpression: 'a = :m AND b <> :l AND c = :null AND size(d) = :n',
        ExpressionAttributeValues: {
          ':m': { M: {} },
          ':l': { L: [] },
          ':null': { NULL: true },
          ':n': { N: '1' },
        },
      }),
    ).not.toThrow();
  });

  it('checks BETWEEN bounds given as values', () => {
    expectValidation(
      { ConditionExpression: 'a BETWEEN :n AND :s10', ExpressionAttributeValues: valuesFor(':n :s10') },
      'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:10}',
    );
    expectValidation(
      { ConditionExpression: 'a BETWEEN :n10 AND :n', ExpressionAttributeValues: valuesFor(':n :n10') },
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}',
    );
    expectValidation(
      {
        KeyConditionExpression: 'pk = :s AND sk BETWEEN :z AND :b',
        ExpressionAttributeValues: { ':s': { S: 'p' }, ':z': { S: 'z' }, ':b': { B: 'YWI=' } },
      },
      'Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {S:z}, upper bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=2 cap=2]}',
    );
  });

  it('checks attribute_type names', () => {
    expectValidation(
      { ConditionExpression: 'attribute_type(a, :t)', ExpressionAttributeValues: { ':t': { S: 'STRING' } } },
      'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}',
    );
  });

  it('refuses an operator whose first operand repeats', () => {
    expectValidation(
      { ConditionExpression: 'a = a' },
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]',
    );
    expectValidation(
      { ConditionExpression: 'a.b[0] IN (:s, a.b[0])', ExpressionAttributeValues: { ':s': { S: 'x' } } },
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [a, b, [0]]',
    );
    expectValidation(
      {
        ConditionExpression: 'a BETWEEN :s AND #a',
        ExpressionAttributeNames: { '#a': 'a' },
        ExpressionAttributeValues: { ':s': { S: 'x' } },
      },
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: BETWEEN, first operand: [a]',
    );
    expectValidation(
      { ConditionExpression: 'contains(a, a)' },
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]',
    );
    expectValidation(
      { UpdateExpression: 'SET b = if_not_exists(a, a)' },
      'Invalid UpdateExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: if_not_exists, first operand: [a]',
    );
  });

  it('compares paths after name substitution: #x[0] with #x = "a.b" is not a.b[0]', () => {
    expect(() =>
      compileExpressions({
        ConditionExpression: 'a.b[0] = #x[0]',
        ExpressionAttributeNames: { '#x': 'a.b' },
      }),
    ).not.toThrow();
  });

  it('refuses more than 100 IN candidates', () => {
    const candidates = Array.from({ length: 101 }, (_, i) => `:v${i}`);
    const expressionValues = Object.fromEntries(candidates.map((key, i) => [key, { N: String(i) }]));
    expectValidation(
      { ConditionExpression: `a IN (${candidates.join(', ')})`, ExpressionAttributeValues: expressionValues },
      'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101',
    );
    expect(() =>
      compileExpressions({
        ConditionExpression: `a IN (${candidates.slice(1).join(', ')})`,
        ExpressionAttributeValues: Object.fromEntries(Object.entries(expressionValues).slice(1)),
      }),
    ).not.toThrow();
  });
});

describe('document paths', () => {
  it('refuses paths deeper than 32 levels', () => {
    const deep = (levels: number) =>
      ['a', ...Array.from({ length: levels - 1 }, (_, i) => (i % 2 ? `.m${i}` : `[${i}]`))].join('');
    expect(() => compileExpressions({ ProjectionExpression: deep(32) })).not.toThrow();
    expectValidation(
      { ProjectionExpression: deep(33) },
      'Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33',
    );
  });

  it.each(['2147483648', '99999999999'])('refuses list index %s', (index) => {
    expectValidation(
      { ProjectionExpression: `a[${index}]` },
      `Invalid ProjectionExpression: List index is not within the allowable range; index: [${index}]`,
    );
  });

  it('accepts the largest list index', () => {
    expect(compileExpressions({ ProjectionExpression: 'a[2147483647]' }).projection?.paths).toEqual([
      ['a', 2147483647],
    ]);
  });

  it.each([
    ['set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)', 'overlap', '[c, [1], a]', '[c]'],
    ['set #c[3].#d = a, #c[3] = a', 'overlap', '[c, [3], [3]]', '[c, [3]]'],
    ['SET profile.nick = :s REMOVE profile', 'overlap', '[profile, nick]', '[profile]'],
    ['SET a = :s, a = :s', 'overlap', '[a]', '[a]'],
    ['SET history[0] = :s REMOVE history[0]', 'overlap', '[history, [0]]', '[history, [0]]'],
    ['ADD s :ss DELETE s :ss', 'overlap', '[s]', '[s]'],
    ['set #c[3].#d = a, #c.#d[3] = if_not_exists(a)', 'conflict', '[c, [3], [3]]', '[c, [3], [3]]'],
    ['remove a.#c set a[1] = #d', 'conflict', '[a, c]', '[a, [1]]'],
    ['SET a[0] = :s, a.b = :s', 'conflict', '[a, [0]]', '[a, b]'],
    // An overlap anywhere is reported before a conflict.
    ['SET x[0] = :s, x.y = :s, z = :s, z.w = :s', 'overlap', '[z]', '[z, w]'],
  ])('UpdateExpression %j: %s of %s and %s', (expression, clash, one, two) => {
    const names = { '#c': 'c', '#d': '[3]' };
    const used = Object.fromEntries(Object.entries(names).filter(([key]) => expression.includes(key)));
    expectValidation(
      {
        UpdateExpression: expression,
        ExpressionAttributeNames: Object.keys(used).length > 0 ? used : undefined,
        ExpressionAttributeValues: valuesFor(expression),
      },
      `Invalid UpdateExpression: Two document paths ${clash} with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });

  it('allows sibling paths', () => {
    expect(() =>
      compileExpressions({
        UpdateExpression: 'SET a[0] = :s, a[1] = :s, b.c = :s, b.d = :s REMOVE e, f.g',
        ExpressionAttributeValues: { ':s': { S: 'x' } },
      }),
    ).not.toThrow();
  });

  it.each([
    ['a, a', 'overlap', '[a]', '[a]'],
    ['a.b, a', 'overlap', '[a, b]', '[a]'],
    ['a[0], a.b', 'conflict', '[a, [0]]', '[a, b]'],
  ])('ProjectionExpression %j: %s', (expression, clash, one, two) => {
    expectValidation(
      { ProjectionExpression: expression },
      `Invalid ProjectionExpression: Two document paths ${clash} with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });
});

describe('update sections', () => {
  it.each([
    ['set a = #a set c = :s', 'SET'],
    ['remove #a set a = b remove e', 'REMOVE'],
    ['add #a :n set a = b add e :n', 'ADD'],
    ['delete #a :ss set a = b delete e :ss', 'DELETE'],
    ['SET a = :s REMOVE b set c = :s', 'SET'],
  ])('%j repeats %s', (expression, keyword) => {
    expectValidation(
      {
        UpdateExpression: expression,
        ExpressionAttributeNames: { '#a': 'a' },
        ExpressionAttributeValues: valuesFor(expression),
      },
      `Invalid UpdateExpression: The "${keyword}" section can only be used once in an update expression;`,
    );
  });

  it('accepts keywords in any case and sections in any order', () => {
    const { update } = compileExpressions({
      UpdateExpression: 'delete s :ss Add n :n remove r SeT a = :s',
      ExpressionAttributeValues: valuesFor(':ss :n :s'),
    });
    expect(update?.clauses.map((clause) => clause.keyword)).toEqual(['DELETE', 'ADD', 'REMOVE', 'SET']);
    expect([...(update?.topLevelAttributes ?? [])]).toEqual(['s', 'n', 'r', 'a']);
  });
});
