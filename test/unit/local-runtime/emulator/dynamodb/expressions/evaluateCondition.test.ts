import { describe, expect, it } from 'vitest';
import {
  compileExpressions,
  evaluateCondition,
} from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import type { AttributeMap, AttributeValue } from '../../../../../../src/records/attributeValue.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const item: AttributeMap = {
  s: { S: 'hello' },
  e: { S: '' },
  u: { S: 'né😀' },
  emoji: { S: '😀' },
  n: { N: '10' },
  neg: { N: '-2.5' },
  b: { B: b64('abc') },
  t: { BOOL: true },
  f: { BOOL: false },
  nul: { NULL: true },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2.50'] },
  bs: { BS: [b64('x'), b64('yz')] },
  l: { L: [{ S: 'a' }, { N: '1' }, { M: { k: { S: 'v' } } }, { L: [{ N: '7' }] }] },
  m: {
    M: {
      k: { S: 'v' },
      nested: { M: { deep: { N: '5' } } },
      lst: { L: [{ N: '0' }, { N: '1' }] },
      'dotted.key': { S: 'literal' },
    },
  },
};

const v = {
  hello: { S: 'hello' },
  hell: { S: 'hell' },
  ello: { S: 'ello' },
  z: { S: 'z' },
  fullwidth: { S: '～' },
  a: { S: 'a' },
  c: { S: 'c' },
  empty: { S: '' },
  n5: { N: '5' },
  n10: { N: '10.0' },
  n20: { N: '20' },
  n1: { N: '1' },
  n2: { N: '2' },
  n25: { N: '2.5' },
  n3: { N: '3' },
  n4: { N: '4' },
  n7: { N: '7' },
  n0: { N: '0' },
  s10: { S: '10' },
  abc: { B: b64('abc') },
  ab: { B: b64('ab') },
  bc: { B: b64('bc') },
  x: { B: b64('x') },
  yes: { BOOL: true },
  no: { BOOL: false },
  null: { NULL: true },
  ssab: { SS: ['b', 'a'] },
  list: { L: [{ N: '7' }] },
  map: { M: { k: { S: 'v' } } },
  tS: { S: 'S' },
  tN: { S: 'N' },
  tNULL: { S: 'NULL' },
  tBOOL: { S: 'BOOL' },
  tSS: { S: 'SS' },
  tL: { S: 'L' },
  tM: { S: 'M' },
} satisfies Record<string, AttributeValue>;

/** Compiles a condition whose `:name` placeholders come from `v`, and runs it on an item (null: no item). */
const holds = (
  expression: string,
  on: AttributeMap | null = item,
  names?: Record<string, string>,
): boolean => {
  const used = [...expression.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] as keyof typeof v);
  const values = Object.fromEntries(used.map((key) => [`:${key}`, v[key]]));
  const { condition } = compileExpressions({
    ConditionExpression: expression,
    ...(used.length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
  });
  return evaluateCondition(condition!, on ?? undefined);
};

describe('comparisons', () => {
  it.each([
    ['s = :hello', true],
    ['s = :hell', false],
    ['s <> :hell', true],
    ['s <> :hello', false],
    ['n = :n10', true],
    ['n <> :n10', false],
    ['n = :s10', false],
    ['n <> :s10', true],
    ['absent = :hello', false],
    ['absent <> :hello', true],
    ['n < :n20', true],
    ['n <= :n10', true],
    ['n > :n5', true],
    ['n >= :n20', false],
    ['neg < :n0', true],
    ['s > :hell', true],
    ['s < :z', true],
    ['u < :z', true],
    // UTF-8 order: U+1F600 is above U+FF5E, though its UTF-16 surrogates are below.
    ['emoji > :fullwidth', true],
    ['b > :ab', true],
    ['b < :bc', true],
    ['b = :abc', true],
    ['n < :s10', false],
    ['n > :s10', false],
    ['absent < :n5', false],
    ['absent >= :n5', false],
    ['t = :yes', true],
    ['f = :no', true],
    ['t = :no', false],
    ['nul = :null', true],
    ['ss = :ssab', true],
    ['l[3] = :list', true],
    ['m.k = :c', false],
    ['l[2] = :map', true],
    ['e = :empty', true],
    [':n5 < n', true],
    [':n20 <= n', false],
    ['n = m.nested.deep', false],
    ['m.nested.deep < n', true],
    ['m.lst[1] = :n1', true],
    ['m.lst[2] = :n1', false],
    ['m.lst[1] = l[1]', true],
  ])('%s → %s', (expression, expected) => {
    expect(holds(expression)).toBe(expected);
  });
});

describe('BETWEEN', () => {
  it.each([
    ['n BETWEEN :n5 AND :n20', true],
    ['n BETWEEN :n10 AND :n10', true],
    ['n BETWEEN :n1 AND :n5', false],
    ['s BETWEEN :hell AND :z', true],
    ['s BETWEEN :a AND :c', false],
    ['b BETWEEN :ab AND :bc', true],
    ['absent BETWEEN :n1 AND :n5', false],
    ['s BETWEEN :n1 AND :n20', false],
    ['m.nested.deep BETWEEN :n5 AND n', true],
    ['size(s) BETWEEN :n5 AND :n5', true],
    ['neg BETWEEN :n0 AND :n5', false],
  ])('%s → %s', (expression, expected) => {
    expect(holds(expression)).toBe(expected);
  });
});

describe('IN', () => {
  it.each([
    ['n IN (:n1, :n10)', true],
    ['n IN (:n1, :n2)', false],
    ['s IN (:hello)', true],
    ['s IN (:s10, :n10)', false],
    ['ss IN (:ssab)', true],
    ['absent IN (:n1)', false],
    ['n IN (m.nested.deep, :n10)', true],
    ['nul IN (:null)', true],
  ])('%s → %s', (expression, expected) => {
    expect(holds(expression)).toBe(expected);
  });
});

describe('logical operators', () => {
  it.each([
    ['s = :hello AND n = :n10', true],
    ['s = :hello AND n = :n1', false],
    ['s = :z OR n = :n10', true],
    ['s = :z OR n = :n1', false],
    ['NOT s = :z', true],
    ['NOT NOT s = :z', false],
    ['NOT (s = :z OR n = :n1)', true],
    // NOT binds tighter than AND, AND tighter than OR.
    ['NOT s = :hello AND n = :n1', false],
    ['s = :z AND n = :n1 OR t = :yes', true],
    ['s = :z AND (n = :n1 OR t = :yes)', false],
    ['t = :yes OR s = :z AND n = :n1', true],
    ['(t = :yes OR s = :z) AND n = :n1', false],
    ['NOT t = :no AND NOT f = :yes', true],
    ['s = :hello and n = :n10 or absent = :z', true],
  ])('%s → %s', (expression, expected) => {
    expect(holds(expression)).toBe(expected);
  });
});

describe('functions', () => {
  it.each([
    ['attribute_exists(s)', true],
    ['attribute_exists(absent)', false],
    ['attribute_exists(m.nested.deep)', true],
    ['attribute_exists(m.nested.gone)', false],
    ['attribute_exists(l[3][0])', true],
    ['attribute_exists(l[4])', false],
    ['attribute_exists(s[0])', false],
    ['attribute_exists(l.k)', false],
    ['attribute_exists(nul)', true],
    ['attribute_exists(e)', true],
    ['attribute_not_exists(absent)', true],
    ['attribute_not_exists(s)', false],
    ['attribute_not_exists(m.k.deeper)', true],
    ['attribute_type(s, :tS)', true],
    ['attribute_type(n, :tN)', true],
    ['attribute_type(n, :tS)', false],
    ['attribute_type(nul, :tNULL)', true],
    ['attribute_type(t, :tBOOL)', true],
    ['attribute_type(ss, :tSS)', true],
    ['attribute_type(l, :tL)', true],
    ['attribute_type(m, :tM)', true],
    ['attribute_type(absent, :tS)', false],
    ['begins_with(s, :hell)', true],
    ['begins_with(s, :hello)', true],
    ['begins_with(s, :ello)', false],
    ['begins_with(s, :empty)', true],
    ['begins_with(b, :ab)', true],
    ['begins_with(b, :bc)', false],
    ['begins_with(n, :s10)', false],
    ['begins_with(absent, :a)', false],
    ['begins_with(s, :ab)', false],
    ['contains(s, :ello)', true],
    ['contains(s, :z)', false],
    ['contains(ss, :a)', true],
    ['contains(ss, :c)', false],
    ['contains(ns, :n25)', true],
    ['contains(ns, :n3)', false],
    ['contains(bs, :x)', true],
    ['contains(bs, :ab)', false],
    ['contains(b, :bc)', true],
    ['contains(l, :a)', true],
    ['contains(l, :n1)', true],
    ['contains(l, :map)', true],
    ['contains(l, :list)', true],
    ['contains(l, :z)', false],
    ['contains(n, :n1)', false],
    ['contains(m, :c)', false],
    ['contains(absent, :a)', false],
    ['contains(ss, :n1)', false],
    ['contains(s, m.k)', false],
    ['contains(l, m.k)', false],
  ])('%s → %s', (expression, expected) => {
    expect(holds(expression)).toBe(expected);
  });
});

describe('size', () => {
  it.each([
    ['size(s) = :n5', true],
    // UTF-8 bytes: n (1) + é (2) + 😀 (4).
    ['size(u) = :n7', true],
    ['size(e) = :n0', true],
    ['size(b) = :n3', true],
    ['size(ss) = :n2', true],
    ['size(ns) = :n2', true],
    ['size(bs) = :n2', true],
    ['size(l) = :n4', true],
    ['size(m) = :n4', true],
    ['size(m.lst) < :n3', true],
    ['size(n) = :n2', false],
    ['size(n) <> :n2', true],
    ['size(t) >= :n0', false],
    ['size(absent) >= :n0', false],
    ['size(s) > size(l)', true],
    [':n5 = size(s)', true],
    // A parenthesised call is an operand or a condition depending on what follows it.
    ['(size(s)) = :n5', true],
    ['(size(s)) BETWEEN :n1 AND :n5', true],
    ['(size(s)) IN (:n5)', true],
    ['(begins_with(s, :hell))', true],
    ['(size(s) = :n5)', true],
    ['NOT (contains(s, :z)) AND (size(s)) < :n7', true],
  ])('%s → %s', (expression, expected) => {
    expect(holds(expression)).toBe(expected);
  });
});

describe('documents and placeholders', () => {
  it('resolves names, including names with dots and reserved words', () => {
    expect(holds('#m.#dk = :c', item, { '#m': 'm', '#dk': 'dotted.key' })).toBe(false);
    expect(holds('attribute_exists(#m.#dk)', item, { '#m': 'm', '#dk': 'dotted.key' })).toBe(true);
    expect(holds('attribute_exists(#dotted)', { 'm.k': { S: 'x' } }, { '#dotted': 'm.k' })).toBe(true);
    expect(holds('attribute_exists(m.k)', { 'm.k': { S: 'x' } })).toBe(false);
    expect(holds('#status = :a', { status: { S: 'a' } }, { '#status': 'status' })).toBe(true);
  });

  it('treats __proto__ and constructor as ordinary attribute names', () => {
    const names = { '#p': '__proto__', '#c': 'constructor', '#t': 'toString' };
    expect(holds('attribute_exists(#p)', {}, { '#p': '__proto__' })).toBe(false);
    expect(holds('attribute_exists(#c)', {}, { '#c': 'constructor' })).toBe(false);
    expect(holds('attribute_not_exists(#t)', { m: { M: {} } }, { '#t': 'toString' })).toBe(true);
    expect(holds('attribute_exists(m.#c)', { m: { M: {} } }, { '#c': 'constructor' })).toBe(false);
    const withProto: AttributeMap = JSON.parse(
      '{"__proto__": {"S": "a"}, "constructor": {"M": {"toString": {"S": "a"}}}}',
    );
    expect(holds('#p = :a AND #c.#t = :a', withProto, names)).toBe(true);
  });

  it('sees no attributes when there is no item', () => {
    expect(holds('attribute_not_exists(s)', null)).toBe(true);
    expect(holds('attribute_exists(s)', null)).toBe(false);
    expect(holds('s = :hello', null)).toBe(false);
    expect(holds('s <> :hello', null)).toBe(true);
    expect(holds('NOT contains(s, :a)', null)).toBe(true);
  });

  it('compares a value with itself', () => {
    expect(holds(':n1 = :n1')).toBe(true);
    expect(holds(':n1 < :n2')).toBe(true);
  });
});
