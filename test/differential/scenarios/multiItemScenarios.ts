import type { Scenario } from '../Scenario.js';
import {
  batchGet,
  batchWrite,
  createTable,
  deleteRequest,
  get,
  n,
  put,
  putRequest,
  readStream,
  s,
  transactGet,
  transactWrite,
} from './steps.js';

/** BatchWriteItem, BatchGetItem, TransactWriteItems and TransactGetItems, with the stream records they write. */
const multiItemScenarios: readonly Scenario[] = [
  {
    name: 'BatchWriteItem puts and deletes across tables, and their stream records',
    steps: [
      createTable('multi-batch-a', { stream: 'NEW_AND_OLD_IMAGES' }),
      createTable('multi-batch-b', { hash: ['id', 'N'], stream: 'KEYS_ONLY' }),
      put('multi-batch-a', { pk: s('old'), v: n(1) }),
      batchWrite({
        'multi-batch-a': [
          putRequest({ pk: s('x'), v: n(1) }),
          putRequest({ pk: s('old'), v: n(1) }),
          putRequest({ pk: s('y'), v: { L: [s('a')] } }),
          deleteRequest({ pk: s('missing') }),
        ],
        'multi-batch-b': [putRequest({ id: n(1) }), putRequest({ id: n(2), v: s('two') })],
      }),
      batchWrite({
        'multi-batch-a': [deleteRequest({ pk: s('old') }), putRequest({ pk: s('x'), v: n(2) })],
        'multi-batch-b': [deleteRequest({ id: n(1) })],
      }),
      batchGet({
        'multi-batch-a': { Keys: [{ pk: s('x') }, { pk: s('y') }, { pk: s('missing') }] },
        'multi-batch-b': { Keys: [{ id: n(2) }], ProjectionExpression: 'v' },
      }),
      // DynamoDB applies a batch's writes in no defined order: only each item's own records are ordered.
      readStream('multi-batch-a', 'per-item'),
      readStream('multi-batch-b', 'per-item'),
    ],
  },
  {
    name: 'BatchWriteItem refusals',
    steps: [
      createTable('multi-batch-bad'),
      batchWrite({ 'multi-batch-bad': [putRequest({ pk: s('a') }), putRequest({ pk: s('a'), v: n(1) })] }),
      batchWrite({ 'multi-batch-bad': [putRequest({ pk: s('a') }), deleteRequest({ pk: s('a') })] }),
      batchWrite({
        'multi-batch-bad': Array.from({ length: 26 }, (_, i) => putRequest({ pk: s(`k${i}`) })),
      }),
      batchWrite({ 'multi-batch-bad': [] }),
      batchWrite({}),
      batchWrite({ 'multi-batch-nowhere': [putRequest({ pk: s('a') })] }),
      batchWrite({ 'multi-batch-bad': [putRequest({ other: s('a') })] }),
      get('multi-batch-bad', { pk: s('a') }),
    ],
  },
  {
    name: 'BatchGetItem and TransactGetItems refusals',
    steps: [
      createTable('multi-get-bad'),
      put('multi-get-bad', { pk: s('a') }),
      batchGet({ 'multi-get-bad': { Keys: [{ pk: s('a') }, { pk: s('a') }] } }),
      batchGet({ 'multi-get-bad': { Keys: [{ other: s('a') }] } }),
      batchGet({ 'multi-get-nowhere': { Keys: [{ pk: s('a') }] } }),
      transactGet([
        { Get: { TableName: 'multi-get-bad', Key: { pk: s('a') } } },
        { Get: { TableName: 'multi-get-bad', Key: { pk: s('a') } } },
      ]),
    ],
  },
  {
    name: 'BatchGetItem of more than 100 keys',
    // A bug found at c4366a7 and fixed since: Eddy echoed the keys in an older wording of the 100-key limit.
    steps: [
      createTable('bug-batch-get-101'),
      batchGet({
        'bug-batch-get-101': { Keys: Array.from({ length: 101 }, (_, i) => ({ pk: s(`k${i}`) })) },
      }),
    ],
  },
  {
    name: 'TransactGetItems of a key without its key attributes',
    // A bug found at c4366a7 and fixed since: Eddy failed the request where DynamoDB cancels the transaction.
    steps: [
      createTable('bug-tx-get-key'),
      createTable('bug-tx-get-key-composite', { range: ['sk', 'N'] }),
      put('bug-tx-get-key', { pk: s('a'), v: n(1) }),
      transactGet([{ Get: { TableName: 'bug-tx-get-key', Key: { other: s('a') } } }]),
      transactGet([
        { Get: { TableName: 'bug-tx-get-key', Key: { pk: s('a') } } },
        { Get: { TableName: 'bug-tx-get-key-composite', Key: { pk: s('a') } } },
      ]),
      transactGet([{ Get: { TableName: 'bug-tx-get-key-composite', Key: { pk: s('a'), sk: s('1') } } }]),
    ],
  },
  {
    name: 'TransactWriteItems that succeed, and their stream records',
    steps: [
      createTable('multi-tx', { stream: 'NEW_AND_OLD_IMAGES' }),
      put('multi-tx', { pk: s('upd'), v: n(1) }),
      put('multi-tx', { pk: s('del'), v: n(1) }),
      put('multi-tx', { pk: s('check'), v: n(1) }),
      transactWrite([
        {
          Put: {
            TableName: 'multi-tx',
            Item: { pk: s('new'), v: n(1) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: 'multi-tx',
            Key: { pk: s('upd') },
            UpdateExpression: 'SET v = v + :one',
            ExpressionAttributeValues: { ':one': n(1) },
          },
        },
        { Delete: { TableName: 'multi-tx', Key: { pk: s('del') } } },
        {
          ConditionCheck: {
            TableName: 'multi-tx',
            Key: { pk: s('check') },
            ConditionExpression: 'v = :one',
            ExpressionAttributeValues: { ':one': n(1) },
          },
        },
      ]),
      transactGet([
        { Get: { TableName: 'multi-tx', Key: { pk: s('new') } } },
        { Get: { TableName: 'multi-tx', Key: { pk: s('del') } } },
        { Get: { TableName: 'multi-tx', Key: { pk: s('upd') }, ProjectionExpression: 'v' } },
      ]),
      readStream('multi-tx'),
    ],
  },
  {
    name: 'TransactWriteItems that are cancelled or refused write nothing',
    steps: [
      createTable('multi-tx-cancel', { stream: 'NEW_AND_OLD_IMAGES' }),
      put('multi-tx-cancel', { pk: s('a'), v: n(1) }),
      transactWrite([
        { Put: { TableName: 'multi-tx-cancel', Item: { pk: s('b'), v: n(1) } } },
        {
          Update: {
            TableName: 'multi-tx-cancel',
            Key: { pk: s('a') },
            UpdateExpression: 'SET v = :two',
            ConditionExpression: 'v = :zero',
            ExpressionAttributeValues: { ':two': n(2), ':zero': n(0) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ]),
      transactWrite([
        { Put: { TableName: 'multi-tx-cancel', Item: { pk: s('a'), v: n(3) } } },
        { Delete: { TableName: 'multi-tx-cancel', Key: { pk: s('a') } } },
      ]),
      transactWrite([]),
      transactWrite([{ Put: { TableName: 'multi-tx-nowhere', Item: { pk: s('a') } } }]),
      get('multi-tx-cancel', { pk: s('b') }),
      readStream('multi-tx-cancel'),
    ],
  },
];

export { multiItemScenarios };
