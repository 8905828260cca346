import {
  type AttributeValue,
  BatchExecuteStatementCommand,
  type BatchStatementRequest,
  CreateTableCommand,
  ExecuteStatementCommand,
  type ExecuteStatementCommandInput,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, expectAwsError } from '../../helpers/awsError.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { botocoreView, recordedContent, withoutMetadata } from '../../helpers/recordedSnapshot.js';
import { createStreamTable, streamRecords } from '../../helpers/streamRecords.js';

/**
 * PartiQL through the real SDK: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction, their results,
 * paging, parameters, DynamoDB's error messages, and the stream records each write produces. Messages come from
 * the AWS recordings (test_dynamodb.snapshot.json) where they have them, else from DynamoDB Local 3.x, whose
 * PartiQL front end is DynamoDB's.
 */

let h: EmulatorHarness;
let usersStream: string;
let eventsStream: string;
beforeAll(async () => {
  h = await startHarness();
  usersStream = await createStreamTable(h.dynamodb, 'pq_users');
  eventsStream = await createStreamTable(h.dynamodb, 'pq_events', { sortKey: true });
  await h.dynamodb.send(
    new CreateTableCommand({
      TableName: 'pq_indexed',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'city', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byCity',
          KeySchema: [{ AttributeName: 'city', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
});
afterAll(() => h.close());

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

const execute = (Statement: string, extra: Omit<ExecuteStatementCommandInput, 'Statement'> = {}) =>
  h.dynamodb.send(new ExecuteStatementCommand({ Statement, ...extra }));
const batch = (Statements: BatchStatementRequest[], extra: object = {}) =>
  h.dynamodb.send(new BatchExecuteStatementCommand({ Statements, ...extra }));
const transact = (statements: (string | BatchStatementRequest)[], extra: object = {}) =>
  h.dynamodb.send(
    new ExecuteTransactionCommand({
      TransactStatements: statements.map((s) => (typeof s === 'string' ? { Statement: s } : s)),
      ...extra,
    }),
  );
const getItem = async (table: string, key: Record<string, AttributeValue>) =>
  (await h.dynamodb.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
const recordCount = async (streamArn: string) => (await streamRecords(h.streams, streamArn)).length;
/** The stream records written since `before` records were there. */
const newRecords = async (streamArn: string, before: number) =>
  (await streamRecords(h.streams, streamArn)).slice(before);
const VALIDATION = 'ValidationException';

describe('ExecuteStatement: writes and their stream records', () => {
  it('INSERT writes the item (an INSERT record); a second INSERT of its key is a DuplicateItemException', async () => {
    const before = await recordCount(usersStream);
    const inserted = await execute(
      `INSERT INTO pq_users VALUE {'pk': 'ann', 'age': 30, 'tags': <<'a', 'b'>>, 'address': {'city': 'Oslo', 'lines': ['x', 1]}, 'vip': true, 'note': null}`,
    );
    expect(inserted.Items).toEqual([]);
    expect(await getItem('pq_users', { pk: S('ann') })).toEqual({
      pk: S('ann'),
      age: N(30),
      tags: { SS: ['a', 'b'] },
      address: { M: { city: S('Oslo'), lines: { L: [S('x'), N(1)] } } },
      vip: { BOOL: true },
      note: { NULL: true },
    });
    await expectAwsError(
      execute(`INSERT INTO "pq_users" VALUE {'pk': 'ann'}`),
      'DuplicateItemException',
      'Duplicate primary key exists in table',
    );
    const records = await newRecords(usersStream, before);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT']);
    expect(records[0]?.dynamodb?.Keys).toEqual({ pk: S('ann') });
    expect(records[0]?.dynamodb?.NewImage?.age).toEqual(N(30));
  });

  it('UPDATE sets, computes and removes attributes of an existing item (a MODIFY record with both images)', async () => {
    await execute(`INSERT INTO pq_users VALUE {'pk': 'bob', 'age': 40, 'tmp': 'x', 'tags': <<'a'>>}`);
    const before = await recordCount(usersStream);
    const updated = await execute(
      `UPDATE pq_users SET age = age + 1 SET tags = set_add(tags, <<'b'>>), "nick name" = 'B' REMOVE tmp WHERE pk = 'bob' RETURNING ALL NEW *`,
    );
    expect(updated.Items).toEqual([
      { pk: S('bob'), age: N(41), tags: { SS: ['a', 'b'] }, 'nick name': S('B') },
    ]);
    const records = await newRecords(usersStream, before);
    expect(records.map((r) => r.eventName)).toEqual(['MODIFY']);
    expect(records[0]?.dynamodb?.OldImage).toEqual({
      pk: S('bob'),
      age: N(40),
      tmp: S('x'),
      tags: { SS: ['a'] },
    });
    expect(records[0]?.dynamodb?.NewImage?.age).toEqual(N(41));
  });

  it('RETURNING MODIFIED OLD * and MODIFIED NEW * return only the attributes the update touched', async () => {
    await execute(`INSERT INTO pq_users VALUE {'pk': 'cy', 'a': 1, 'b': 2}`);
    expect(
      (await execute(`UPDATE pq_users SET a = 5 WHERE pk = 'cy' RETURNING MODIFIED OLD *`)).Items,
    ).toEqual([{ a: N(1) }]);
    expect(
      (await execute(`UPDATE pq_users SET b = 7 WHERE pk = 'cy' RETURNING MODIFIED NEW *`)).Items,
    ).toEqual([{ b: N(7) }]);
    expect((await execute(`UPDATE pq_users SET c = 1 WHERE pk = 'cy' RETURNING ALL OLD *`)).Items).toEqual([
      { pk: S('cy'), a: N(5), b: N(7) },
    ]);
  });

  it('an UPDATE of a key attribute is refused, after its WHERE clause', async () => {
    await expectAwsError(
      execute(`UPDATE pq_users SET pk = 'x' WHERE pk = 'nobody'`),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    await execute(`INSERT INTO pq_users VALUE {'pk': 'keyed'}`);
    await expectAwsError(
      execute(`UPDATE pq_users SET pk = 'x' WHERE pk = 'keyed'`),
      VALIDATION,
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
  });

  it('UPDATE of an item that does not exist, or whose condition fails, writes nothing', async () => {
    await execute(`INSERT INTO pq_users VALUE {'pk': 'dee', 'age': 20}`);
    const before = await recordCount(usersStream);
    await expectAwsError(
      execute(`UPDATE pq_users SET age = 1 WHERE pk = 'nobody'`),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    const failed = await awsError(
      execute(`UPDATE pq_users SET age = 21 WHERE pk = 'dee' AND age > 30`, {
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    expect(failed.name).toBe('ConditionalCheckFailedException');
    expect(failed.Item).toEqual({ pk: S('dee'), age: N(20) });
    await execute(`UPDATE pq_users SET age = 21 WHERE pk = 'dee' AND age < 30 AND nick IS MISSING`);
    expect(await getItem('pq_users', { pk: S('dee') })).toEqual({ pk: S('dee'), age: N(21) });
    expect((await newRecords(usersStream, before)).map((r) => r.eventName)).toEqual(['MODIFY']);
  });

  it('DELETE removes the item (a REMOVE record); deleting nothing succeeds without a record', async () => {
    await execute(`INSERT INTO pq_users VALUE {'pk': 'eve', 'age': 50}`);
    const before = await recordCount(usersStream);
    await expectAwsError(
      execute(`DELETE FROM pq_users WHERE pk = 'eve' AND age = 1`),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    const deleted = await execute(`DELETE FROM pq_users WHERE pk = 'eve' AND age = 50 RETURNING ALL OLD *`);
    expect(deleted.Items).toEqual([{ pk: S('eve'), age: N(50) }]);
    expect((await execute(`DELETE FROM pq_users WHERE pk = 'eve'`)).Items).toEqual([]);
    const records = await newRecords(usersStream, before);
    expect(records.map((r) => r.eventName)).toEqual(['REMOVE']);
    expect(records[0]?.dynamodb?.OldImage).toEqual({ pk: S('eve'), age: N(50) });
  });

  it('reports consumed capacity as the item writes do', async () => {
    const written = await execute(`INSERT INTO pq_users VALUE {'pk': 'cap'}`, {
      ReturnConsumedCapacity: 'TOTAL',
    });
    expect(written.ConsumedCapacity).toEqual({
      TableName: 'pq_users',
      CapacityUnits: 1,
      WriteCapacityUnits: 1,
    });
    const read = await execute(`SELECT * FROM pq_users WHERE pk = 'cap'`, {
      ReturnConsumedCapacity: 'TOTAL',
      ConsistentRead: true,
    });
    expect(read.ConsumedCapacity).toEqual({ TableName: 'pq_users', CapacityUnits: 1, ReadCapacityUnits: 1 });
  });
});

describe('ExecuteStatement: parameters', () => {
  it('binds ? to Parameters in order, anywhere a value goes', async () => {
    await execute(`INSERT INTO pq_users VALUE {'pk': ?, 'data': ?, 'bin': ?}`, {
      Parameters: [S('par'), { M: { n: N(1) } }, { B: new Uint8Array([1, 2, 3]) }],
    });
    const { Items } = await execute(`SELECT data, bin FROM pq_users WHERE pk = ? AND data.n = ?`, {
      Parameters: [S('par'), N(1)],
    });
    expect(Items).toEqual([{ data: { M: { n: N(1) } }, bin: { B: new Uint8Array([1, 2, 3]) } }]);
  });

  it('refuses too few parameters, and an empty Parameters list (the recorded message)', async () => {
    await expectAwsError(
      execute(`SELECT * FROM pq_users WHERE pk = ? AND age = ?`, { Parameters: [S('x')] }),
      VALIDATION,
      "Number of parameters in request and statement don't match.",
    );
    const recorded = recordedContent(
      'test_dynamodb.snapshot.json',
      'test_dynamodb_execute_statement_empy_parameter',
    )['invalid-param-error'] as { Error: { Code: string; Message: string } };
    await expectAwsError(
      execute(`SELECT * FROM pq_users`, { Parameters: [] }),
      recorded.Error.Code,
      recorded.Error.Message,
    );
  });
});

describe('ExecuteStatement: SELECT', () => {
  beforeAll(async () => {
    for (const pk of ['p', 'q', 'r']) {
      for (let sk = 1; sk <= 5; sk += 1) {
        await execute(`INSERT INTO pq_events VALUE {'pk': ?, 'sk': ?, 'kind': ?}`, {
          Parameters: [S(pk), N(sk), S(sk % 2 === 0 ? 'even' : 'odd')],
        });
      }
    }
  });

  /** Every page of a SELECT, following NextToken. */
  const allPages = async (Statement: string, Limit: number) => {
    const pages: Record<string, AttributeValue>[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await execute(Statement, { Limit, ...(NextToken === undefined ? {} : { NextToken }) });
      pages.push(page.Items ?? []);
      NextToken = page.NextToken;
      if (NextToken !== undefined) expect(page.LastEvaluatedKey).toBeDefined();
    } while (NextToken !== undefined && pages.length < 50);
    return pages;
  };
  const sks = (items: Record<string, AttributeValue>[]) => items.map((item) => Number(item.sk?.N));

  it('a WHERE clause pinning the partition key queries that partition in sort key order, Limit items a page', async () => {
    const pages = await allPages(`SELECT * FROM pq_events WHERE pk = 'p'`, 2);
    expect(pages.map(sks)).toEqual([[1, 2], [3, 4], [5], []].slice(0, pages.length));
    expect(sks(pages.flat())).toEqual([1, 2, 3, 4, 5]);
  });

  it('sort key conditions narrow the query; ORDER BY the sort key DESC reads backwards', async () => {
    const between = await execute(`SELECT sk FROM pq_events WHERE pk = 'q' AND sk BETWEEN 2 AND 4`);
    expect(sks(between.Items ?? [])).toEqual([2, 3, 4]);
    const greater = await execute(`SELECT sk FROM pq_events WHERE 3 < sk AND pk = 'q'`);
    expect(sks(greater.Items ?? [])).toEqual([4, 5]);
    const descending = await allPages(`SELECT sk FROM pq_events WHERE pk = 'q' ORDER BY sk DESC`, 3);
    expect(sks(descending.flat())).toEqual([5, 4, 3, 2, 1]);
  });

  it('IN (or OR) on the partition key reads the partitions in the order written, across pages', async () => {
    const pages = await allPages(`SELECT pk, sk FROM pq_events WHERE pk IN ['r', 'p'] AND kind = 'even'`, 3);
    expect(pages.flat()).toEqual([
      { pk: S('r'), sk: N(2) },
      { pk: S('r'), sk: N(4) },
      { pk: S('p'), sk: N(2) },
      { pk: S('p'), sk: N(4) },
    ]);
    const ored = await execute(`SELECT sk FROM pq_events WHERE (pk = 'q' OR pk = 'p') AND sk = 1`);
    expect(ored.Items).toEqual([{ sk: N(1) }, { sk: N(1) }]);
  });

  it('without a partition key equality it scans with the WHERE clause as a filter, paging all the way', async () => {
    const pages = await allPages(`SELECT * FROM pq_events WHERE kind = 'odd' AND sk > 1`, 4);
    const items = pages.flat();
    expect(items).toHaveLength(6);
    expect(items.every((item) => item.kind?.S === 'odd' && Number(item.sk?.N) > 1)).toBe(true);
    const all = await allPages(`SELECT * FROM pq_events`, 7);
    expect(all.flat()).toHaveLength(15);
  });

  it('a SELECT list returns each path under its own name', async () => {
    await execute(`INSERT INTO pq_users VALUE {'pk': 'proj', 'm': {'x': 1, 'y': 2}, 'l': [10, 20]}`);
    const { Items } = await execute(`SELECT m.x, l[1], "pk", missing_attr FROM pq_users WHERE pk = 'proj'`);
    expect(Items).toEqual([{ x: N(1), 'l[1]': N(20), pk: S('proj') }]);
  });

  it('IS MISSING and IS NOT MISSING (the recorded test)', async () => {
    const recorded = recordedContent('test_dynamodb.snapshot.json', 'test_dynamodb_partiql_missing');
    await execute(`INSERT INTO pq_indexed VALUE {'pk': 'Alice123', 'FirstName': 'Alice'}`);
    await execute(`INSERT INTO pq_indexed VALUE {'pk': 'Nobody'}`);
    const present = await execute(`SELECT * FROM pq_indexed WHERE FirstName IS NOT MISSING`);
    expect(present.Items).toEqual([{ FirstName: S('Alice'), pk: S('Alice123') }]);
    expect(recorded.FirstNameNotMissing).toEqual([
      { FirstName: { S: 'Alice' }, Username: { S: 'Alice123' } },
    ]);
    const missing = await execute(`SELECT pk FROM pq_indexed WHERE FirstName IS MISSING`);
    expect(missing.Items).toEqual([{ pk: S('Nobody') }]);
  });

  it('reads an index as "table"."index", with what the index projects', async () => {
    await execute(`INSERT INTO pq_indexed VALUE {'pk': 'i1', 'city': 'Oslo', 'other': 1}`);
    await execute(`INSERT INTO pq_indexed VALUE {'pk': 'i2', 'city': 'Rome', 'other': 2}`);
    const { Items } = await execute(`SELECT * FROM "pq_indexed"."byCity" WHERE city = 'Oslo'`);
    expect(Items).toEqual([{ pk: S('i1'), city: S('Oslo') }]);
    await expectAwsError(
      execute(`SELECT * FROM "pq_indexed"."byCity" WHERE city = 'Oslo'`, { ConsistentRead: true }),
      VALIDATION,
      'Consistent reads are not supported on global secondary indexes',
    );
    await expectAwsError(
      execute(`SELECT * FROM "pq_indexed"."nope"`),
      VALIDATION,
      'The table does not have the specified index: nope',
    );
  });

  it('refuses a NextToken it did not issue', async () => {
    await expectAwsError(
      execute(`SELECT * FROM pq_events WHERE pk = 'p'`, { NextToken: 'garbage' }),
      VALIDATION,
      'Invalid NextToken',
    );
    const { NextToken } = await execute(`SELECT * FROM pq_events WHERE pk = 'p'`, { Limit: 1 });
    await expectAwsError(
      execute(`SELECT * FROM pq_events WHERE pk = 'q'`, { NextToken: NextToken as string }),
      VALIDATION,
      'Invalid NextToken',
    );
  });
});

describe('ExecuteStatement: DynamoDB’s messages', () => {
  it.each([
    ['SELEC * FROM pq_users', "Statement wasn't well formed, can't be processed: SELEC * FROM pq_users"],
    ['garbage', 'Unsupported operation: VariableReference'],
    [
      `UPDATE pq_users SET a = 1 WHERE a = 1`,
      'Where clause does not contain a mandatory equality on all key attributes',
    ],
    [
      `DELETE FROM pq_events WHERE pk = 'p'`,
      'Where clause does not contain a mandatory equality on all key attributes',
    ],
    [
      `UPDATE pq_users SET a = 1 WHERE pk = 'a' AND pk = 'b'`,
      'Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported',
    ],
    [
      `SELECT * FROM pq_users WHERE pk = 1`,
      "Key attribute's data type should match its data type in table's schema: Key pk",
    ],
    [`INSERT INTO pq_users VALUE {'age': 1}`, 'Key attribute should be present in the item: Key pk'],
    [
      `INSERT INTO pq_users VALUE {'pk': 'a', 'pk': 'b'}`,
      'Duplicate keys in tuple. Key: pk under root at 1:40:4',
    ],
    [`INSERT INTO pq_users VALUE {'pk': 'a'} RETURNING ALL OLD *`, 'RETURNING is not supported in INSERT'],
    [
      `DELETE FROM pq_users WHERE pk = 'a' RETURNING ALL NEW *`,
      'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.',
    ],
    [
      `UPDATE pq_users SET pk = 'x' WHERE pk = 'ann'`,
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    ],
    [
      `UPDATE pq_users SET age = 'a' + 1 WHERE pk = 'ann'`,
      'Incorrect operand type for operator or function; operator or function: +, operand type: S',
    ],
    [
      `SELECT * FROM pq_users WHERE begins_with(pk, 1)`,
      'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    ],
    [`SELECT * FROM pq_users WHERE nope(pk)`, 'Unrecognized function: nope'],
    [`SELECT pk, pk FROM pq_users`, 'Duplicate identifiers in select clause: pk'],
    [`SELECT COUNT(*) FROM pq_users`, 'Unexpected path component at 1:8:5'],
    [
      `SELECT * FROM pq_events ORDER BY sk`,
      'Must have WHERE clause in the statement when using ORDER BY clause.',
    ],
    [
      `SELECT * FROM pq_events WHERE sk = 1 ORDER BY sk`,
      'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
    ],
    [
      `SELECT * FROM pq_events WHERE pk = 'p' ORDER BY kind`,
      'Variable reference kind in ORDER BY clause must be part of the primary key',
    ],
    [
      `EXISTS(SELECT * FROM pq_users WHERE pk = 'ann' AND age = 1)`,
      'EXISTS can only be used in ExecuteTransaction write requests.',
    ],
  ])('%s', async (statement, message) => {
    await expectAwsError(execute(statement), VALIDATION, message);
  });

  it('an unknown table is not found', async () => {
    await expectAwsError(
      execute(`SELECT * FROM nowhere`),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
    await expectAwsError(
      execute(`INSERT INTO nowhere VALUE {'pk': 'a'}`),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
  });

  it('checks the request members first, with the front end’s messages', async () => {
    await expectAwsError(
      execute('', { Limit: 0 }),
      VALIDATION,
      "2 validation errors detected: Value '' at 'statement' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});

describe('BatchExecuteStatement', () => {
  it('the recorded test: INSERT and UPDATE in one batch, each answered with its table', async () => {
    const recorded = recordedContent('test_dynamodb.snapshot.json', 'test_dynamodb_batch_execute_statement');
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'test_table_batch',
        KeySchema: [{ AttributeName: 'Username', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'Username', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      }),
    );
    await h.dynamodb.send(
      new PutItemCommand({ TableName: 'test_table_batch', Item: { Username: S('user02') } }),
    );
    const result = await batch([
      { Statement: `INSERT INTO test_table_batch VALUE {'Username': 'user01'}` },
      { Statement: `UPDATE test_table_batch SET Age=20 WHERE Username='user02'` },
    ]);
    const ours = JSON.parse(
      JSON.stringify(withoutMetadata(botocoreView(result))).replaceAll('test_table_batch', '<test-table>'),
    );
    expect(ours).toEqual(withoutMetadata(recorded.ExecutedStatement));
    expect(botocoreView(await getItem('test_table_batch', { Username: S('user02') }))).toEqual(
      recorded.ItemUser2,
    );
    expect(botocoreView(await getItem('test_table_batch', { Username: S('user01') }))).toEqual(
      recorded.ItemUser1,
    );
  });

  it('answers each statement on its own: failures in place, the others still written', async () => {
    await execute(`INSERT INTO pq_users VALUE {'pk': 'b-dup', 'n': 1}`);
    await execute(`INSERT INTO pq_users VALUE {'pk': 'b-cond', 'n': 1}`);
    await execute(`INSERT INTO pq_users VALUE {'pk': 'b-upd', 'n': 1}`);
    const before = await recordCount(usersStream);
    const { Responses } = await batch([
      { Statement: `INSERT INTO pq_users VALUE {'pk': 'b-new'}` },
      { Statement: `INSERT INTO pq_users VALUE {'pk': 'b-dup'}` },
      {
        Statement: `UPDATE pq_users SET n = 2 WHERE pk = 'b-cond' AND n = 5`,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      { Statement: `UPDATE nowhere SET n = 2 WHERE pk = 'x'` },
      { Statement: `UPDATE pq_users SET n = ? WHERE pk = 'b-x'` },
      { Statement: `garbage` },
      { Statement: `UPDATE pq_users SET n = n + 1 WHERE pk = ?`, Parameters: [S('b-upd')] },
      { Statement: `DELETE FROM pq_users WHERE pk = 'b-gone'` },
    ]);
    expect(Responses).toEqual([
      { TableName: 'pq_users' },
      {
        TableName: 'pq_users',
        Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
      },
      {
        TableName: 'pq_users',
        Error: {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          Item: { pk: S('b-cond'), n: N(1) },
        },
      },
      { Error: { Code: 'ResourceNotFound', Message: 'Requested resource not found' } },
      {
        Error: {
          Code: 'ValidationError',
          Message: "Number of parameters in request and statement don't match.",
        },
      },
      {
        Error: {
          Code: 'ValidationError',
          Message: 'Invalid operation. Only select, insert, update and delete operations are valid',
        },
      },
      { TableName: 'pq_users' },
      { TableName: 'pq_users' },
    ]);
    const records = await newRecords(usersStream, before);
    expect(records.map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S])).toEqual([
      ['INSERT', 'b-new'],
      ['MODIFY', 'b-upd'],
    ]);
  });

  it('reads single items by their full key, projected; any other SELECT is an error in its place', async () => {
    const { Responses, ConsumedCapacity } = await batch(
      [
        { Statement: `SELECT pk, n FROM pq_users WHERE pk = 'b-upd'` },
        { Statement: `SELECT * FROM pq_users WHERE pk = ?`, Parameters: [S('nobody')] },
        { Statement: `SELECT * FROM pq_events WHERE pk = 'p' AND sk = 1`, ConsistentRead: true },
        { Statement: `SELECT * FROM pq_events WHERE pk = 'p'` },
        { Statement: `SELECT * FROM pq_users WHERE pk = 'b-new' AND n = 1` },
      ],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    const notSingle = { Error: { Code: 'ValidationError', Message: 'Only single item select is supported' } };
    expect(Responses).toEqual([
      { TableName: 'pq_users', Item: { pk: S('b-upd'), n: N(2) } },
      { TableName: 'pq_users' },
      { TableName: 'pq_events', Item: { pk: S('p'), sk: N(1), kind: S('odd') } },
      notSingle,
      notSingle,
    ]);
    expect(ConsumedCapacity).toEqual([
      { TableName: 'pq_users', CapacityUnits: 1, ReadCapacityUnits: 1 },
      { TableName: 'pq_events', CapacityUnits: 1, ReadCapacityUnits: 1 },
    ]);
  });

  it('reports the capacity of its writes per table', async () => {
    const { ConsumedCapacity } = await batch(
      [
        { Statement: `INSERT INTO pq_users VALUE {'pk': 'b-cap1'}` },
        { Statement: `INSERT INTO pq_users VALUE {'pk': 'b-cap2'}` },
        { Statement: `INSERT INTO pq_events VALUE {'pk': 'b-cap', 'sk': 1}` },
      ],
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    expect(ConsumedCapacity).toEqual([
      { TableName: 'pq_users', CapacityUnits: 2, WriteCapacityUnits: 2 },
      { TableName: 'pq_events', CapacityUnits: 1, WriteCapacityUnits: 1 },
    ]);
  });

  it('refuses reads mixed with writes, two statements on one item, and more than 25 statements', async () => {
    await expectAwsError(
      batch([
        { Statement: `SELECT * FROM pq_users WHERE pk = 'a'` },
        { Statement: `DELETE FROM pq_users WHERE pk = 'b'` },
      ]),
      VALIDATION,
      'Read and write requests together in the same batch is not supported.',
    );
    await expectAwsError(
      batch([
        { Statement: `INSERT INTO pq_users VALUE {'pk': 'same'}` },
        { Statement: `DELETE FROM pq_users WHERE pk = 'same'` },
      ]),
      VALIDATION,
      'Provided list of item keys contains duplicates',
    );
    const error = await awsError(
      batch(Array.from({ length: 26 }, (_, i) => ({ Statement: `DELETE FROM pq_users WHERE pk = 'k${i}'` }))),
    );
    expect(error.name).toBe(VALIDATION);
    expect(error.message).toMatch(
      /^1 validation error detected: Value '.*' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25$/,
    );
    expect(await getItem('pq_users', { pk: S('same') })).toBeUndefined();
  });
});

describe('ExecuteTransaction', () => {
  it('the recorded test: two INSERTs, Responses empty, both items there', async () => {
    const recorded = recordedContent('test_dynamodb.snapshot.json', 'test_dynamodb_execute_transaction');
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'table_tx',
        KeySchema: [{ AttributeName: 'Username', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'Username', AttributeType: 'S' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      }),
    );
    const result = await transact([
      `INSERT INTO table_tx VALUE {'Username': 'user01'}`,
      `INSERT INTO table_tx VALUE {'Username': 'user02'}`,
    ]);
    expect(withoutMetadata(botocoreView(result))).toEqual(withoutMetadata(recorded.ExecutedTransaction));
    const scan = await h.dynamodb.send(new ScanCommand({ TableName: 'table_tx' }));
    const sorted = {
      ...scan,
      Items: [...(scan.Items ?? [])].sort((a, b) => (a.Username?.S ?? '').localeCompare(b.Username?.S ?? '')),
    };
    expect(withoutMetadata(botocoreView(sorted))).toEqual(withoutMetadata(recorded.TableScan));
  });

  it('writes INSERT, UPDATE, DELETE and checks EXISTS all or nothing, one stream record per change', async () => {
    await execute(`INSERT INTO pq_users VALUE {'pk': 't-acc', 'balance': 100}`);
    await execute(`INSERT INTO pq_users VALUE {'pk': 't-old'}`);
    await execute(`INSERT INTO pq_users VALUE {'pk': 't-flag', 'open': true}`);
    const before = await recordCount(usersStream);
    const eventsBefore = await recordCount(eventsStream);
    const result = await transact([
      `UPDATE pq_users SET balance = balance - 30 WHERE pk = 't-acc' AND balance >= 30`,
      `INSERT INTO pq_events VALUE {'pk': 't-acc', 'sk': 1, 'amount': -30}`,
      `DELETE FROM pq_users WHERE pk = 't-old'`,
      `EXISTS(SELECT * FROM pq_users WHERE pk = 't-flag' AND "open" = true)`,
    ]);
    expect(result.Responses).toEqual([]);
    expect(await getItem('pq_users', { pk: S('t-acc') })).toEqual({ pk: S('t-acc'), balance: N(70) });
    expect(
      (await newRecords(usersStream, before)).map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S]),
    ).toEqual([
      ['MODIFY', 't-acc'],
      ['REMOVE', 't-old'],
    ]);
    expect((await newRecords(eventsStream, eventsBefore)).map((r) => r.eventName)).toEqual(['INSERT']);
  });

  it('cancels with a reason per statement, in order, and writes nothing', async () => {
    await execute(`INSERT INTO pq_users VALUE {'pk': 't-dup'}`);
    await execute(`INSERT INTO pq_users VALUE {'pk': 't-val', 'n': 1}`);
    await execute(`INSERT INTO pq_users VALUE {'pk': 't-chk', 'n': 1}`);
    const before = await recordCount(usersStream);
    const error = await awsError(
      transact([
        `INSERT INTO pq_users VALUE {'pk': 't-fresh'}`,
        `INSERT INTO pq_users VALUE {'pk': 't-dup'}`,
        `UPDATE pq_users SET n = 1 WHERE pk = 't-nobody'`,
        {
          Statement: `UPDATE pq_users SET n = 2 WHERE pk = 't-val' AND n = 5`,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
        `EXISTS(SELECT * FROM pq_users WHERE pk = 't-chk' AND n = 9)`,
        `UPDATE pq_users SET pk = 'x' WHERE pk = 't-nothing'`,
      ]),
    );
    expect(error.name).toBe('TransactionCanceledException');
    expect(error.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError, ConditionalCheckFailed, ConditionalCheckFailed, ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ValidationError', Message: 'Duplicate primary key exists in table' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: S('t-val'), n: N(1) },
      },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed.' },
      // Setting a key attribute is refused only once the WHERE clause holds.
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await getItem('pq_users', { pk: S('t-fresh') })).toBeUndefined();
    expect(await recordCount(usersStream)).toBe(before);
  });

  it('a ClientRequestToken makes it idempotent', async () => {
    const statements = [`INSERT INTO pq_users VALUE {'pk': 't-once'}`];
    await transact(statements, { ClientRequestToken: 'partiql-token-1' });
    const before = await recordCount(usersStream);
    await transact(statements, { ClientRequestToken: 'partiql-token-1' });
    expect(await recordCount(usersStream)).toBe(before);
    await expectAwsError(
      transact([`INSERT INTO pq_users VALUE {'pk': 't-twice'}`], { ClientRequestToken: 'partiql-token-1' }),
      'IdempotentParameterMismatchException',
      'ClientRequestToken partiql-token-1 was used within the last 10 minutes with a different request',
    );
  });

  it('reads single items as one serializable read, projected', async () => {
    const { Responses } = await transact([
      `SELECT balance FROM pq_users WHERE pk = 't-acc'`,
      `SELECT * FROM pq_users WHERE pk = 't-none'`,
      `SELECT * FROM pq_events WHERE pk = 't-acc' AND sk = 1`,
    ]);
    expect(Responses).toEqual([
      { Item: { balance: N(70) } },
      {},
      { Item: { pk: S('t-acc'), sk: N(1), amount: N(-30) } },
    ]);
  });

  it.each([
    [
      [`SELECT * FROM pq_users WHERE pk = 'a'`, `DELETE FROM pq_users WHERE pk = 'b'`],
      'ExecuteTransaction API does not support both read and write operations in the same request.',
    ],
    [
      [`SELECT * FROM pq_users WHERE pk = 'a' AND n = 1`],
      'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    ],
    [
      [`DELETE FROM pq_users WHERE pk = 'a'`, `UPDATE pq_users SET n = 1 WHERE pk = 'b' RETURNING ALL NEW *`],
      'Validation failed in TransactStatements[1]: RETURNING clause is not supported in ExecuteTransaction.',
    ],
    [
      [`EXISTS(SELECT * FROM pq_users WHERE pk = 'a')`],
      'Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition',
    ],
    [
      [`UPDATE pq_users SET n = 'a' + 1 WHERE pk = 'a'`],
      'Validation failed in TransactStatements[0]: Incorrect operand type for operator or function; operator or function: +, operand type: S',
    ],
    [
      [`UPDATE pq_users SET n = 1 WHERE pk = 'a'`, `DELETE FROM pq_users WHERE pk = 'a'`],
      'Transaction request cannot include multiple operations on one item',
    ],
  ])('refuses %j', async (statements, message) => {
    await expectAwsError(transact(statements), VALIDATION, message);
  });
});
