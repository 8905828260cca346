import { beforeEach, describe, expect, it } from 'vitest';
import {
  forgetWriteTemplates,
  MAX_TEMPLATES,
  rememberedWriteTemplates,
} from '../../../../../../local-runtime/emulator/dynamodb/partiql/planStatementWrite.js';
import { Emulator } from '../../../../../../local-runtime/emulator/Emulator.js';
import { AwsServiceError } from '../../../../../../local-runtime/emulator/errors.js';
import { ManualClock } from '../../../../../../src/time/clock.js';
import { readEmulatorState } from '../../../../../helpers/emulatorState.js';
import { Random } from '../../../../../helpers/Random.js';

// A write statement's template (local-runtime/emulator/dynamodb/partiql/writeTemplate.ts) is kept per statement
// text once the full path has run it, and must never change an answer: every run below is compared with the
// same run through the full path alone (the templates forgotten before each request).

const START = Date.UTC(2026, 0, 1);
const REGION = 'us-east-1';
const DB = 'DynamoDB_20120810.';

const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };

type KeyAttributes = readonly (readonly [name: string, type: string])[];

/** Creates a table keyed by `keys` (partition key, then sort key), with `extra` CreateTable members. */
const createTable = (
  emulator: Emulator,
  TableName: string,
  keys: KeyAttributes,
  { region = REGION, more = [], extra = {} }: { region?: string; more?: KeyAttributes; extra?: object } = {},
) =>
  emulator.dispatch(
    `${DB}CreateTable`,
    {
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keys, ...more].map(([AttributeName, AttributeType]) => ({
        AttributeName,
        AttributeType,
      })),
      KeySchema: keys.map(([AttributeName], i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      ...extra,
    },
    region,
  );

/** `hhh`: a partition key only; `ccc`: partition and sort key, and an index whose key `g` must be a string. */
const createTables = (emulator: Emulator) => {
  createTable(emulator, 'hhh', [['pk', 'S']], { extra: { StreamSpecification: STREAM } });
  createTable(
    emulator,
    'ccc',
    [
      ['pk', 'S'],
      ['sk', 'N'],
    ],
    {
      more: [['g', 'S']],
      extra: {
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        StreamSpecification: STREAM,
      },
    },
  );
};

const makeEmulator = () => {
  const emulator = new Emulator({
    clock: new ManualClock(START),
    ttlSweepIntervalMs: 10 * 365 * 86_400_000,
  });
  createTables(emulator);
  return emulator;
};

/** An answer as a client sees it: the output, or the error's name, message and members. */
const outcome = (run: () => unknown): unknown => {
  try {
    return { output: run() };
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    return { error: error.name, message: error.message, members: error.members };
  }
};

const call = (emulator: Emulator, target: string, input: Record<string, unknown>) =>
  target === 'recreate'
    ? outcome(() => recreate(emulator, HHH_KEYS[input.key as number] ?? []))
    : outcome(() => emulator.dispatch(target, structuredClone(input), REGION));

/**
 * Statements of every kind a template takes, and some it does not (BETWEEN, a parameter inside a list, a key
 * attribute set): their parameters are drawn at random below, of any type, so that every check of a key, an
 * operand, the item's size and nesting and an index key fails now and then after a run that made a template.
 */
const STATEMENTS: readonly string[] = [
  `INSERT INTO "hhh" VALUE {'pk': ?, 'a': ?, 'b': ?}`,
  `INSERT INTO "hhh" VALUE {'pk': ?, 'a': 1, 'c': 'constant', 'd': ?}`,
  `INSERT INTO "ccc" VALUE {'pk': ?, 'sk': ?, 'g': ?, 'v': ?}`,
  `UPDATE "hhh" SET "a" = ?, "b" = ? WHERE "pk" = ?`,
  `UPDATE "hhh" SET "a" = ? WHERE "pk" = ? AND "b" < ?`,
  `UPDATE "hhh" SET "a" = ?, "b" = 'x' WHERE "pk" = ? AND "a" = ? AND "b" <> ?`,
  `UPDATE "hhh" SET "a" = ? REMOVE "b" WHERE "pk" = ? AND "a" IN (?, ?)`,
  `UPDATE "hhh" SET "a" = ? WHERE "pk" = 'k1' AND "b" >= ?`,
  `UPDATE "hhh" SET "a" = ? WHERE "pk" = ? RETURNING ALL OLD *`,
  `UPDATE "hhh" SET "a" = ?, "e" = "b" WHERE "pk" = ? RETURNING MODIFIED NEW *`,
  `UPDATE "hhh" SET "pk" = ? WHERE "pk" = ?`,
  `UPDATE "hhh" SET "a" = ? WHERE "pk" = ? AND "b" BETWEEN ? AND ?`,
  `UPDATE "hhh" SET "a" = [?, 1] WHERE "pk" = ?`,
  `UPDATE "ccc" SET "g" = ?, "v" = ? WHERE "pk" = ? AND "sk" = ? AND contains("v", ?)`,
  `UPDATE "ccc" SET "v" = ? WHERE "sk" = ? AND "pk" = ? AND NOT "v" > ?`,
  `DELETE FROM "hhh" WHERE "pk" = ?`,
  `DELETE FROM "hhh" WHERE "pk" = ? AND "a" <= ? RETURNING ALL OLD *`,
  `DELETE FROM "ccc" WHERE "pk" = ? AND "sk" = ? AND ("v" = ? OR attribute_not_exists("v"))`,
];

const parameterCount = (statement: string) => statement.split('?').length - 1;

const BIG = 'x'.repeat(210_000);
const values = (random: Random): unknown => {
  const keyish = [{ S: 'k1' }, { S: 'k2' }, { S: 'k3' }, { N: '1' }, { N: '2.50' }];
  const odd = [
    { S: '' },
    { B: 'AAAA' },
    { B: '' },
    { BOOL: true },
    { NULL: true },
    { L: [{ S: 'x' }, { N: '1' }] },
    { M: { a: { S: 'y' } } },
    { SS: ['a', 'b'] },
    { NS: ['1', '2'] },
    { S: 'k'.repeat(2100) },
    { S: BIG },
    { N: '1e200' },
    { S: 'a' },
    { S: 'b' },
  ];
  return random.chance(0.6) ? random.pick(keyish) : random.pick(odd);
};

interface Request {
  readonly target: string;
  readonly input: Record<string, unknown>;
}

const statementRequest = (random: Random) => {
  const Statement = random.pick(STATEMENTS);
  // Now and then one parameter too few (refused) or one too many (ignored).
  const count = parameterCount(Statement) + (random.chance(0.05) ? random.pick([-1, 1]) : 0);
  const Parameters = Array.from({ length: Math.max(count, 0) }, () => values(random));
  return {
    Statement,
    ...(Parameters.length === 0 ? {} : { Parameters }),
    ...(random.chance(0.5) ? { ReturnValuesOnConditionCheckFailure: random.pick(['ALL_OLD', 'NONE']) } : {}),
  };
};

/** `hhh` deleted and created again with one of these keys (so the texts that name it meet another key). */
const HHH_KEYS: readonly KeyAttributes[] = [
  [['pk', 'S']],
  [['pk', 'N']],
  [
    ['pk', 'S'],
    ['a', 'N'],
  ],
];

const recreate = (emulator: Emulator, keys: KeyAttributes) => {
  emulator.dispatch(`${DB}DeleteTable`, { TableName: 'hhh' }, REGION);
  createTable(emulator, 'hhh', keys, { extra: { StreamSpecification: STREAM } });
};

const randomRequest = (random: Random): Request => {
  if (random.chance(0.02)) return { target: 'recreate', input: { key: random.int(HHH_KEYS.length) } };
  const capacity = random.chance(0.3)
    ? { ReturnConsumedCapacity: random.pick(['TOTAL', 'INDEXES', 'NONE']) }
    : {};
  if (random.chance(0.4)) {
    return { target: `${DB}ExecuteStatement`, input: { ...statementRequest(random), ...capacity } };
  }
  const Statements = Array.from({ length: 1 + random.int(8) }, () => statementRequest(random));
  return { target: `${DB}BatchExecuteStatement`, input: { Statements, ...capacity } };
};

beforeEach(() => forgetWriteTemplates());

describe('PartiQL write templates', () => {
  it.each([1, 2, 3, 4])(
    'answer 400 random statements exactly as the full path does, and leave the same tables and streams (seed %i)',
    (seed) => {
      const random = new Random(seed);
      const requests = Array.from({ length: 400 }, () => randomRequest(random));
      const full = makeEmulator();
      const fullAnswers = requests.map(({ target, input }) => {
        forgetWriteTemplates();
        return call(full, target, input);
      });
      forgetWriteTemplates();
      const templated = makeEmulator();
      const templatedAnswers = requests.map(({ target, input }) => call(templated, target, input));
      // The templates were made and used: every statement a template takes has one.
      const made = rememberedWriteTemplates().filter(([, templated]) => templated.includes(true)).length;
      expect(made).toBeGreaterThanOrEqual(12);
      expect(templatedAnswers).toEqual(fullAnswers);
      expect(readEmulatorState(templated, [REGION], { withoutEventIds: true })).toEqual(
        readEmulatorState(full, [REGION], { withoutEventIds: true }),
      );
    },
  );

  it('run one text with other parameters each time: each write its own values', () => {
    const emulator = makeEmulator();
    const update = `UPDATE "hhh" SET "a" = ?, "b" = ? WHERE "pk" = ? AND "b" < ?`;
    for (const pk of ['k1', 'k2']) {
      call(emulator, `${DB}ExecuteStatement`, {
        Statement: `INSERT INTO "hhh" VALUE {'pk': ?, 'b': ?}`,
        Parameters: [{ S: pk }, { N: '0' }],
      });
    }
    for (let round = 1; round <= 3; round += 1) {
      const answer = call(emulator, `${DB}BatchExecuteStatement`, {
        Statements: ['k1', 'k2'].map((pk, i) => ({
          Statement: update,
          Parameters: [
            { S: `${pk}-${round}` },
            { N: String(round * 10 + i) },
            { S: pk },
            { N: String(round * 10) },
          ],
        })),
      });
      expect(answer).toEqual({ output: { Responses: [{ TableName: 'hhh' }, { TableName: 'hhh' }] } });
    }
    expect(rememberedWriteTemplates()).toContainEqual([update, [true]]);
    const items = (emulator.dispatch(`${DB}Scan`, { TableName: 'hhh' }, REGION) as { Items: unknown[] })
      .Items;
    expect(items).toEqual(
      expect.arrayContaining([
        { pk: { S: 'k1' }, a: { S: 'k1-3' }, b: { N: '30' } },
        { pk: { S: 'k2' }, a: { S: 'k2-3' }, b: { N: '31' } },
      ]),
    );
    // The condition is bound to each run's own parameter: 30 < 30 fails, the item comes back.
    expect(
      call(emulator, `${DB}ExecuteStatement`, {
        Statement: update,
        Parameters: [{ S: 'no' }, { N: '1' }, { S: 'k1' }, { N: '30' }],
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    ).toMatchObject({
      error: 'ConditionalCheckFailedException',
      members: { Item: { pk: { S: 'k1' }, a: { S: 'k1-3' }, b: { N: '30' } } },
    });
  });

  it('parameters of the wrong type after a run that made the template get the full path’s messages', () => {
    const emulator = makeEmulator();
    const update = `UPDATE "hhh" SET "a" = ? WHERE "pk" = ? AND "b" < ?`;
    const insert = `INSERT INTO "hhh" VALUE {'pk': ?, 'b': ?}`;
    const run = (Statement: string, Parameters: unknown[]) =>
      call(emulator, `${DB}ExecuteStatement`, { Statement, Parameters });
    expect(run(insert, [{ S: 'k1' }, { N: '1' }])).toEqual({ output: { Items: [] } });
    expect(run(update, [{ S: 'v' }, { S: 'k1' }, { N: '2' }])).toEqual({ output: { Items: [] } });
    expect(rememberedWriteTemplates().map(([, templated]) => templated)).toEqual([[true], [true]]);
    const validation = (message: string) => ({ error: 'ValidationException', message, members: {} });
    expect(run(update, [{ S: 'v' }, { N: '1' }, { N: '2' }])).toEqual(
      validation("Key attribute's data type should match its data type in table's schema: Key pk"),
    );
    expect(run(update, [{ S: 'v' }, { S: '' }, { N: '2' }])).toEqual(
      validation(
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      ),
    );
    expect(run(update, [{ S: 'v' }, { S: 'k1' }, { L: [] }])).toEqual(
      validation('Incorrect operand type for operator or function; operator or function: <, operand type: L'),
    );
    expect(run(insert, [{ N: '1' }, { N: '1' }])).toEqual(
      validation("Key attribute's data type should match its data type in table's schema: Key pk"),
    );
    expect(run(insert, [{ S: 'k2' }, { S: BIG }])).toEqual({ output: { Items: [] } });
    expect(run(insert, [{ S: 'k3' }, { L: [{ S: BIG }, { S: BIG }] }])).toEqual(
      validation('Item size has exceeded the maximum allowed size'),
    );
    expect(run(insert, [{ S: 'k1' }, { N: '1' }])).toEqual({
      error: 'DuplicateItemException',
      message: 'Duplicate primary key exists in table',
      members: {},
    });
    // Each answer is the full path's.
    forgetWriteTemplates();
    expect(run(update, [{ S: 'v' }, { S: 'k1' }, { L: [] }])).toEqual(
      validation('Incorrect operand type for operator or function; operator or function: <, operand type: L'),
    );
  });

  it('a table deleted and created again with another key schema gets no stale template', () => {
    const emulator = makeEmulator();
    const update = `UPDATE "ttt" SET "a" = ? WHERE "pk" = ?`;
    const insert = `INSERT INTO "ttt" VALUE {'pk': ?, 'a': ?}`;
    const create = (keys: KeyAttributes) => createTable(emulator, 'ttt', keys);
    const run = (Statement: string, Parameters: unknown[]) =>
      call(emulator, `${DB}ExecuteStatement`, { Statement, Parameters });
    create([['pk', 'S']]);
    expect(run(insert, [{ S: 'k' }, { N: '1' }])).toEqual({ output: { Items: [] } });
    expect(run(update, [{ N: '2' }, { S: 'k' }])).toEqual({ output: { Items: [] } });
    expect(run(update, [{ N: '3' }, { S: 'k' }])).toEqual({ output: { Items: [] } });

    emulator.dispatch(`${DB}DeleteTable`, { TableName: 'ttt' }, REGION);
    create([['pk', 'N']]);
    const mismatch = {
      error: 'ValidationException',
      message: "Key attribute's data type should match its data type in table's schema: Key pk",
      members: {},
    };
    expect(run(insert, [{ S: 'k' }, { N: '1' }])).toEqual(mismatch);
    expect(run(update, [{ N: '2' }, { S: 'k' }])).toEqual(mismatch);
    expect(run(insert, [{ N: '7' }, { N: '1' }])).toEqual({ output: { Items: [] } });
    expect(run(update, [{ N: '2' }, { N: '7' }])).toEqual({ output: { Items: [] } });

    emulator.dispatch(`${DB}DeleteTable`, { TableName: 'ttt' }, REGION);
    create([
      ['pk', 'N'],
      ['sk', 'S'],
    ]);
    expect(run(update, [{ N: '2' }, { N: '7' }])).toEqual({
      error: 'ValidationException',
      message: 'Where clause does not contain a mandatory equality on all key attributes',
      members: {},
    });
    expect(run(insert, [{ N: '7' }, { N: '1' }])).toEqual({
      error: 'ValidationException',
      message: 'Key attribute should be present in the item: Key sk',
      members: {},
    });
    // One template per key schema the text met; none for the schema its WHERE clause does not fit.
    expect(rememberedWriteTemplates()).toEqual([
      [insert, [true, true]],
      [update, [true, true]],
    ]);
  });

  it('tables of one name and key schema in two regions share a template, each written on its own', () => {
    const emulator = makeEmulator();
    const update = `UPDATE "hhh" SET "a" = ? WHERE "pk" = ?`;
    const west = 'eu-west-1';
    createTable(emulator, 'hhh', [['pk', 'S']], { region: west });
    for (const region of [REGION, west]) {
      emulator.dispatch(
        `${DB}ExecuteStatement`,
        { Statement: `INSERT INTO "hhh" VALUE {'pk': ?}`, Parameters: [{ S: 'k' }] },
        region,
      );
    }
    for (let round = 0; round < 3; round += 1) {
      for (const region of [REGION, west]) {
        emulator.dispatch(
          `${DB}ExecuteStatement`,
          { Statement: update, Parameters: [{ S: `${region}-${round}` }, { S: 'k' }] },
          region,
        );
      }
    }
    expect(rememberedWriteTemplates()).toContainEqual([update, [true]]);
    for (const region of [REGION, west]) {
      const { Item } = emulator.dispatch(
        `${DB}GetItem`,
        { TableName: 'hhh', Key: { pk: { S: 'k' } } },
        region,
      ) as { Item: unknown };
      expect(Item).toEqual({ pk: { S: 'k' }, a: { S: `${region}-2` } });
    }
  });

  it(`keeps at most ${MAX_TEMPLATES} statement texts, forgetting the oldest first`, () => {
    const emulator = makeEmulator();
    const text = (i: number) => `UPDATE "hhh" SET "a${i}" = ? WHERE "pk" = ?`;
    call(emulator, `${DB}ExecuteStatement`, {
      Statement: `INSERT INTO "hhh" VALUE {'pk': ?}`,
      Parameters: [{ S: 'k' }],
    });
    const total = MAX_TEMPLATES + 20;
    for (let i = 0; i < total; i += 1) {
      const answer = call(emulator, `${DB}ExecuteStatement`, {
        Statement: text(i),
        Parameters: [{ N: String(i) }, { S: 'k' }],
      });
      expect(answer).toEqual({ output: { Items: [] } });
    }
    const remembered = rememberedWriteTemplates();
    expect(remembered).toHaveLength(MAX_TEMPLATES);
    expect(remembered[0]).toEqual([text(total - MAX_TEMPLATES), [true]]);
    expect(remembered.at(-1)).toEqual([text(total - 1), [true]]);
    // A forgotten text runs through the full path again and is remembered anew, as the newest.
    expect(
      call(emulator, `${DB}ExecuteStatement`, { Statement: text(0), Parameters: [{ N: '-1' }, { S: 'k' }] }),
    ).toEqual({ output: { Items: [] } });
    expect(rememberedWriteTemplates()).toHaveLength(MAX_TEMPLATES);
    expect(rememberedWriteTemplates().at(-1)).toEqual([text(0), [true]]);
    const item = emulator.dispatch(`${DB}GetItem`, { TableName: 'hhh', Key: { pk: { S: 'k' } } }, REGION) as {
      Item: Record<string, unknown>;
    };
    expect(item.Item.a0).toEqual({ N: '-1' });
    expect(item.Item[`a${total - 1}`]).toEqual({ N: String(total - 1) });
  });
});
