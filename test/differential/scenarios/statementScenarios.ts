import type { Scenario, Step } from '../Scenario.js';
import { createTable, get, n, readStream, s } from './steps.js';

type Input = Record<string, unknown>;

/** ExecuteStatement of one statement with its parameters. */
const statement = (Statement: string, Parameters: readonly unknown[], extra: Input = {}): Step => ({
  op: 'ExecuteStatement',
  input: { Statement, ...(Parameters.length === 0 ? {} : { Parameters }), ...extra },
});

/** BatchExecuteStatement of `[text, parameters, extra?]` entries. */
const batch = (entries: readonly (readonly [string, readonly unknown[], Input?])[]): Step => ({
  op: 'BatchExecuteStatement',
  input: {
    Statements: entries.map(([Statement, Parameters, extra]) => ({
      Statement,
      ...(Parameters.length === 0 ? {} : { Parameters }),
      ...extra,
    })),
  },
});

// The texts a projection sends for every row (src/operators/viewStatement.ts), run again and again with other
// parameters: the emulator keeps what a text decides (local-runtime/emulator/dynamodb/partiql/writeTemplate.ts),
// and each answer, a failing one after a run that succeeded included, must stay DynamoDB Local's.
const texts = (table: string) => ({
  INSERT: `INSERT INTO "${table}" VALUE {'pk': ?, 'v': ?, 'seq': ?}`,
  UPDATE: `UPDATE "${table}" SET "v" = ?, "seq" = ? WHERE "pk" = ? AND "seq" < ?`,
  DELETE: `DELETE FROM "${table}" WHERE "pk" = ? AND "v" = ?`,
});
/** Every row's final state, one GetItem each (a Scan's order is DynamoDB Local's own). */
const rows = (table: string, keys: readonly string[]): Step[] =>
  keys.map((key) => get(table, { pk: s(key) }, { ConsistentRead: true }));
const ALL_OLD = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' };

/** Repeated texts: rows inserted, updated under a condition on their sequence, deleted under a condition. */
const repeated = (table: string): Scenario => {
  const { INSERT, UPDATE, DELETE } = texts(table);
  return {
    name: 'PartiQL: one INSERT, UPDATE and DELETE text run again and again with other parameters',
    steps: [
      createTable(table, { stream: 'NEW_AND_OLD_IMAGES' }),
      statement(INSERT, [s('a'), n(1), n(10)]),
      statement(INSERT, [s('b'), s('x'), n(10)]),
      batch([[INSERT, [s('a'), n(2), n(11)]]]),
      batch([
        [UPDATE, [n(3), n(12), s('a'), n(12)], ALL_OLD],
        [UPDATE, [s('y'), n(12), s('b'), n(12)], ALL_OLD],
        [UPDATE, [n(4), n(13), s('c'), n(13)], ALL_OLD],
      ]),
      batch([
        [UPDATE, [n(5), n(12), s('a'), n(12)], ALL_OLD],
        [UPDATE, [n(6), n(20), s('b'), n(15)], ALL_OLD],
        [INSERT, [s('c'), n(7), n(20)]],
        [INSERT, [s('d'), { M: { deep: { L: [s('z')] } } }, n(20)]],
      ]),
      statement(DELETE, [s('c'), n(8)], ALL_OLD),
      statement(DELETE, [s('c'), n(7)]),
      ...rows(table, ['a', 'b', 'c', 'd']),
      readStream(table),
    ],
  };
};

/** The same texts, then parameters that fail a check that depends on them. */
const faults = (table: string): Scenario => {
  const { INSERT, UPDATE, DELETE } = texts(table);
  return {
    name: 'PartiQL: parameters of the wrong type or size after the same text succeeded',
    steps: [
      createTable(table),
      statement(INSERT, [s('a'), n(1), n(10)]),
      statement(UPDATE, [n(2), n(11), s('a'), n(11)]),
      // The key of the wrong type, or empty.
      statement(INSERT, [n(1), n(1), n(10)]),
      statement(INSERT, [s(''), n(1), n(10)]),
      statement(UPDATE, [n(2), n(12), n(1), n(12)]),
      statement(UPDATE, [n(2), n(12), s(''), n(12)]),
      // An operand `<` cannot compare; a value `=` compares with anything.
      statement(UPDATE, [n(2), n(12), s('a'), { L: [n(1)] }]),
      statement(UPDATE, [n(2), n(12), s('a'), { BOOL: true }]),
      statement(DELETE, [s('a'), { L: [n(1)] }]),
      // Too few parameters; one too many.
      statement(UPDATE, [n(2), n(12), s('a')]),
      statement(UPDATE, [n(3), n(13), s('a'), n(13), n(99)]),
      // Items and values over the limits.
      statement(INSERT, [s('big'), s('x'.repeat(400 * 1024)), n(1)]),
      statement(UPDATE, [s('x'.repeat(400 * 1024)), n(14), s('a'), n(14)]),
      // In a batch, each statement is answered in its place (DynamoDB Local applies the writes of a batch it
      // refuses for naming one item twice, so no batch here does).
      batch([
        [UPDATE, [n(4), n(15), s('a'), n(15)], ALL_OLD],
        [UPDATE, [n(4), n(15), n(1), n(15)]],
        [INSERT, [s('f'), n(1), { L: [] }]],
        [INSERT, [s('e'), { NULL: true }, { SS: ['p', 'q'] }]],
        [UPDATE, [n(4), n(15), s('g'), n(15)], ALL_OLD],
      ]),
      batch([
        [UPDATE, [n(5), n(16), s('a'), n(15)], ALL_OLD],
        [UPDATE, [n(6), n(17), s('e'), { SS: ['x'] }]],
        [DELETE, [s('f'), { L: [] }], ALL_OLD],
      ]),
      ...rows(table, ['a', 'e', 'f', 'g', 'big']),
    ],
  };
};

/**
 * A projection's follow-up (src/operators/nextStatement.ts): an UPDATE that removes attributes, one REMOVE clause
 * each, conditioned on the exact row it replaces; a comma between REMOVE paths is not well formed.
 */
const replace = (table: string): Scenario => {
  const REPLACE = `UPDATE "${table}" SET "v" = ?, "seq" = ? REMOVE "note" REMOVE "gone" WHERE "pk" = ? AND "seq" = ?`;
  return {
    name: 'PartiQL: an UPDATE with REMOVE clauses replaces exactly the row it names',
    steps: [
      createTable(table, { stream: 'NEW_AND_OLD_IMAGES' }),
      statement(`INSERT INTO "${table}" VALUE {'pk': ?, 'v': ?, 'note': ?, 'gone': ?, 'seq': ?}`, [
        s('a'),
        n(1),
        s('n'),
        s('g'),
        n(10),
      ]),
      batch([
        [REPLACE, [n(2), n(11), s('a'), n(9)], ALL_OLD],
        [REPLACE, [n(2), n(11), s('b'), n(9)], ALL_OLD],
      ]),
      batch([[REPLACE, [n(3), n(12), s('a'), n(10)], ALL_OLD]]),
      statement(`UPDATE "${table}" SET "v" = ? REMOVE "note", "gone" WHERE "pk" = ?`, [n(4), s('a')]),
      batch([[`UPDATE "${table}" SET "v" = ? REMOVE "note", "gone" WHERE "pk" = ?`, [n(4), s('a')]]]),
      ...rows(table, ['a', 'b']),
      readStream(table),
    ],
  };
};

/** PartiQL writes whose statement texts repeat with other parameters. */
const statementScenarios: readonly Scenario[] = [
  repeated('pq-repeat'),
  faults('pq-faults'),
  replace('pq-replace'),
];

export { statementScenarios };
