import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  compileExpressions,
} from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import { AwsServiceError } from '../../../../../../local-runtime/emulator/errors.js';
import type { AttributeMap } from '../../../../../../src/records/attributeValue.js';

const TYPE_ERROR = 'An operand in the update expression has an incorrect data type';
const MISSING_ERROR = 'The provided expression refers to an attribute that does not exist in the item';
const PATH_ERROR = 'The document path provided in the update expression is invalid for update';

const values: AttributeMap = {
  ':v': { S: 'v' },
  ':w': { S: 'w' },
  ':one': { N: '1' },
  ':zero': { N: '0' },
  ':tenth': { N: '0.1' },
  ':big': { N: '9E+125' },
  ':l2': { L: [{ S: 'x' }, { S: 'y' }] },
  ':empty': { L: [] },
  ':ssbc': { SS: ['b', 'c'] },
  ':ssab': { SS: ['a', 'b'] },
  ':ssa': { SS: ['a'] },
  ':ns': { NS: ['1.0', '3'] },
  ':ns25': { NS: ['2.5'] },
  ':bs': { BS: ['YQ=='] },
  ':m': { M: { inner: { S: 'i' } } },
};

const update = (expression: string, names?: Record<string, string>) => {
  const used = Object.fromEntries(
    Object.entries(values).filter(([key]) => new RegExp(`${key}(?![A-Za-z0-9_])`).test(expression)),
  );
  const compiled = compileExpressions({
    UpdateExpression: expression,
    ...(Object.keys(used).length > 0 ? { ExpressionAttributeValues: used } : {}),
    ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
  }).update;
  if (compiled === undefined) throw new Error('no update');
  return compiled;
};

const apply = (expression: string, item: AttributeMap, names?: Record<string, string>) =>
  applyUpdate(update(expression, names), item);

const expectValidation = (action: () => unknown, message: string) => {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AwsServiceError);
  expect((caught as AwsServiceError).name).toBe('ValidationException');
  expect((caught as AwsServiceError).message).toBe(message);
};

const item = (): AttributeMap => ({
  pk: { S: 'key' },
  s: { S: 'text' },
  n: { N: '0.2' },
  t: { BOOL: true },
  l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }] },
  m: { M: { k: { S: 'v' }, nested: { M: { deep: { N: '5' } } }, lst: { L: [{ N: '0' }, { N: '1' }] } } },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2.50'] },
  bs: { BS: ['YQ==', 'Yg=='] },
});

describe('SET', () => {
  it.each<[string, AttributeMap]>([
    ['SET a = :v', { a: { S: 'v' } }],
    ['SET s = :v', { s: { S: 'v' } }],
    ['SET a = s', { a: { S: 'text' } }],
    ['SET a = m.nested', { a: { M: { deep: { N: '5' } } } }],
    ['SET s = n, n = s', { s: { N: '0.2' }, n: { S: 'text' } }],
    ['SET n = n + :tenth', { n: { N: '0.3' } }],
    ['SET n = n - :one', { n: { N: '-0.8' } }],
    ['SET n = :one - n', { n: { N: '0.8' } }],
    ['SET a = :one + :one', { a: { N: '2' } }],
    ['SET a = m.nested.deep + n', { a: { N: '5.2' } }],
    ['SET c = if_not_exists(c, :zero) + :one', { c: { N: '1' } }],
    ['SET n = if_not_exists(n, :zero) + :one', { n: { N: '1.2' } }],
    ['SET s = if_not_exists(s, :v)', { s: { S: 'text' } }],
    ['SET a = if_not_exists(a, s)', { a: { S: 'text' } }],
    ['SET a = if_not_exists(a, if_not_exists(b, :v))', { a: { S: 'v' } }],
    [
      'SET l = list_append(l, :l2)',
      { l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { S: 'x' }, { S: 'y' }] } },
    ],
    [
      'SET l = list_append(:l2, l)',
      { l: { L: [{ S: 'x' }, { S: 'y' }, { S: 'l0' }, { S: 'l1' }, { S: 'l2' }] } },
    ],
    ['SET a = list_append(if_not_exists(a, :empty), :l2)', { a: { L: [{ S: 'x' }, { S: 'y' }] } }],
    ['SET a = list_append(:empty, :empty)', { a: { L: [] } }],
    ['SET a = (:v)', { a: { S: 'v' } }],
    ['SET a = (n) + (:one)', { a: { N: '1.2' } }],
    [
      'SET m.k = :w',
      {
        m: {
          M: { k: { S: 'w' }, nested: { M: { deep: { N: '5' } } }, lst: { L: [{ N: '0' }, { N: '1' }] } },
        },
      },
    ],
    [
      'SET m.nested.added = :v',
      {
        m: {
          M: {
            k: { S: 'v' },
            nested: { M: { deep: { N: '5' }, added: { S: 'v' } } },
            lst: { L: [{ N: '0' }, { N: '1' }] },
          },
        },
      },
    ],
    [
      'SET m.lst[0] = :v',
      {
        m: {
          M: { k: { S: 'v' }, nested: { M: { deep: { N: '5' } } }, lst: { L: [{ S: 'v' }, { N: '1' }] } },
        },
      },
    ],
    ['SET l[1] = :v', { l: { L: [{ S: 'l0' }, { S: 'v' }, { S: 'l2' }] } }],
    ['SET l[3] = :v', { l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { S: 'v' }] } }],
    ['SET l[99] = :v', { l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { S: 'v' }] } }],
    // Writes past the end append in index order, whatever order they are written in.
    [
      'SET l[9] = :w, l[5] = :v',
      { l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { S: 'v' }, { S: 'w' }] } },
    ],
    [
      'SET m.lst[1] = m.k, m.k = m.lst[1]',
      {
        m: {
          M: { k: { N: '1' }, nested: { M: { deep: { N: '5' } } }, lst: { L: [{ N: '0' }, { S: 'v' }] } },
        },
      },
    ],
    ['SET a = :m, b = :m', { a: { M: { inner: { S: 'i' } } }, b: { M: { inner: { S: 'i' } } } }],
  ])('%s', (expression, changes) => {
    expect(apply(expression, item())).toEqual({ ...item(), ...changes });
  });

  it('writes numbers in canonical form', () => {
    const compiled = compileExpressions({
      UpdateExpression: 'SET a = :n, b = :ns, c = :m ADD d :n',
      ExpressionAttributeValues: {
        ':n': { N: '01.50' },
        ':ns': { NS: ['1.0', '-0'] },
        ':m': { M: { x: { L: [{ N: '2e1' }] } } },
      },
    }).update!;
    expect(applyUpdate(compiled, {})).toEqual({
      a: { N: '1.5' },
      b: { NS: ['1', '0'] },
      c: { M: { x: { L: [{ N: '20' }] } } },
      d: { N: '1.5' },
    });
  });

  it('keeps numbers exact and canonical', () => {
    expect(apply('SET n = n + :tenth', { n: { N: '0.2' } })).toEqual({ n: { N: '0.3' } });
    expect(apply('SET n = n - :tenth', { n: { N: '0.1' } })).toEqual({ n: { N: '0' } });
    expect(apply('SET n = n + :one', { n: { N: '99999999999999999999999999999999999999' } })).toEqual({
      n: { N: '100000000000000000000000000000000000000' },
    });
  });

  it.each([
    ['SET a = absent', MISSING_ERROR],
    ['SET a = m.absent', MISSING_ERROR],
    ['SET a = l[5]', MISSING_ERROR],
    ['SET a = absent + :one', MISSING_ERROR],
    ['SET a = list_append(absent, :l2)', MISSING_ERROR],
    ['SET a = if_not_exists(b, c)', MISSING_ERROR],
    ['SET a = s + :one', TYPE_ERROR],
    ['SET a = :one - t', TYPE_ERROR],
    ['SET a = list_append(s, :l2)', TYPE_ERROR],
    ['SET a = list_append(:l2, ss)', TYPE_ERROR],
    ['SET a = if_not_exists(s, :one) + :one', TYPE_ERROR],
    ['SET absent.x = :v', PATH_ERROR],
    ['SET absent[0] = :v', PATH_ERROR],
    ['SET m.absent.x = :v', PATH_ERROR],
    ['SET s.x = :v', PATH_ERROR],
    ['SET m[0] = :v', PATH_ERROR],
    ['SET l.k = :v', PATH_ERROR],
    ['SET l[7].k = :v', PATH_ERROR],
    [
      'SET n = :big + :big',
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    ],
  ])('%s fails: %s', (expression, message) => {
    expectValidation(() => apply(expression, item()), message);
  });

  it('refuses nested writes into an item that does not exist yet', () => {
    expectValidation(() => apply('SET b.a = :v', { pk: { S: 'k' } }), PATH_ERROR);
    expectValidation(() => apply('SET b[1] = :v', { pk: { S: 'k' } }), PATH_ERROR);
    expectValidation(() => apply('SET c = b', { pk: { S: 'k' } }), MISSING_ERROR);
  });
});

describe('REMOVE', () => {
  it.each<[string, (i: AttributeMap) => AttributeMap]>([
    ['REMOVE s', ({ s: _, ...rest }) => rest],
    ['REMOVE s, n', ({ s: _, n: __, ...rest }) => rest],
    ['REMOVE absent', (i) => i],
    [
      'REMOVE m.k',
      (i) => ({
        ...i,
        m: { M: { nested: { M: { deep: { N: '5' } } }, lst: { L: [{ N: '0' }, { N: '1' }] } } },
      }),
    ],
    ['REMOVE m.absent', (i) => i],
    ['REMOVE l[0]', (i) => ({ ...i, l: { L: [{ S: 'l1' }, { S: 'l2' }] } })],
    // Indexes refer to the list as it was: removing [0] and [2] leaves the middle element.
    ['REMOVE l[0], l[2]', (i) => ({ ...i, l: { L: [{ S: 'l1' }] } })],
    ['REMOVE l[2], l[0]', (i) => ({ ...i, l: { L: [{ S: 'l1' }] } })],
    ['REMOVE l[5]', (i) => i],
    ['REMOVE l[0], l[1], l[2]', (i) => ({ ...i, l: { L: [] } })],
    [
      'REMOVE m.lst[0], m.nested.deep',
      (i) => ({ ...i, m: { M: { k: { S: 'v' }, nested: { M: {} }, lst: { L: [{ N: '1' }] } } } }),
    ],
    ['SET l[1] = :v REMOVE l[0]', (i) => ({ ...i, l: { L: [{ S: 'v' }, { S: 'l2' }] } })],
    ['SET l[5] = :v REMOVE l[0]', (i) => ({ ...i, l: { L: [{ S: 'l1' }, { S: 'l2' }, { S: 'v' }] } })],
    ['REMOVE pk, s, n, t, l, m, ss, ns, bs', () => ({})],
  ])('%s', (expression, expected) => {
    expect(apply(expression, item())).toEqual(expected(item()));
  });

  it('writes into list elements by their original positions while removing others', () => {
    const start: AttributeMap = { l: { L: [{ M: { x: { N: '1' } } }, { M: { x: { N: '2' } } }] } };
    expect(apply('REMOVE l[0] SET l[1].x = :v', start)).toEqual({ l: { L: [{ M: { x: { S: 'v' } } }] } });
  });

  it.each(['REMOVE absent.x', 'REMOVE absent[0]', 'REMOVE s.x', 'REMOVE m[0]', 'REMOVE l.k'])(
    '%s fails',
    (expression) => {
      expectValidation(() => apply(expression, item()), PATH_ERROR);
    },
  );
});

describe('ADD', () => {
  it.each<[string, AttributeMap]>([
    ['ADD n :one', { n: { N: '1.2' } }],
    ['ADD n :tenth', { n: { N: '0.3' } }],
    ['ADD c :one', { c: { N: '1' } }],
    ['ADD ss :ssbc', { ss: { SS: ['a', 'b', 'c'] } }],
    ['ADD ns :ns', { ns: { NS: ['1', '2.5', '3'] } }],
    ['ADD bs :bs', { bs: { BS: ['YQ==', 'Yg=='] } }],
    ['ADD created :ssa', { created: { SS: ['a'] } }],
    [
      'ADD m.tally :one',
      {
        m: {
          M: {
            k: { S: 'v' },
            nested: { M: { deep: { N: '5' } } },
            lst: { L: [{ N: '0' }, { N: '1' }] },
            tally: { N: '1' },
          },
        },
      },
    ],
    [
      'ADD m.nested.deep :one',
      {
        m: {
          M: { k: { S: 'v' }, nested: { M: { deep: { N: '6' } } }, lst: { L: [{ N: '0' }, { N: '1' }] } },
        },
      },
    ],
    ['ADD l[3] :one', { l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { N: '1' }] } }],
  ])('%s', (expression, changes) => {
    expect(apply(expression, item())).toEqual({ ...item(), ...changes });
  });

  it.each([
    ['ADD s :one', TYPE_ERROR],
    ['ADD ss :ns', TYPE_ERROR],
    ['ADD ns :one', TYPE_ERROR],
    ['ADD n :ssa', TYPE_ERROR],
    ['ADD m :one', TYPE_ERROR],
    ['ADD l[0] :one', TYPE_ERROR],
    ['ADD absent.x :one', PATH_ERROR],
    ['ADD s.x :one', PATH_ERROR],
  ])('%s fails: %s', (expression, message) => {
    expectValidation(() => apply(expression, item()), message);
  });

  it('refuses a sum out of range', () => {
    expectValidation(
      () => apply('ADD n :big', { n: { N: '9E+125' } }),
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  });
});

describe('DELETE', () => {
  it.each<[string, (i: AttributeMap) => AttributeMap]>([
    ['DELETE ss :ssa', (i) => ({ ...i, ss: { SS: ['b'] } })],
    ['DELETE ss :ssbc', (i) => ({ ...i, ss: { SS: ['a'] } })],
    // The last members gone, the attribute goes: DynamoDB has no empty sets.
    ['DELETE ss :ssab', ({ ss: _, ...rest }) => rest],
    ['DELETE ns :ns25', (i) => ({ ...i, ns: { NS: ['1'] } })],
    ['DELETE ns :ns', (i) => ({ ...i, ns: { NS: ['2.5'] } })],
    ['DELETE bs :bs', (i) => ({ ...i, bs: { BS: ['Yg=='] } })],
    ['DELETE absent :ssa', (i) => i],
    ['DELETE m.absent :ssa', (i) => i],
  ])('%s', (expression, expected) => {
    expect(apply(expression, item())).toEqual(expected(item()));
  });

  it.each([
    ['DELETE s :ssa', TYPE_ERROR],
    ['DELETE ss :ns', TYPE_ERROR],
    ['DELETE ns :ssa', TYPE_ERROR],
    ['DELETE absent.x :ssa', PATH_ERROR],
  ])('%s fails: %s', (expression, message) => {
    expectValidation(() => apply(expression, item()), message);
  });
});

describe('problems at evaluation, in DynamoDB’s order', () => {
  // dynalite's recordings: an item { a, b: "a", c: { "1": "a" }, d: ["a", "b"] } and no y.
  const recorded: AttributeMap = {
    a: { S: 'key' },
    b: { S: 'a' },
    c: { M: { 1: { S: 'a' } } },
    d: { L: [{ S: 'a' }, { S: 'b' }] },
  };
  it.each([
    'set b.a = :ssa, #1 = :ssa',
    'set b[1] = :ssa, #1 = :ssa',
    'set y.a = :ssa, #1 = :ssa',
    'set y[1] = :ssa, #1 = :ssa',
    'set c[1] = :ssa, #1 = :ssa',
    'set d.#1 = :ssa',
    'remove b.a set #1 = :ssa',
    'remove b[1] set #1 = :ssa',
    'remove y.a set #1 = :ssa',
    'remove y[1] set #1 = :ssa',
    'remove c[1] set #1 = :ssa',
    'remove d.#1 set #1 = :ssa',
    'delete b.a :ssa set #1 = :ssa',
    'delete b[1] :ssa set #1 = :ssa',
    'delete y.a :ssa set #1 = :ssa',
    'delete y[1] :ssa set #1 = :ssa',
    'delete c[1] :ssa set #1 = :ssa',
    'delete d.#1 :ssa',
    'add b.a :ssa set #1 = :ssa',
    'add b[1] :ssa set #1 = :ssa',
    'add y.a :ssa set #1 = :ssa',
    'add y[1] :ssa set #1 = :ssa',
    'add c[1] :ssa set #1 = :ssa',
    'add d.#1 :ssa',
  ])('%s: invalid path', (expression) => {
    expectValidation(() => apply(expression, recorded, { '#1': '1' }), PATH_ERROR);
  });

  const typed: AttributeMap = {
    a: { S: 'key' },
    b: { M: { a: { SS: ['1'] } } },
    c: { N: '1' },
    d: { NS: ['1'] },
  };
  it.each([
    'delete d :ssa',
    'delete b :ns',
    'delete b.a :ns',
    'delete b.a :bs',
    'delete c :ns',
    'add b :ns',
    'add d :one',
    'set e = a + :one',
    'set e = b - :one',
    'set e = list_append(d, if_not_exists(f, :empty))',
  ])('%s: incorrect data type', (expression) => {
    expectValidation(() => apply(expression, typed), TYPE_ERROR);
  });

  it('reports a parent of the wrong kind before a wrong type', () => {
    expectValidation(() => apply('SET a = s + :one, s.x = :v', item()), PATH_ERROR);
  });

  it('reports a wrong type before a missing attribute or parent', () => {
    expectValidation(() => apply('SET a = absent, b = s + :one', item()), TYPE_ERROR);
    expectValidation(() => apply('SET x.y = :v, b = s + :one', item()), TYPE_ERROR);
  });

  it('checks clauses from the last one written', () => {
    expectValidation(() => apply('SET a = absent REMOVE x.y', item()), PATH_ERROR);
    expectValidation(() => apply('REMOVE x.y SET a = absent', item()), MISSING_ERROR);
  });

  it('reports a missing attribute before a number out of range', () => {
    expectValidation(() => apply('SET n = :big + :big, a = absent', item()), MISSING_ERROR);
  });
});

describe('purity and plain data', () => {
  const deepFreeze = <T>(value: T): T => {
    if (value !== null && typeof value === 'object') {
      for (const member of Object.values(value)) deepFreeze(member);
      Object.freeze(value);
    }
    return value;
  };

  it('never changes its input', () => {
    const input = deepFreeze(item());
    const expressions = [
      'SET m.k = :v, l[1] = :w, m.lst[5] = :v REMOVE m.nested.deep, l[0] ADD ns :ns, c :one DELETE ss :ssa',
      'SET a = m, b = l',
      'REMOVE m.nested, l[2]',
    ];
    for (const expression of expressions) expect(() => apply(expression, input)).not.toThrow();
    expect(input).toEqual(item());
  });

  it('shares nothing mutable with the input or the expression values', () => {
    const input = item();
    const compiled = update('SET a = m, b = :m, c = l');
    const result = applyUpdate(compiled, input);
    (result.a as { M: AttributeMap }).M.k = { S: 'changed' };
    (result.b as { M: AttributeMap }).M.inner = { S: 'changed' };
    (result.c as { L: unknown[] }).L.push({ S: 'changed' });
    expect(input).toEqual(item());
    expect(applyUpdate(compiled, input).b).toEqual({ M: { inner: { S: 'i' } } });
  });

  it('keeps unchanged attributes as they were', () => {
    const input = item();
    const result = apply('SET a = :v', input);
    expect(result.m).toBe(input.m);
    expect(result).not.toBe(input);
  });

  it('writes __proto__ and constructor as ordinary attributes', () => {
    const names = { '#p': '__proto__', '#c': 'constructor' };
    const result = apply('SET #p = :v, m.#p = :w, #c = :one', item(), names);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toEqual({ S: 'v' });
    expect(JSON.stringify((result.m as { M: AttributeMap }).M)).toContain('"__proto__":{"S":"w"}');
    expect(Object.getPrototypeOf((result.m as { M: AttributeMap }).M)).toBe(Object.prototype);
    expect(result.constructor).toEqual({ N: '1' });

    const removed = apply('REMOVE #p', JSON.parse('{"__proto__": {"S": "x"}, "a": {"S": "a"}}'), {
      '#p': '__proto__',
    });
    expect(removed).toEqual({ a: { S: 'a' } });
    expect(apply('ADD #c :one', {}, { '#c': 'constructor' })).toEqual({ constructor: { N: '1' } });
  });

  it('reads attributes named like Object.prototype members only when the item has them', () => {
    expectValidation(() => apply('SET a = #t', {}, { '#t': 'toString' }), MISSING_ERROR);
    expect(apply('SET a = if_not_exists(#t, :v)', {}, { '#t': 'toString' })).toEqual({ a: { S: 'v' } });
  });
});

describe('topLevelAttributes', () => {
  it.each([
    ['SET a = :v, m.k = :v REMOVE l[0] ADD #n :one DELETE ss :ssa', ['a', 'm', 'l', 'x.y', 'ss']],
    ['SET a = b + :one', ['a']],
    ['REMOVE #n.c', ['x.y']],
  ])('%s → %j', (expression, names) => {
    const used = expression.includes('#n') ? { '#n': 'x.y' } : undefined;
    expect([...update(expression, used).topLevelAttributes]).toEqual(names);
  });
});
