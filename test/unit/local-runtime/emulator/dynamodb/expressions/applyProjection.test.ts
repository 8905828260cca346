import { describe, expect, it } from 'vitest';
import {
  applyProjection,
  compileExpressions,
} from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import type { AttributeMap } from '../../../../../../src/records/attributeValue.js';

const item: AttributeMap = {
  a: { S: 'a' },
  n: { N: '1' },
  l: { L: [{ S: 'l0' }, { M: { x: { S: 'x1' }, y: { S: 'y1' } } }, { L: [{ N: '20' }, { N: '21' }] }] },
  m: {
    M: {
      k: { S: 'v' },
      nested: { M: { deep: { N: '5' }, extra: { N: '6' } } },
      lst: { L: [{ N: '0' }, { N: '1' }] },
    },
  },
  ss: { SS: ['a', 'b'] },
};

const project = (expression: string, on: AttributeMap = item, names?: Record<string, string>) => {
  const { projection } = compileExpressions({
    ProjectionExpression: expression,
    ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
  });
  return applyProjection(projection!, on);
};

describe('applyProjection', () => {
  it.each<[string, AttributeMap]>([
    ['a', { a: { S: 'a' } }],
    ['a, n', { a: { S: 'a' }, n: { N: '1' } }],
    ['absent', {}],
    ['a, absent', { a: { S: 'a' } }],
    ['m', { m: item.m! }],
    ['m.k', { m: { M: { k: { S: 'v' } } } }],
    ['m.nested.deep', { m: { M: { nested: { M: { deep: { N: '5' } } } } } }],
    ['m.k, m.nested.extra', { m: { M: { k: { S: 'v' }, nested: { M: { extra: { N: '6' } } } } } }],
    ['m.absent', {}],
    ['m.k.deeper', {}],
    ['m[0]', {}],
    ['l[0]', { l: { L: [{ S: 'l0' }] } }],
    // Projected elements are packed in index order, whatever order they were asked for.
    ['l[2], l[0]', { l: { L: [{ S: 'l0' }, { L: [{ N: '20' }, { N: '21' }] }] } }],
    ['l[1].y', { l: { L: [{ M: { y: { S: 'y1' } } }] } }],
    ['l[2][1]', { l: { L: [{ L: [{ N: '21' }] }] } }],
    ['l[1].y, l[2][1], l[0]', { l: { L: [{ S: 'l0' }, { M: { y: { S: 'y1' } } }, { L: [{ N: '21' }] }] } }],
    ['l[9]', {}],
    ['l[9], l[1].x', { l: { L: [{ M: { x: { S: 'x1' } } }] } }],
    ['l[0].x', {}],
    ['l.x', {}],
    ['ss[0]', {}],
    ['m.lst[1], a', { m: { M: { lst: { L: [{ N: '1' }] } } }, a: { S: 'a' } }],
  ])('%s', (expression, expected) => {
    expect(project(expression)).toEqual(expected);
  });

  it('substitutes names, which may hold dots', () => {
    expect(project('#a.#b', { 'x.y': { M: { z: { S: 'z' } } } }, { '#a': 'x.y', '#b': 'z' })).toEqual({
      'x.y': { M: { z: { S: 'z' } } },
    });
  });

  it('treats prototype names as data', () => {
    const withProto: AttributeMap = JSON.parse(
      '{"__proto__": {"S": "p"}, "m": {"M": {"constructor": {"S": "c"}}}}',
    );
    const result = project('#p, m.#c, #t', withProto, {
      '#p': '__proto__',
      '#c': 'constructor',
      '#t': 'toString',
    });
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"S":"p"},"m":{"M":{"constructor":{"S":"c"}}}}');
  });

  it('copies what it keeps', () => {
    const result = project('m.nested');
    (result.m as { M: AttributeMap }).M.nested = { S: 'changed' };
    expect(item.m).toEqual({
      M: {
        k: { S: 'v' },
        nested: { M: { deep: { N: '5' }, extra: { N: '6' } } },
        lst: { L: [{ N: '0' }, { N: '1' }] },
      },
    });
  });

  it('can be applied to many items', () => {
    const { projection } = compileExpressions({ ProjectionExpression: 'a' });
    expect(applyProjection(projection!, { a: { S: '1' }, b: { S: '2' } })).toEqual({ a: { S: '1' } });
    expect(applyProjection(projection!, { b: { S: '2' } })).toEqual({});
  });
});
