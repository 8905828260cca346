import type { Scenario } from '../Scenario.js';
import { createTable, describe, get, n, put, readStream, remove, s, update } from './steps.js';

/** Single-item reads and writes: conditions, every ReturnValues, projections, composite and binary keys. */
const itemScenarios: readonly Scenario[] = [
  {
    name: 'PutItem and GetItem, with projections and ConsistentRead',
    steps: [
      createTable('item-put-get'),
      put('item-put-get', {
        pk: s('a'),
        n: n('12.50'),
        b: { B: new Uint8Array([1, 2, 3]) },
        bool: { BOOL: true },
        nul: { NULL: true },
        l: { L: [s('x'), n(1), { M: { deep: s('y') } }] },
        m: { M: { x: n(1), y: { L: [n(2), n(3)] } } },
        ss: { SS: ['b', 'a', 'c'] },
        ns: { NS: ['3', '1.5', '-2'] },
      }),
      get('item-put-get', { pk: s('a') }),
      get('item-put-get', { pk: s('a') }, { ConsistentRead: true }),
      get('item-put-get', { pk: s('a') }, { ProjectionExpression: 'n, m.y[1], l[2].deep, missing' }),
      get(
        'item-put-get',
        { pk: s('a') },
        { ProjectionExpression: '#m.#x, ss', ExpressionAttributeNames: { '#m': 'm', '#x': 'x' } },
      ),
      get('item-put-get', { pk: s('missing') }),
      describe('item-put-get'),
    ],
  },
  {
    name: 'PutItem ReturnValues NONE and ALL_OLD on new and existing items',
    steps: [
      createTable('item-put-return'),
      put('item-put-return', { pk: s('a'), v: n(1) }, { ReturnValues: 'ALL_OLD' }),
      put('item-put-return', { pk: s('a'), v: n(2) }, { ReturnValues: 'ALL_OLD' }),
      put('item-put-return', { pk: s('a'), v: n(3) }, { ReturnValues: 'NONE' }),
      put('item-put-return', { pk: s('a'), w: s('only') }, { ReturnValues: 'ALL_OLD' }),
      get('item-put-return', { pk: s('a') }),
    ],
  },
  {
    name: 'PutItem conditions, with and without ReturnValuesOnConditionCheckFailure',
    steps: [
      createTable('item-put-cond'),
      put('item-put-cond', { pk: s('a'), v: n(1) }, { ConditionExpression: 'attribute_not_exists(pk)' }),
      put('item-put-cond', { pk: s('a'), v: n(2) }, { ConditionExpression: 'attribute_not_exists(pk)' }),
      put(
        'item-put-cond',
        { pk: s('a'), v: n(2) },
        { ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      ),
      put(
        'item-put-cond',
        { pk: s('b'), v: n(2) },
        { ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      ),
      put(
        'item-put-cond',
        { pk: s('a'), v: n(5) },
        {
          ConditionExpression:
            'v = :one AND (size(pk) = :one OR NOT begins_with(pk, :a)) AND v IN (:one, :two)',
          ExpressionAttributeValues: { ':one': n(1), ':two': n(2), ':a': s('a') },
        },
      ),
      put(
        'item-put-cond',
        { pk: s('a'), v: n(6) },
        {
          ConditionExpression: 'v BETWEEN :lo AND :hi AND attribute_type(v, :t) AND #v <> :x',
          ExpressionAttributeNames: { '#v': 'v' },
          ExpressionAttributeValues: { ':lo': n(4), ':hi': n(9), ':t': s('N'), ':x': s('5') },
        },
      ),
      put(
        'item-put-cond',
        { pk: s('a'), v: n(7) },
        {
          ConditionExpression: 'v < :s',
          ExpressionAttributeValues: { ':s': s('10') },
          ReturnValuesOnConditionCheckFailure: 'NONE',
        },
      ),
      get('item-put-cond', { pk: s('a') }),
    ],
  },
  {
    name: 'UpdateItem every ReturnValues on an existing item, top-level and nested paths',
    steps: [
      createTable('item-update-rv'),
      put('item-update-rv', {
        pk: s('a'),
        v: n(1),
        keep: s('k'),
        m: { M: { x: n(1), y: s('q'), z: { M: { deep: n(1) } } } },
        l: { L: [n(1), n(2), n(3)] },
        tags: { SS: ['a', 'b'] },
      }),
      ...(['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const).map((rv, index) =>
        update(
          'item-update-rv',
          { pk: s('a') },
          {
            UpdateExpression: 'SET v = v + :one, m.x = :i, l[1] = :i REMOVE m.y ADD tags :t',
            ExpressionAttributeValues: { ':one': n(1), ':i': n(index + 10), ':t': { SS: [`t${index}`] } },
            ReturnValues: rv,
          },
        ),
      ),
      update(
        'item-update-rv',
        { pk: s('a') },
        {
          UpdateExpression: 'SET m.z.deep = :v',
          ExpressionAttributeValues: { ':v': n(2) },
          ReturnValues: 'UPDATED_OLD',
        },
      ),
      update(
        'item-update-rv',
        { pk: s('a') },
        {
          UpdateExpression: 'SET m.z.deep = :v',
          ExpressionAttributeValues: { ':v': n(3) },
          ReturnValues: 'UPDATED_NEW',
        },
      ),
      update(
        'item-update-rv',
        { pk: s('a') },
        { UpdateExpression: 'REMOVE l[0], keep', ReturnValues: 'UPDATED_OLD' },
      ),
      update(
        'item-update-rv',
        { pk: s('a') },
        { UpdateExpression: 'REMOVE nothing', ReturnValues: 'UPDATED_OLD' },
      ),
      get('item-update-rv', { pk: s('a') }),
    ],
  },
  {
    name: 'UpdateItem every ReturnValues when the item does not exist yet',
    steps: [
      createTable('item-update-new'),
      ...(['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const).map((rv, index) =>
        update(
          'item-update-new',
          { pk: s(`k${index}`) },
          { UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': n(index) }, ReturnValues: rv },
        ),
      ),
      update('item-update-new', { pk: s('no-expression') }, { ReturnValues: 'ALL_NEW' }),
      // A REMOVE-only update of a missing item is not compared: DynamoDB Local creates the item, DynamoDB does
      // not (test/integration/emulator/updateSemantics.test.ts).
      get('item-update-new', { pk: s('no-expression') }),
    ],
  },
  {
    name: 'UpdateItem functions and operators: if_not_exists, list_append, arithmetic, ADD and DELETE',
    steps: [
      createTable('item-update-fn'),
      update(
        'item-update-fn',
        { pk: s('a') },
        {
          UpdateExpression:
            'SET c = if_not_exists(c, :zero) + :one, l = list_append(if_not_exists(l, :empty), :l) ADD n :n, ns :ns',
          ExpressionAttributeValues: {
            ':zero': n(0),
            ':one': n(1),
            ':empty': { L: [] },
            ':l': { L: [s('x')] },
            ':n': n('2.5'),
            ':ns': { NS: ['1', '2'] },
          },
          ReturnValues: 'ALL_NEW',
        },
      ),
      update(
        'item-update-fn',
        { pk: s('a') },
        {
          UpdateExpression:
            'SET c = if_not_exists(c, :zero) + :one, l = list_append(:l, l), d = c - :one ADD n :n DELETE ns :ns',
          ExpressionAttributeValues: {
            ':zero': n(0),
            ':one': n(1),
            ':l': { L: [s('y')] },
            ':n': n('-0.5'),
            ':ns': { NS: ['1', '3'] },
          },
          ReturnValues: 'ALL_NEW',
        },
      ),
      update(
        'item-update-fn',
        { pk: s('a') },
        {
          UpdateExpression: 'DELETE ns :ns',
          ExpressionAttributeValues: { ':ns': { NS: ['2'] } },
          ReturnValues: 'ALL_NEW',
        },
      ),
      update(
        'item-update-fn',
        { pk: s('a') },
        {
          UpdateExpression: 'SET big = :a + :b',
          ExpressionAttributeValues: { ':a': n('99999999999999999999999999999999999999'), ':b': n('1') },
        },
      ),
      update(
        'item-update-fn',
        { pk: s('a') },
        {
          UpdateExpression: 'SET small = :a - :b',
          ExpressionAttributeValues: { ':a': n('0.1'), ':b': n('0.3') },
          ReturnValues: 'UPDATED_NEW',
        },
      ),
    ],
  },
  {
    name: 'UpdateItem conditions',
    steps: [
      createTable('item-update-cond'),
      update(
        'item-update-cond',
        { pk: s('a') },
        {
          UpdateExpression: 'SET v = :v',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':v': n(1) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      ),
      update(
        'item-update-cond',
        { pk: s('a') },
        {
          UpdateExpression: 'SET v = :v',
          ConditionExpression: 'attribute_not_exists(v)',
          ExpressionAttributeValues: { ':v': n(1) },
        },
      ),
      update(
        'item-update-cond',
        { pk: s('a') },
        {
          UpdateExpression: 'SET v = :v',
          ConditionExpression: 'v = :old',
          ExpressionAttributeValues: { ':v': n(2), ':old': n(5) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      ),
      update(
        'item-update-cond',
        { pk: s('a') },
        {
          UpdateExpression: 'SET v = :v',
          ConditionExpression: 'v = :old',
          ExpressionAttributeValues: { ':v': n(2), ':old': n(1) },
          ReturnValues: 'UPDATED_OLD',
        },
      ),
    ],
  },
  {
    name: 'DeleteItem ReturnValues and conditions',
    steps: [
      createTable('item-delete'),
      put('item-delete', { pk: s('a'), v: n(1) }),
      put('item-delete', { pk: s('b'), v: n(2) }),
      remove('item-delete', { pk: s('missing') }, { ReturnValues: 'ALL_OLD' }),
      remove(
        'item-delete',
        { pk: s('a') },
        {
          ConditionExpression: 'v = :v',
          ExpressionAttributeValues: { ':v': n(9) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      ),
      remove(
        'item-delete',
        { pk: s('a') },
        { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': n(1) }, ReturnValues: 'ALL_OLD' },
      ),
      remove('item-delete', { pk: s('b') }, { ReturnValues: 'NONE' }),
      remove(
        'item-delete',
        { pk: s('gone') },
        { ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      ),
      get('item-delete', { pk: s('a') }),
    ],
  },
  {
    name: 'Composite keys of number and binary types',
    steps: [
      createTable('item-composite', { hash: ['id', 'N'], range: ['sk', 'B'] }),
      put('item-composite', { id: n('1.0'), sk: { B: new Uint8Array([0]) }, v: s('a') }),
      put('item-composite', { id: n(1), sk: { B: new Uint8Array([0, 1]) }, v: s('b') }),
      get('item-composite', { id: n('1.00'), sk: { B: new Uint8Array([0]) } }),
      update(
        'item-composite',
        { id: n(1), sk: { B: new Uint8Array([0, 1]) } },
        {
          UpdateExpression: 'SET v = :v',
          ExpressionAttributeValues: { ':v': s('c') },
          ReturnValues: 'ALL_OLD',
        },
      ),
      remove('item-composite', { id: n(1), sk: { B: new Uint8Array([0]) } }, { ReturnValues: 'ALL_OLD' }),
      describe('item-composite'),
    ],
  },
  {
    name: 'A table without a stream',
    steps: [
      createTable('item-no-stream'),
      put('item-no-stream', { pk: s('a') }),
      readStream('item-no-stream'),
      describe('item-no-stream'),
    ],
  },
];

export { itemScenarios };
