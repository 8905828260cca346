import type { Scenario, Step } from '../Scenario.js';
import { createTable, n, put, readStream, remove, s, update, type ViewType } from './steps.js';

const VIEW_TYPES: readonly ViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

/** Every single-item write path: INSERT and MODIFY by PutItem and UpdateItem, REMOVE by DeleteItem. */
const everyWritePath = (table: string): Step[] => [
  put(table, { pk: s('p'), v: n(1), m: { M: { a: s('x') } } }),
  put(table, { pk: s('p'), v: n(2) }),
  update(
    table,
    { pk: s('u') },
    { UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': n(1) } },
  ),
  update(
    table,
    { pk: s('u') },
    { UpdateExpression: 'SET w = :w REMOVE v', ExpressionAttributeValues: { ':w': { SS: ['a', 'b'] } } },
  ),
  update(table, { pk: s('k') }),
  remove(table, { pk: s('p') }),
  remove(table, { pk: s('u') }),
  readStream(table),
];

/** Stream records (eventName, Keys, images, SizeBytes, order) for every write path and view type. */
const streamScenarios: readonly Scenario[] = [
  ...VIEW_TYPES.map((view): Scenario => {
    const table = `stream-${view.toLowerCase()}`;
    return {
      name: `stream records of every write path, ${view}`,
      steps: [createTable(table, { stream: view }), ...everyWritePath(table)],
    };
  }),
  {
    name: 'no stream record for writes that change nothing or fail',
    steps: [
      createTable('stream-noop', { stream: 'NEW_AND_OLD_IMAGES' }),
      put('stream-noop', { pk: s('a'), v: n(1), l: { L: [s('x')] }, ss: { SS: ['a', 'b'] } }),
      // The same item again, with its set members in another order.
      put('stream-noop', { pk: s('a'), v: n(1), l: { L: [s('x')] }, ss: { SS: ['b', 'a'] } }),
      // The same number written differently.
      put('stream-noop', { pk: s('a'), v: n('1.000'), l: { L: [s('x')] }, ss: { SS: ['a', 'b'] } }),
      update(
        'stream-noop',
        { pk: s('a') },
        { UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': n(1) } },
      ),
      update('stream-noop', { pk: s('a') }, { UpdateExpression: 'REMOVE nothing' }),
      update(
        'stream-noop',
        { pk: s('a') },
        { UpdateExpression: 'ADD v :z', ExpressionAttributeValues: { ':z': n(0) } },
      ),
      update(
        'stream-noop',
        { pk: s('a') },
        { UpdateExpression: 'DELETE ss :c', ExpressionAttributeValues: { ':c': { SS: ['c'] } } },
      ),
      update('stream-noop', { pk: s('a') }),
      remove('stream-noop', { pk: s('missing') }),
      put('stream-noop', { pk: s('a'), v: n(9) }, { ConditionExpression: 'attribute_not_exists(pk)' }),
      update(
        'stream-noop',
        { pk: s('a') },
        {
          UpdateExpression: 'SET v = :v',
          ConditionExpression: 'v = :v',
          ExpressionAttributeValues: { ':v': n(9) },
        },
      ),
      remove('stream-noop', { pk: s('a') }, { ConditionExpression: 'attribute_not_exists(v)' }),
      // A write that fails validation changes nothing either.
      update(
        'stream-noop',
        { pk: s('a') },
        { UpdateExpression: 'SET v = v + :s', ExpressionAttributeValues: { ':s': s('x') } },
      ),
      readStream('stream-noop'),
    ],
  },
  {
    name: 'SizeBytes over every attribute type',
    steps: [
      createTable('stream-sizes', { hash: ['id', 'N'], range: ['sk', 'S'], stream: 'NEW_AND_OLD_IMAGES' }),
      put('stream-sizes', {
        id: n('123.456'),
        sk: s('héllo wörld ✓ 😀'),
        b: { B: new Uint8Array([1, 2, 3, 4, 5]) },
        bs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
        ns: { NS: ['1', '-1.5e10', '0.000001'] },
        ss: { SS: ['', 'x', 'yy'] },
        bool: { BOOL: false },
        nul: { NULL: true },
        l: { L: [n(1), s('a'), { L: [] }, { M: {} }] },
        m: { M: { 'nested key': { M: { x: n('-0') } }, e: s('') } },
        big: n('99999999999999999999999999999999999999'),
        tiny: n('1E-130'),
      }),
      update(
        'stream-sizes',
        { id: n('123.456'), sk: s('héllo wörld ✓ 😀') },
        {
          UpdateExpression: 'SET l[1] = :v REMOVE m.e',
          ExpressionAttributeValues: { ':v': s('longer value') },
        },
      ),
      remove('stream-sizes', { id: n('123.456'), sk: s('héllo wörld ✓ 😀') }),
      readStream('stream-sizes'),
    ],
  },
  {
    name: 'records of several items keep their write order',
    steps: [
      createTable('stream-order', { hash: ['pk', 'S'], range: ['sk', 'N'], stream: 'NEW_IMAGE' }),
      ...[3, 1, 2].flatMap((i) => [
        put('stream-order', { pk: s(`p${i}`), sk: n(i), v: n(0) }),
        put('stream-order', { pk: s('same'), sk: n(i), v: n(i) }),
      ]),
      update(
        'stream-order',
        { pk: s('p1'), sk: n(1) },
        { UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': n(1) } },
      ),
      remove('stream-order', { pk: s('same'), sk: n(2) }),
      readStream('stream-order'),
    ],
  },
];

export { streamScenarios };
