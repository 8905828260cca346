import type { Scenario } from '../Scenario.js';
import {
  batchGet,
  batchWrite,
  createTable,
  deleteRequest,
  describe,
  get,
  n,
  put,
  putRequest,
  query,
  readStream,
  remove,
  s,
  scan,
  secondaryIndex,
  transactGet,
  transactWrite,
  update,
} from './steps.js';

const BIG = 'x'.repeat(400 * 1024);

/** Requests DynamoDB refuses: the error name, namespace and message must be DynamoDB's. */
const validationScenarios: readonly Scenario[] = [
  {
    name: 'CreateTable refusals',
    steps: [
      createTable('valid-create'),
      createTable('valid-create'),
      createTable('no'),
      createTable('bad name!'),
      // Each a valid table but for one thing: the key pk has no attribute definition; an attribute is defined
      // that no key uses; the only key is a sort key.
      createTable(
        'valid-create-undefined-key',
        {},
        { AttributeDefinitions: [{ AttributeName: 'other', AttributeType: 'S' }] },
      ),
      createTable('valid-create-extra-def', { moreAttributes: [['other', 'S']] }),
      createTable('valid-create-range-first', {}, { KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }] }),
      // Left out: StreamEnabled without a StreamViewType. DynamoDB Local says "Invalid StreamViewType: Stream
      // ViewType must not be null or empty when enabling streams.", Eddy "One or more parameter values were
      // invalid: Must specify a StreamViewType when StreamEnabled is true"; no recording of DynamoDB's own
      // wording was found to say which (if either) is right.
      createTable('valid-create-provisioned', {}, { BillingMode: 'PROVISIONED' }),
      createTable(
        'valid-create-both',
        {},
        { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      ),
    ],
  },
  {
    name: 'item operations on a missing table',
    steps: [
      put('valid-nowhere', { pk: s('a') }),
      get('valid-nowhere', { pk: s('a') }),
      update('valid-nowhere', { pk: s('a') }),
      remove('valid-nowhere', { pk: s('a') }),
      describe('valid-nowhere'),
    ],
  },
  {
    name: 'keys that do not match the key schema',
    steps: [
      createTable('valid-keys', { range: ['sk', 'N'] }),
      put('valid-keys', { pk: s('a') }),
      put('valid-keys', { pk: n(1), sk: n(1) }),
      put('valid-keys', { pk: s(''), sk: n(1) }),
      put('valid-keys', { sk: n(1), v: s('x') }),
      get('valid-keys', { pk: s('a') }),
      get('valid-keys', { pk: s('a'), sk: n(1), extra: s('x') }),
      get('valid-keys', { pk: s('a'), sk: s('1') }),
      update(
        'valid-keys',
        { pk: s('a'), sk: n(1) },
        { UpdateExpression: 'SET sk = :v', ExpressionAttributeValues: { ':v': n(2) } },
      ),
      update('valid-keys', { pk: s('a'), sk: n(1) }, { UpdateExpression: 'REMOVE pk' }),
      remove('valid-keys', { pk: s('a') }),
    ],
  },
  {
    name: 'ReturnValues a write does not allow',
    steps: [
      createTable('valid-return'),
      put('valid-return', { pk: s('a') }, { ReturnValues: 'UPDATED_NEW' }),
      put('valid-return', { pk: s('a') }, { ReturnValues: 'ALL_NEW' }),
      put('valid-return', { pk: s('a') }, { ReturnValues: 'BOGUS' }),
      remove('valid-return', { pk: s('a') }, { ReturnValues: 'UPDATED_OLD' }),
      update('valid-return', { pk: s('a') }, { ReturnValues: 'bogus' }),
    ],
  },
  {
    name: 'attribute values DynamoDB refuses',
    steps: [
      createTable('valid-values'),
      put('valid-values', { pk: s('a'), v: { SS: [] } }),
      put('valid-values', { pk: s('a'), v: { SS: ['x', 'x'] } }),
      put('valid-values', { pk: s('a'), v: n('1234567890123456789012345678901234567890') }),
      put('valid-values', { pk: s('a'), v: n('1e126') }),
      put('valid-values', { pk: s('a'), v: n('1e-131') }),
      put('valid-values', { pk: s('a'), v: n('abc') }),
      put('valid-values', { pk: s('a'), v: n('') }),
      put('valid-values', { pk: s('a'), big: s(BIG) }),
      put('valid-values', { pk: s('a'), v: { BOOL: true, S: 'x' } }),
      put('valid-values', { pk: s('a'), v: {} }),
    ],
  },
  {
    name: 'expression errors',
    steps: [
      createTable('valid-expr'),
      put('valid-expr', { pk: s('a'), v: n(1), str: s('x'), l: { L: [] } }),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'SET v = ', ExpressionAttributeValues: { ':v': n(1) } },
      ),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': n(1), ':unused': n(2) } },
      ),
      update('valid-expr', { pk: s('a') }, { UpdateExpression: 'SET v = :missing' }),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'SET size = :v', ExpressionAttributeValues: { ':v': n(1) } },
      ),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'SET #n = :v', ExpressionAttributeValues: { ':v': n(1) } },
      ),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'SET v = :v, v = :v', ExpressionAttributeValues: { ':v': n(1) } },
      ),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'SET str = str + :one', ExpressionAttributeValues: { ':one': n(1) } },
      ),
      update('valid-expr', { pk: s('a') }, { UpdateExpression: 'SET v = nothing' }),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'ADD str :one', ExpressionAttributeValues: { ':one': n(1) } },
      ),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'SET l = list_append(l, :s)', ExpressionAttributeValues: { ':s': s('x') } },
      ),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'SET missing.child = :one', ExpressionAttributeValues: { ':one': n(1) } },
      ),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'SET str.child = :one', ExpressionAttributeValues: { ':one': n(1) } },
      ),
      update(
        'valid-expr',
        { pk: s('a') },
        { UpdateExpression: 'DELETE v :one', ExpressionAttributeValues: { ':one': n(1) } },
      ),
      update(
        'valid-expr',
        { pk: s('a') },
        {
          UpdateExpression: 'SET v = :v',
          ExpressionAttributeNames: { '#unused': 'x' },
          ExpressionAttributeValues: { ':v': n(1) },
        },
      ),
      update('valid-expr', { pk: s('a') }, { UpdateExpression: '' }),
      put('valid-expr', { pk: s('a') }, { ConditionExpression: 'v = ' }),
      put(
        'valid-expr',
        { pk: s('a') },
        { ConditionExpression: 'v = :v AND', ExpressionAttributeValues: { ':v': n(1) } },
      ),
      put('valid-expr', { pk: s('a') }, { ConditionExpression: 'unknown_fn(v)' }),
      put(
        'valid-expr',
        { pk: s('a') },
        { ConditionExpression: 'attribute_type(v, :t)', ExpressionAttributeValues: { ':t': s('XX') } },
      ),
      put('valid-expr', { pk: s('a') }, { ConditionExpression: 'size(v)' }),
      get('valid-expr', { pk: s('a') }, { ProjectionExpression: 'v, v' }),
      get(
        'valid-expr',
        { pk: s('a') },
        { ProjectionExpression: 'v', ExpressionAttributeValues: { ':v': n(1) } },
      ),
    ],
  },
  {
    name: 'item size and number limits at their boundaries',
    steps: [
      createTable('valid-limits', { stream: 'KEYS_ONLY' }),
      // 400 KB is 409 600 bytes of names and values: pk (2) + a (1) + d (1) + the string.
      put('valid-limits', { pk: s('a'), d: s('x'.repeat(409_596)) }),
      put('valid-limits', { pk: s('b'), d: s('x'.repeat(409_597)) }),
      put('valid-limits', { pk: s('c'), d: s('é'.repeat(204_798)) }),
      put('valid-limits', { pk: s('c'), d: s('é'.repeat(204_799)) }),
      update(
        'valid-limits',
        { pk: s('a') },
        { UpdateExpression: 'SET e = :e', ExpressionAttributeValues: { ':e': s('y') } },
      ),
      update(
        'valid-limits',
        { pk: s('a') },
        { UpdateExpression: 'REMOVE d SET e = :e', ExpressionAttributeValues: { ':e': s('y') } },
      ),
      put('valid-limits', { pk: s('n'), v: n('9.9999999999999999999999999999999999999E+125') }),
      put('valid-limits', { pk: s('n'), v: n('1E-130') }),
      put('valid-limits', { pk: s('n'), v: n('12345678901234567890123456789012345678') }),
      put('valid-limits', { pk: s('n'), v: n('0.00000000000000000000000000000000000001') }),
      get('valid-limits', { pk: s('n') }),
      update(
        'valid-limits',
        { pk: s('n') },
        {
          UpdateExpression: 'SET v = v + :big',
          ExpressionAttributeValues: { ':big': n('9.9999999999999999999999999999999999999E+125') },
        },
      ),
      put('valid-limits', { pk: s('x'.repeat(2048)) }),
      readStream('valid-limits'),
    ],
  },
  {
    name: 'names with dots, reserved words and nested projections',
    steps: [
      createTable('valid-names'),
      put('valid-names', {
        pk: s('a'),
        'a.b': s('dotted'),
        a: { M: { b: s('nested') } },
        l: { L: [{ M: { x: n(1) } }] },
      }),
      get(
        'valid-names',
        { pk: s('a') },
        { ProjectionExpression: '#ab, a.b, l[0].x, l[3]', ExpressionAttributeNames: { '#ab': 'a.b' } },
      ),
      update(
        'valid-names',
        { pk: s('a') },
        {
          UpdateExpression: 'SET #ab = :v',
          ExpressionAttributeNames: { '#ab': 'a.b' },
          ExpressionAttributeValues: { ':v': s('changed') },
          ReturnValues: 'UPDATED_NEW',
        },
      ),
      get('valid-names', { pk: s('a') }, { ProjectionExpression: 'name' }),
      get(
        'valid-names',
        { pk: s('a') },
        { ProjectionExpression: '#n, #n', ExpressionAttributeNames: { '#n': 'a' } },
      ),
      get('valid-names', { pk: s('a') }, { ProjectionExpression: 'a, a.b' }),
      update(
        'valid-names',
        { pk: s('a') },
        {
          UpdateExpression: 'SET a.c = :v, a.b = :w',
          ExpressionAttributeValues: { ':v': n(1), ':w': n(2) },
          ReturnValues: 'UPDATED_OLD',
        },
      ),
      update(
        'valid-names',
        { pk: s('a') },
        {
          UpdateExpression: 'SET l[0].x = :v REMOVE l[0].y',
          ExpressionAttributeValues: { ':v': n(5) },
          ReturnValues: 'UPDATED_NEW',
        },
      ),
    ],
  },
  // One scenario per bug found, so the scenarios above stay compared while a bug is open.
  {
    name: 'ReturnValuesOnConditionCheckFailure outside its enum',
    // A bug found at 8d565d3 and fixed since: Eddy accepted ALL_NEW here and wrote the item.
    steps: [
      createTable('bug-rvoccf'),
      put('bug-rvoccf', { pk: s('a') }, { ReturnValuesOnConditionCheckFailure: 'ALL_NEW' }),
      update('bug-rvoccf', { pk: s('a') }, { ReturnValuesOnConditionCheckFailure: 'UPDATED_OLD' }),
      remove('bug-rvoccf', { pk: s('a') }, { ReturnValuesOnConditionCheckFailure: 'bogus' }),
    ],
  },
  {
    name: 'key values over their size limits',
    // A bug found at c4366a7 and fixed since: Eddy accepted (and streamed) oversized key values.
    steps: [
      createTable('bug-key-size', { range: ['sk', 'S'], stream: 'KEYS_ONLY' }),
      put('bug-key-size', { pk: s('x'.repeat(2048)), sk: s('y'.repeat(1024)) }),
      put('bug-key-size', { pk: s('é'.repeat(1024)), sk: s('ü'.repeat(512)) }),
      put('bug-key-size', { pk: s('x'.repeat(2049)), sk: s('y') }),
      put('bug-key-size', { pk: s('x'), sk: s('y'.repeat(1025)) }),
      put('bug-key-size', { pk: s('é'.repeat(1025)), sk: s('y') }),
      get('bug-key-size', { pk: s('x'.repeat(2049)), sk: s('y') }),
      get('bug-key-size', { pk: s('x'), sk: s('y'.repeat(1025)) }),
      get('bug-key-size', { pk: s('x'.repeat(2048)), sk: s('y'.repeat(1024)) }),
      update(
        'bug-key-size',
        { pk: s('x'), sk: s('y'.repeat(1025)) },
        { UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': n(1) } },
      ),
      remove('bug-key-size', { pk: s('x'.repeat(2049)), sk: s('y') }),
      batchWrite({ 'bug-key-size': [putRequest({ pk: s('x'), sk: s('y'.repeat(1025)) })] }),
      batchWrite({ 'bug-key-size': [deleteRequest({ pk: s('x'.repeat(2049)), sk: s('y') })] }),
      batchGet({ 'bug-key-size': { Keys: [{ pk: s('x'), sk: s('y'.repeat(1025)) }] } }),
      transactGet([{ Get: { TableName: 'bug-key-size', Key: { pk: s('x'.repeat(2049)), sk: s('y') } } }]),
      // A Query's sort key condition values have the sort key's limit. (DynamoDB refuses an oversized partition
      // key value in a Query too, with the hashkey message; DynamoDB Local answers it with an empty page.)
      query('bug-key-size', {
        KeyConditionExpression: 'pk = :p AND sk = :s',
        ExpressionAttributeValues: { ':p': s('x'), ':s': s('y'.repeat(1025)) },
      }),
      query('bug-key-size', {
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': s('x'), ':s': s('y'.repeat(1025)) },
      }),
      query('bug-key-size', {
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':p': s('x'), ':a': s('a'), ':b': s('y'.repeat(1025)) },
      }),
      query('bug-key-size', {
        KeyConditions: {
          pk: { ComparisonOperator: 'EQ', AttributeValueList: [s('x')] },
          sk: { ComparisonOperator: 'GT', AttributeValueList: [s('y'.repeat(1025))] },
        },
      }),
      readStream('bug-key-size'),
    ],
  },
  {
    name: 'index key values over their size limits',
    steps: [
      createTable(
        'bug-index-key-size',
        {
          range: ['sk', 'S'],
          moreAttributes: [
            ['g', 'S'],
            ['h', 'B'],
            ['l', 'S'],
          ],
        },
        {
          GlobalSecondaryIndexes: [
            secondaryIndex('by-g', ['g', 'h'], { ProjectionType: 'ALL' }),
            secondaryIndex('by-sk-pk', ['sk', 'pk'], { ProjectionType: 'KEYS_ONLY' }),
          ],
          LocalSecondaryIndexes: [secondaryIndex('by-l', ['pk', 'l'], { ProjectionType: 'ALL' })],
        },
      ),
      put('bug-index-key-size', {
        pk: s('a'),
        sk: s('a'),
        g: s('x'.repeat(2048)),
        h: { B: new Uint8Array(1024) },
        l: s('y'.repeat(1024)),
      }),
      put('bug-index-key-size', { pk: s('a'), sk: s('b'), g: s('x'.repeat(2049)) }),
      put('bug-index-key-size', { pk: s('a'), sk: s('c'), g: s('x'), h: { B: new Uint8Array(1025) } }),
      put('bug-index-key-size', { pk: s('a'), sk: s('d'), l: s('y'.repeat(1025)) }),
      // The table's partition key is the second index's sort key: over 1024 bytes, it fits the table only.
      put('bug-index-key-size', { pk: s('p'.repeat(1025)), sk: s('e') }),
      update(
        'bug-index-key-size',
        { pk: s('a'), sk: s('a') },
        { UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': s('x'.repeat(2049)) } },
      ),
      scan('bug-index-key-size', { ProjectionExpression: 'pk, sk' }),
    ],
  },
  {
    name: 'duplicate number set members',
    // A bug found at c4366a7 and fixed since: Eddy worded a number set's duplicates as a string set's.
    steps: [
      createTable('bug-ns-dup'),
      put('bug-ns-dup', { pk: s('a'), v: { NS: ['1', '1.0'] } }),
      put('bug-ns-dup', { pk: s('a'), v: { NS: ['2', '1', '2'] } }),
      put('bug-ns-dup', { pk: s('a'), v: { NS: ['10', '1e1'] } }),
      put('bug-ns-dup', { pk: s('a'), v: { NS: ['1', '1.5', '-1'] } }),
      get('bug-ns-dup', { pk: s('a') }),
      get('bug-ns-dup', { pk: { NS: ['1', '1.00'] } }),
    ],
  },
  {
    name: 'duplicate binary set members',
    steps: [
      createTable('bug-bs-dup'),
      put('bug-bs-dup', {
        pk: s('a'),
        v: { BS: [new Uint8Array([255]), new Uint8Array([0]), new Uint8Array([0])] },
      }),
      batchWrite({
        'bug-bs-dup': [putRequest({ pk: s('a'), v: { BS: [new Uint8Array([1]), new Uint8Array([1])] } })],
      }),
    ],
  },
  {
    name: 'ExpressionAttributeValues without an expression',
    // A bug found at 8d565d3 and fixed since: Eddy ignored the values and created the item.
    steps: [
      createTable('bug-eav-alone'),
      update('bug-eav-alone', { pk: s('a') }, { ExpressionAttributeValues: { ':v': n(1) } }),
      get('bug-eav-alone', { pk: s('a') }),
    ],
  },
  {
    name: 'an empty set in ExpressionAttributeValues',
    // A bug found at c4366a7 and fixed since: Eddy did not check the values of ExpressionAttributeValues in
    // writes, so an invalid one reached the condition (ConditionalCheckFailedException) or the item.
    steps: [
      createTable('bug-eav-empty-set'),
      // One condition, with the empty set of each type in turn: three requests, each refused on its own.
      ...(['SS', 'NS', 'BS'] as const).map((type) =>
        put(
          'bug-eav-empty-set',
          { pk: s('a') },
          { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { [type]: [] } } },
        ),
      ),
      update(
        'bug-eav-empty-set',
        { pk: s('a') },
        { UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { NS: ['1', '1.0'] } } },
      ),
      update(
        'bug-eav-empty-set',
        { pk: s('a') },
        { UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { L: [{ SS: [] }] } } },
      ),
      remove(
        'bug-eav-empty-set',
        { pk: s('a') },
        { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { NULL: false } } },
      ),
      remove(
        'bug-eav-empty-set',
        { pk: s('a') },
        { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { M: { x: { NS: [] } } } } },
      ),
      query('bug-eav-empty-set', {
        KeyConditionExpression: 'pk = :v',
        ExpressionAttributeValues: { ':v': { SS: [] } },
      }),
      scan('bug-eav-empty-set', {
        FilterExpression: 'v = :v',
        ExpressionAttributeValues: { ':v': { NS: ['2', '2'] } },
      }),
      transactWrite([
        {
          ConditionCheck: {
            TableName: 'bug-eav-empty-set',
            Key: { pk: s('a') },
            ConditionExpression: 'v = :v',
            ExpressionAttributeValues: { ':v': { BS: [] } },
          },
        },
      ]),
      get('bug-eav-empty-set', { pk: s('a') }),
    ],
  },
];

export { validationScenarios };
