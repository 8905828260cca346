import type { Random } from '../helpers/Random.js';
import type { Fixtures } from './baseRequests.js';
import { objectOf, RawJson, setMember, toJsonText } from './jsonText.js';
import {
  BAD_BASE64,
  ODD_NUMBER_LITERALS,
  ODD_NUMBERS,
  oddAttributeNames,
  oddTableNames,
  PROTOTYPE_NAMES,
  STRING_LENGTHS,
} from './oddValues.js';
import {
  collectSlots,
  deleteSlot,
  getSlot,
  isAttributeMap,
  isAttributeValue,
  isObject,
  type Slot,
  setSlot,
} from './slots.js';
import type { Shape } from './wireShapes.js';

/** A request being built: a body (or, once a text mutator ran, its bytes), method, path and headers. */
interface Draft {
  readonly target: string;
  readonly shape: Shape;
  body: Record<string, unknown>;
  /** Set by mutators that break the JSON itself; otherwise the body is serialised. */
  bodyBytes?: Buffer;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  /** The server may close the connection instead of answering (a body past the 16 MiB limit). */
  mayDropConnection: boolean;
}

interface Mutator {
  readonly name: string;
  /** Relative frequency. */
  readonly weight: number;
  /** Changes the draft and says what it did (a member pattern, a variant), or undefined if it cannot apply. */
  apply(random: Random, draft: Draft, fixtures: Fixtures): string | undefined;
}

const STRING = { kind: 'string' } as const;
const NUMBER = { kind: 'number' } as const;
const structure = (name: string, members: Record<string, Shape>): Shape => ({
  kind: 'structure',
  name,
  members: new Map(Object.entries(members)),
});

/** The control surface's inputs (`handleControlRequest`): not in any AWS model, so declared here. */
const CONTROL_SHAPES: Readonly<Record<string, Shape>> = {
  'control.advanceClock': structure('AdvanceClock', { ms: NUMBER }),
  'control.rollOver': structure('RollOver', { streamArn: STRING, shardId: STRING }),
  'control.split': structure('Split', { streamArn: STRING, shardId: STRING }),
  'control.expireIterators': structure('ExpireIterators', {}),
  'control.failNext': structure('FailNext', { operation: STRING, count: NUMBER, kind: STRING }),
  'control.sweepTtl': structure('SweepTtl', {}),
};

const bodyOf = (draft: Draft): Buffer => draft.bodyBytes ?? Buffer.from(toJsonText(draft.body), 'utf8');

const pickSlot = (
  random: Random,
  draft: Draft,
  filter: (slot: Slot) => boolean = () => true,
): Slot | undefined => {
  const slots = collectSlots(draft.body, draft.shape).filter(filter);
  if (slots.length === 0) return undefined;
  const present = slots.filter((s) => s.present);
  return present.length > 0 && random.chance(0.75) ? random.pick(present) : random.pick(slots);
};

/** JSON values of every type but the one the shape expects. */
const wrongTypeValues = (random: Random, shape: Shape): unknown[] => {
  // DynamoDB reads 'true'/'false'/'1'/'0'/'yes'/'no' as booleans (dynalite's record of AWS's answers,
  // validations/index.js): they are not wrong types for a boolean member.
  const str = shape.kind === 'boolean' ? ['x', '', '{}', 'maybe'] : ['x', '', '1', 'true', '{}'];
  const all = {
    string: () => random.pick(str),
    number: () => random.pick([0, 1, -1, 1.5]),
    boolean: () => random.pick([true, false]),
    array: () => random.pick([[], ['x'], [1], [{}], [null]]),
    object: () => random.pick([{}, { S: 'x' }, { a: 1 }, objectOf([['toString', 'x']])]),
  };
  const expected: Record<string, keyof typeof all> = {
    string: 'string',
    blob: 'string',
    timestamp: 'number',
    number: 'number',
    boolean: 'boolean',
    list: 'array',
    map: 'object',
    structure: 'object',
    union: 'object',
  };
  const keep = expected[shape.kind];
  return (Object.keys(all) as (keyof typeof all)[]).filter((k) => k !== keep).map((k) => all[k]());
};

/** A value nested `depth` levels, as text (a recursive serializer would overflow first). */
const nestedText = (open: string, leaf: string, close: string, depth: number): RawJson =>
  new RawJson(open.repeat(depth) + leaf + close.repeat(depth));

const deepAttributeValue = (random: Random): [RawJson, string] => {
  const depth = random.pick([31, 32, 33, 34, 64, 1000, 5000, 20_000, 100_000]);
  const kind = random.pick(['M', 'L', 'mixed'] as const);
  if (kind === 'M') return [nestedText('{"M":{"a":', '{"S":"x"}', '}}', depth), `M×${depth}`];
  if (kind === 'L') return [nestedText('{"L":[', '{"N":"1"}', ']}', depth), `L×${depth}`];
  return [nestedText('{"M":{"l":{"L":[', '{"NULL":true}', ']}}}', Math.ceil(depth / 2)), `ML×${depth}`];
};

const deepJson = (random: Random): [RawJson, string] => {
  const depth = random.pick([100, 1000, 10_000, 100_000]);
  return random.chance(0.5)
    ? [nestedText('[', '1', ']', depth), `array×${depth}`]
    : [nestedText('{"a":', '1', '}', depth), `object×${depth}`];
};

/** AttributeValues that are not one: no type, two types, wrong member types, sets that break set rules. */
const malformedAttributeValues = (random: Random): unknown[] => [
  {},
  { S: 'a', N: '1' },
  { X: 'y' },
  { S: 1 },
  { S: null },
  { N: 1 },
  { N: 'abc' },
  { B: 1 },
  { BOOL: 'true' },
  { BOOL: 1 },
  { NULL: false },
  { NULL: 'true' },
  { SS: [] },
  { SS: ['a', 'a'] },
  { SS: [1] },
  { SS: 'a' },
  { NS: ['1', '1.0'] },
  { NS: ['x'] },
  { BS: ['YQ==', 'YQ=='] },
  { BS: [] },
  { L: {} },
  { L: [{}] },
  { L: ['x'] },
  { M: [] },
  { M: { a: 'x' } },
  { M: null },
  objectOf([
    ['S', 'x'],
    [random.pick(PROTOTYPE_NAMES), 'y'],
  ]),
  objectOf([['__proto__', { S: 'x' }]]),
  objectOf([[random.pick(PROTOTYPE_NAMES), { S: 'x' }]]),
  [],
  'x',
  null,
];

const EXPRESSION_TOKENS = [
  '(',
  ')',
  ',',
  '.',
  '[',
  ']',
  '0',
  '1',
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
  'if_not_exists',
  'list_append',
  '+',
  '-',
  '#k',
  '#s',
  ':s',
  ':p',
  ':big',
  '#missing',
  ':missing',
  'a',
  'pk',
  's',
  'n',
  'name',
  'size',
  'SELECT',
  '"',
  "'",
  '\u0000',
  '🙂',
  ' ',
  '\n',
  '__proto__',
  'constructor',
  '[99999999999999999999]',
  '[-1]',
  '#',
  ':',
];

/** Expressions that are wrong in every way the grammar allows (AWS caps an expression at 4 KiB). */
const oddExpression = (random: Random, current: string): [string, string] => {
  switch (random.int(11)) {
    case 0: {
      const n = 1 + random.int(30);
      return [
        Array.from({ length: n }, () => random.pick(EXPRESSION_TOKENS)).join(random.pick([' ', ''])),
        'tokens',
      ];
    }
    case 1: {
      const depth = random.pick([50, 100, 1000, 10_000, 100_000]);
      const inner = random.pick(['attribute_exists(pk)', 'a = :s', 'size(a)', '#k']);
      return [`${'('.repeat(depth)}${inner}${')'.repeat(depth)}`, `parens×${depth}`];
    }
    case 2:
      return [random.chance(0.5) ? `(${current}` : `${current})`, 'unbalanced'];
    case 3:
      return [
        random.pick([
          'name = :s',
          'SET size = :s',
          'select = :s',
          'attribute_exists(value)',
          'REMOVE comment',
        ]),
        'reserved',
      ];
    case 4:
      return [`${current} AND #missing = :missing`, 'missingPlaceholders'];
    case 5: {
      const depth = random.pick([32, 100, 1000, 10_000]);
      return [Array.from({ length: depth }, (_, i) => `a${i % 10}`).join('.'), `path×${depth}`];
    }
    case 6:
      return [`a${'[0]'.repeat(random.pick([33, 1000, 10_000]))} = :s`, 'indexes'];
    case 7:
      return [
        `${current} AND ${'attribute_exists(a) AND '.repeat(random.pick([200, 5000]))}attribute_exists(b)`,
        'long',
      ];
    case 8:
      return [
        random.pick([
          '',
          ' ',
          'SET',
          'SET a',
          'SET a =',
          'a =',
          'size(',
          'attribute_type(a, :s, :s)',
          'a IN ()',
          `a IN (${Array(101).fill(':s').join(',')})`,
          'a BETWEEN :s',
          'NOT NOT NOT a',
          'list_append(a)',
        ]),
        'truncated',
      ];
    case 9:
      return [
        current.replace(/[#:][A-Za-z]+/, (m) => `${m[0]}${random.pick(PROTOTYPE_NAMES)}`),
        'prototypePlaceholder',
      ];
    default:
      return [`${'NOT '.repeat(random.pick([100, 10_000]))}attribute_exists(a)`, 'nots'];
  }
};

/** PartiQL statements that are malformed or nest deeply. */
const oddStatement = (random: Random, current: string): [string, string] => {
  const table = /"([^"]+)"/.exec(current)?.[1] ?? 'fuzz_hash';
  switch (random.int(9)) {
    case 0: {
      const depth = random.pick([100, 1000, 10_000, 100_000]);
      return [
        `SELECT * FROM "${table}" WHERE ${'('.repeat(depth)}pk = 'k1'${')'.repeat(depth)}`,
        `parens×${depth}`,
      ];
    }
    case 1: {
      const depth = random.pick([100, 1000, 10_000]);
      return [
        `INSERT INTO "${table}" VALUE {'pk': 'kx', 'a': ${'['.repeat(depth)}1${']'.repeat(depth)}}`,
        `list×${depth}`,
      ];
    }
    case 2: {
      const depth = random.pick([33, 1000, 10_000]);
      return [
        `INSERT INTO "${table}" VALUE {'pk': 'ky', 'a': ${"{'a': ".repeat(depth)}1${'}'.repeat(depth)}}`,
        `map×${depth}`,
      ];
    }
    case 3: {
      const n = 1 + random.int(25);
      const tokens = [
        'SELECT',
        '*',
        'FROM',
        `"${table}"`,
        'WHERE',
        'pk',
        '=',
        '?',
        "'",
        '"',
        'AND',
        'OR',
        '(',
        ')',
        '[',
        ']',
        '{',
        '}',
        'INSERT',
        'INTO',
        'VALUE',
        'UPDATE',
        'SET',
        'DELETE',
        'EXISTS',
        'MISSING',
        'NULL',
        '.',
        ',',
        '__proto__',
        'BEGINS_WITH',
        'size',
        '1e400',
      ];
      return [Array.from({ length: n }, () => random.pick(tokens)).join(' '), 'tokens'];
    }
    case 4:
      return [
        random.pick([
          `SELECT * FROM "${table}" WHERE pk = 'unterminated`,
          'SELECT * FROM "unterminated',
          `SELECT * FROM "${table}"."__proto__"`,
          'SELECT * FROM "__proto__"',
          `SELECT __proto__ FROM "${table}"`,
          `SELECT * FROM "${table}" WHERE pk = ? AND s = ?`,
          `UPDATE "${table}" SET __proto__ = 1 WHERE pk = 'k1'`,
          `UPDATE "${table}" REMOVE a.b[9999999999] WHERE pk = 'k1'`,
          '',
          ';',
          `SELECT * FROM "${table}"; DROP TABLE x`,
        ]),
        'odd',
      ];
    case 5:
      return [`${current} ${'AND pk = ? '.repeat(random.pick([50, 1000]))}`, 'manyParameters'];
    case 6:
      return [current.replace(/\?/, `${'-'.repeat(random.pick([1, 100]))}1e400`), 'oddLiteral'];
    case 7:
      return [
        `SELECT * FROM "${table}" WHERE pk IN [${Array(random.pick([50, 101, 5000]))
          .fill("'k1'")
          .join(',')}]`,
        'bigIn',
      ];
    default:
      return [current + 'x'.repeat(random.pick([8192, 100_000])), 'long'];
  }
};

const withSlot = (
  random: Random,
  draft: Draft,
  filter: (slot: Slot) => boolean,
  change: (slot: Slot) => string | undefined,
): string | undefined => {
  const slot = pickSlot(random, draft, filter);
  if (slot === undefined) return undefined;
  const what = change(slot);
  return what === undefined ? undefined : `${slot.pattern}:${what}`;
};

/** A shard iterator altered or forged: `<StreamArn>|1|<base64 JSON>` as the emulator issues them. */
const forgedIterator = (random: Random, iterator: string, fixtures: Fixtures): [string, string] => {
  const cut = iterator.lastIndexOf('|1|');
  const arn = cut > 0 ? iterator.slice(0, cut) : iterator;
  const token = cut > 0 ? iterator.slice(cut + 3) : '';
  let decoded: unknown[] = ['shardId-x', '0', Date.now()];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    // An iterator an earlier mutation already made deep is forged from scratch (re-encoding it would overflow).
    if (Array.isArray(parsed) && JSON.stringify(parsed).length < 100_000) decoded = parsed;
  } catch {}
  const encode = (value: unknown) =>
    `${arn}|1|${Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64')}`;
  const [shardId, after, issuedAt] = decoded as [unknown, unknown, number];
  const variants: [string, () => string][] = [
    ['futureIssue', () => encode([shardId, after, Number(issuedAt) + 10 * 365 * 24 * 3600 * 1000])],
    ['farFutureIssue', () => encode([shardId, after, 8.64e15])],
    ['expiredIssue', () => encode([shardId, after, Number(issuedAt) - 16 * 60 * 1000])],
    ['issueNotNumber', () => encode([shardId, after, random.pick(['x', null, 1e308, -1, true])])],
    ['afterNegative', () => encode([shardId, '-1', issuedAt])],
    ['afterHuge', () => encode([shardId, '9'.repeat(random.pick([30, 1000, 100_000])), issuedAt])],
    ['afterNotNumber', () => encode([shardId, random.pick(['x', '', '1.5', 5, null]), issuedAt])],
    [
      'otherShard',
      () =>
        encode([
          random.pick([
            ...(fixtures.shards.get(arn) ?? []),
            'shardId-00000000000000000000-00000000',
            '__proto__',
            '',
            'x'.repeat(70_000),
          ]),
          after,
          issuedAt,
        ]),
    ],
    [
      'otherArn',
      () =>
        `${random.pick([...fixtures.shards.keys(), 'arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2020-01-01T00:00:00.000', '', 'x', '__proto__'])}|1|${token}`,
    ],
    ['extraMembers', () => encode([shardId, after, issuedAt, 'extra', { a: 1 }])],
    ['object', () => encode({ 0: shardId, 1: after, 2: issuedAt })],
    ['tooShort', () => encode([shardId])],
    ['deep', () => encode(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)],
    [
      'flippedByte',
      () => {
        const chars = [...iterator];
        const at = random.int(chars.length);
        chars[at] = String.fromCharCode(((chars[at] ?? 'a').charCodeAt(0) ^ (1 << random.int(7))) & 0x7f);
        return chars.join('');
      },
    ],
    ['truncated', () => iterator.slice(0, random.int(iterator.length))],
    ['appended', () => `${iterator}${random.pick(['=', 'A', '|1|', '\u0000', 'ü'])}`],
    ['notBase64', () => `${arn}|1|!!!!${random.word()}`],
    ['noSeparator', () => token],
    ['huge', () => `${arn}|1|${'A'.repeat(random.pick([2048, 100_000]))}`],
  ];
  const [name, make] = random.pick(variants);
  return [make(), name];
};

const ODD_HEADERS: readonly [string, () => string | string[] | undefined][] = [
  ['content-type', () => undefined],
  ['content-type', () => ''],
  ['content-type', () => 'text/plain'],
  ['content-type', () => 'application/json'],
  ['content-type', () => 'application/x-amz-json-1.1'],
  ['content-type', () => 'application/x-amz-json-1.0; charset=utf-8'],
  ['content-type', () => 'application/x-amz-json-1.0garbage'],
  ['content-type', () => 'APPLICATION/X-AMZ-JSON-1.0'],
  ['content-type', () => ['application/x-amz-json-1.0', 'text/plain']],
  ['x-amz-target', () => undefined],
  ['x-amz-target', () => ''],
  ['x-amz-target', () => 'DynamoDB_20120810'],
  ['x-amz-target', () => 'DynamoDB_20120810.'],
  ['x-amz-target', () => '.PutItem'],
  ['x-amz-target', () => 'DynamoDB_20120810.putitem'],
  ['x-amz-target', () => 'DynamoDB_20120810.__proto__'],
  ['x-amz-target', () => 'DynamoDB_20120810.constructor'],
  ['x-amz-target', () => 'DynamoDB_20120810.toString'],
  ['x-amz-target', () => 'DynamoDB_20120810.hasOwnProperty'],
  ['x-amz-target', () => '__proto__.PutItem'],
  ['x-amz-target', () => 'constructor.name'],
  ['x-amz-target', () => 'DynamoDBStreams_20120810.PutItem'],
  ['x-amz-target', () => 'DynamoDB_20120810.PutItem.PutItem'],
  ['x-amz-target', () => 'EddyControl.RollOver'],
  ['x-amz-target', () => 'EddyControl.Split'],
  ['x-amz-target', () => 'EddyControl.SweepTtl'],
  ['x-amz-target', () => 'DynamoDB_20120810.ListGlobalTables'],
  ['x-amz-target', () => `DynamoDB_20120810.${'A'.repeat(10_000)}`],
  ['x-amz-target', () => ['DynamoDB_20120810.GetItem', 'DynamoDB_20120810.DeleteTable']],
  ['authorization', () => undefined],
  ['authorization', () => ''],
  ['authorization', () => 'garbage'],
  ['authorization', () => 'AWS4-HMAC-SHA256'],
  ['authorization', () => 'AWS4-HMAC-SHA256 Credential='],
  [
    'authorization',
    () =>
      'AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
  ],
  [
    'authorization',
    () =>
      'AWS4-HMAC-SHA256 Credential=__proto__/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
  ],
  [
    'authorization',
    () =>
      'AWS4-HMAC-SHA256 Credential=constructor/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
  ],
  [
    'authorization',
    () =>
      'AWS4-HMAC-SHA256 Credential=toString/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
  ],
  [
    'authorization',
    () =>
      'AWS4-HMAC-SHA256 Credential=fuzz/20260101/zz-fuzz-9/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
  ],
  [
    'authorization',
    () =>
      `AWS4-HMAC-SHA256 Credential=fuzz/${'/'.repeat(5000)}, SignedHeaders=${';'.repeat(5000)}, Signature=`,
  ],
  ['authorization', () => 'AWS4-HMAC-SHA256 Credential=ü/20260101/us-east-1/dynamodb/aws4_request'],
  [
    'authorization',
    () =>
      'AWS4-HMAC-SHA256 Credential=fuzz/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target;content-type;content-type, Signature=zz',
  ],
  [
    'authorization',
    () => ['AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/dynamodb/aws4_request', 'Bearer x'],
  ],
  ['x-amz-date', () => 'garbage'],
  ['x-amz-date', () => '99999999T999999Z'],
  ['x-amz-security-token', () => 'x'.repeat(4096)],
  ['origin', () => 'http://evil.example'],
  ['origin', () => 'null'],
  ['origin', () => 'http://127.0.0.1:1'],
  ['content-encoding', () => 'gzip'],
  ['transfer-encoding', () => 'chunked'],
  ['expect', () => '100-continue'],
  ['x-fuzz', () => 'x'.repeat(8000)],
];

const METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO'] as const;
const PATHS = [
  '/x',
  '/?a=b',
  '//',
  '/%00',
  '/%2e%2e/',
  `/${'a'.repeat(8000)}`,
  '/_eddy/control',
  '/_eddy/control/',
  '/_eddy/control/../control/rollOver',
  '/_eddy/control/__proto__',
  '/_eddy/control/constructor',
  '/_eddy/control/toString',
  '/_eddy/control/hasOwnProperty',
  '/_eddy/control/rollOver?x=1',
  '/_eddy/control/split/extra',
  '/_eddy/controlx',
  '/_EDDY/control/rollOver',
  '/_eddy/control/failNext%00',
] as const;

const MUTATORS: readonly Mutator[] = [
  {
    name: 'wrongType',
    weight: 14,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        () => true,
        (slot) => {
          const value = r.pick(wrongTypeValues(r, slot.shape));
          setSlot(slot, value);
          return `${slot.shape.kind}←${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`;
        },
      ),
  },
  {
    name: 'null',
    weight: 5,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        () => true,
        (slot) => {
          setSlot(slot, null);
          return 'null';
        },
      ),
  },
  {
    name: 'missing',
    weight: 3,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        (s) => s.present,
        (slot) => {
          deleteSlot(slot);
          return 'deleted';
        },
      ),
  },
  {
    name: 'unknownMember',
    weight: 4,
    apply: (r, d) => {
      const name = r.chance(0.7) ? r.pick(PROTOTYPE_NAMES) : r.word();
      const value = r.pick<unknown>(['x', 1, null, {}, [], { S: 'x' }, true]);
      const targets = collectSlots(d.body, d.shape).filter(
        (s) => s.present && isObject(getSlot(s)) && s.shape.kind !== 'map',
      );
      if (targets.length === 0 || r.chance(0.3)) {
        setMember(d.body, name, value);
        return `(top).${name}`;
      }
      const slot = r.pick(targets);
      setMember(getSlot(slot) as Record<string, unknown>, name, value);
      return `${slot.pattern}.${name}`;
    },
  },
  {
    name: 'hugeString',
    weight: 4,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        (s) =>
          s.shape.kind === 'string' ||
          s.shape.kind === 'blob' ||
          (isAttributeValue(s.shape) && isObject(getSlot(s))),
        (slot) => {
          const length = r.pick(STRING_LENGTHS);
          const text = r.pick(['x', 'é', '🙂', '\u0000']).repeat(length);
          if (slot.shape.kind === 'union') setSlot(slot, { S: text });
          else setSlot(slot, slot.shape.kind === 'blob' ? Buffer.from(text).toString('base64') : text);
          d.mayDropConnection ||= length >= 4 * 1024 * 1024;
          return `len${length}`;
        },
      ),
  },
  {
    name: 'oddNumber',
    weight: 5,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        (s) =>
          s.shape.kind === 'number' ||
          s.member === 'N' ||
          s.member === 'NS' ||
          (isAttributeValue(s.shape) && s.present),
        (slot) => {
          if (slot.shape.kind === 'number') {
            const literal = r.pick(ODD_NUMBER_LITERALS);
            setSlot(slot, new RawJson(literal));
            return literal;
          }
          const number = r.pick(ODD_NUMBERS);
          if (slot.member === 'NS') setSlot(slot, ['1', number]);
          else if (slot.member === 'N') setSlot(slot, number);
          else setSlot(slot, r.chance(0.5) ? { N: number } : { NS: [number] });
          return number.length > 40 ? `${number.slice(0, 10)}…(${number.length})` : JSON.stringify(number);
        },
      ),
  },
  {
    name: 'badBase64',
    weight: 3,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        (s) =>
          s.shape.kind === 'blob' ||
          s.member === 'B' ||
          s.member === 'BS' ||
          (isAttributeValue(s.shape) && s.present),
        (slot) => {
          const text = r.pick(BAD_BASE64);
          if (slot.shape.kind === 'blob' || slot.member === 'B') setSlot(slot, text);
          else if (slot.member === 'BS') setSlot(slot, ['YQ==', text]);
          else setSlot(slot, r.chance(0.5) ? { B: text } : { BS: [text] });
          return JSON.stringify(text.slice(0, 12));
        },
      ),
  },
  {
    name: 'oddAttributeName',
    weight: 7,
    apply: (r, d) => {
      const name = r.pick(oddAttributeNames());
      const label = JSON.stringify(
        name.length > 20 ? `${name.slice(0, 8)}…(${Buffer.byteLength(name)}B)` : name,
      );
      const slots = collectSlots(d.body, d.shape);
      const candidates = slots.filter(
        (s) =>
          (s.present &&
            (isAttributeMap(s.shape) || s.member === 'ExpressionAttributeNames') &&
            isObject(getSlot(s))) ||
          s.member === 'AttributeName' ||
          s.member === 'AttributesToGet',
      );
      if (candidates.length === 0) return undefined;
      const slot = r.pick(candidates);
      const value = getSlot(slot);
      if (slot.member === 'AttributeName') {
        setSlot(slot, name);
        return `${slot.pattern}:${label}`;
      }
      if (Array.isArray(value) || !isObject(value)) {
        if (Array.isArray(value)) value.push(name);
        else setSlot(slot, [name]);
        return `${slot.pattern}:${label}`;
      }
      const map = value as Record<string, unknown>;
      if (slot.member === 'ExpressionAttributeNames') {
        const keys = Object.keys(map);
        if (keys.length > 0 && r.chance(0.6)) setMember(map, r.pick(keys), name);
        else setMember(map, r.chance(0.5) ? `#${name}` : name, 's');
        return `${slot.pattern}:${label}`;
      }
      // An item, key or value map: rename an existing attribute (the key attribute too) or add one.
      const keys = Object.keys(map);
      const from = keys.length > 0 && r.chance(0.5) ? r.pick(keys) : undefined;
      const attribute = from === undefined ? { S: 'v' } : map[from];
      if (from !== undefined) delete map[from];
      setMember(map, name, attribute);
      return `${slot.pattern}:${from === undefined ? 'add' : 'rename'}:${label}`;
    },
  },
  {
    name: 'attributeValue',
    weight: 6,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        (s) => isAttributeValue(s.shape),
        (slot) => {
          const value = r.pick(malformedAttributeValues(r));
          setSlot(slot, value);
          return toJsonText(value).slice(0, 30);
        },
      ),
  },
  {
    name: 'deepItem',
    weight: 4,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        (s) => (s.present && isAttributeMap(s.shape) && isObject(getSlot(s))) || isAttributeValue(s.shape),
        (slot) => {
          const [value, label] = deepAttributeValue(r);
          if (isAttributeValue(slot.shape)) setSlot(slot, value);
          else
            setMember(
              getSlot(slot) as Record<string, unknown>,
              r.chance(0.8) ? 'deep' : r.pick(PROTOTYPE_NAMES),
              value,
            );
          return label;
        },
      ),
  },
  {
    name: 'deepJson',
    weight: 3,
    apply: (r, d) => {
      const [value, label] = deepJson(r);
      return withSlot(
        r,
        d,
        () => true,
        (slot) => {
          setSlot(slot, value);
          return label;
        },
      );
    },
  },
  {
    name: 'largeSize',
    weight: 3,
    apply: (r, d) => {
      const variant = r.int(6);
      if (variant === 0) {
        // An item at and past the 400 KB item limit.
        return withSlot(
          r,
          d,
          (s) => s.present && isAttributeMap(s.shape) && isObject(getSlot(s)),
          (slot) => {
            const size = r.pick([400 * 1024 - 100, 400 * 1024, 400 * 1024 + 1, 1024 * 1024]);
            setMember(getSlot(slot) as Record<string, unknown>, 'big', { S: 'x'.repeat(size) });
            return `big${size}`;
          },
        );
      }
      if (variant === 1) {
        // Many attributes, or a long list or set.
        return withSlot(
          r,
          d,
          (s) => s.present && isAttributeMap(s.shape) && isObject(getSlot(s)),
          (slot) => {
            const count = r.pick([1000, 10_000, 100_000]);
            const map = getSlot(slot) as Record<string, unknown>;
            const kind = r.int(3);
            if (kind === 0) for (let i = 0; i < count; i += 1) map[`a${i}`] = { N: String(i) };
            else if (kind === 1) map.list = { L: Array.from({ length: count }, () => ({ NULL: true })) };
            else map.set = { SS: Array.from({ length: count }, (_, i) => `v${i}`) };
            return `${['attributes', 'list', 'set'][kind]}×${count}`;
          },
        );
      }
      if (variant === 2) {
        // Lists past their caps: 25 batch writes, 100 batch gets and transaction items, 25 statements.
        return withSlot(
          r,
          d,
          (s) =>
            s.present &&
            s.shape.kind === 'list' &&
            Array.isArray(getSlot(s)) &&
            (getSlot(s) as unknown[]).length > 0,
          (slot) => {
            const list = getSlot(slot) as unknown[];
            const count = r.pick([25, 26, 100, 101, 1000]);
            const first = JSON.stringify(list[0] ?? null);
            setSlot(
              slot,
              Array.from({ length: count }, () => JSON.parse(first)),
            );
            return `×${count}`;
          },
        );
      }
      if (variant === 3) {
        // A body at and past the 16 MiB request limit.
        const size = r.pick([16 * 1024 * 1024 - 64, 16 * 1024 * 1024 + 1, 17 * 1024 * 1024]);
        setMember(d.body, 'Padding', 'x'.repeat(size));
        d.mayDropConnection = true;
        return `body${size}`;
      }
      if (variant === 4) {
        // Many expression placeholders.
        const count = r.pick([1000, 50_000]);
        const values: Record<string, unknown> = {};
        for (let i = 0; i < count; i += 1) values[`:v${i}`] = { N: '1' };
        d.body.ExpressionAttributeValues = values;
        return `values×${count}`;
      }
      const count = r.pick([1000, 50_000]);
      const names: Record<string, unknown> = {};
      for (let i = 0; i < count; i += 1) names[`#n${i}`] = `a${i}`;
      d.body.ExpressionAttributeNames = names;
      return `names×${count}`;
    },
  },
  {
    name: 'expression',
    weight: 7,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        (s) => s.shape.kind === 'string' && /Expression$/.test(s.member),
        (slot) => {
          const current =
            typeof getSlot(slot) === 'string' ? (getSlot(slot) as string) : 'attribute_exists(pk)';
          const [expression, label] = oddExpression(r, current);
          setSlot(slot, expression);
          return label;
        },
      ),
  },
  {
    name: 'partiql',
    weight: 4,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        (s) => s.member === 'Statement' && s.shape.kind === 'string',
        (slot) => {
          // An earlier mutation may have left any value here (an object with its own toString, say).
          const current = getSlot(slot);
          const [statement, label] = oddStatement(r, typeof current === 'string' ? current : '');
          setSlot(slot, statement);
          return label;
        },
      ),
  },
  {
    name: 'streamArgument',
    weight: 5,
    apply: (r, d, f) =>
      withSlot(
        r,
        d,
        (s) =>
          [
            'ShardIterator',
            'SequenceNumber',
            'ShardId',
            'StreamArn',
            'ExclusiveStartShardId',
            'ExclusiveStartStreamArn',
            'ShardIteratorType',
            'ShardFilter',
            'streamArn',
            'shardId',
            'ResourceArn',
          ].includes(s.member),
        (slot) => {
          const current = getSlot(slot);
          if (slot.member === 'ShardIterator' && typeof current === 'string') {
            const [iterator, label] = forgedIterator(r, current, f);
            setSlot(slot, iterator);
            return label;
          }
          if (slot.member === 'ShardFilter') {
            const filter = r.pick<unknown>([
              {},
              { Type: 'CHILD_SHARDS' },
              { Type: 'X', ShardId: 'shardId-x' },
              { Type: 'CHILD_SHARDS', ShardId: '' },
              { Type: 'CHILD_SHARDS', ShardId: 'x'.repeat(70_000) },
              { ShardId: 'shardId-x' },
            ]);
            setSlot(slot, filter);
            return toJsonText(filter).slice(0, 40);
          }
          const arnLike = /Arn$/i.test(slot.member);
          const value = r.pick([
            '',
            'x',
            '__proto__',
            '-1',
            '0',
            '9'.repeat(r.pick([21, 40, 10_000])),
            'shardId-00000000000000000000-00000000',
            ...(arnLike
              ? [
                  'arn:aws:dynamodb:us-east-1:000000000000:table/fuzz_hash/stream/2020-01-01T00:00:00.000',
                  'arn:aws:dynamodb:eu-west-1:123456789012:table/fuzz_hash',
                  'arn:aws:dynamodb:us-east-1:000000000000:table/__proto__/stream/x',
                  'arn:aws:dynamodb:::table/',
                  `${typeof current === 'string' ? current : ''}x`,
                  `arn:${':'.repeat(10_000)}`,
                ]
              : ['LATEST', 'AT_SEQUENCE_NUMBER', 'trim_horizon', 'x'.repeat(70_000)]),
          ]);
          setSlot(slot, value);
          return JSON.stringify(value.length > 24 ? `${value.slice(0, 12)}…(${value.length})` : value);
        },
      ),
  },
  {
    name: 'oddTableName',
    weight: 3,
    apply: (r, d) =>
      withSlot(
        r,
        d,
        (s) =>
          s.shape.kind === 'string' &&
          (s.member === 'TableName' || s.member === 'IndexName' || s.member === 'ExclusiveStartTableName'),
        (slot) => {
          const name = r.pick(oddTableNames());
          setSlot(slot, name);
          return JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name);
        },
      ),
  },
  {
    name: 'header',
    weight: 5,
    apply: (r, d) => {
      const [name, make] = r.pick(ODD_HEADERS);
      const value = make();
      for (const existing of Object.keys(d.headers))
        if (existing.toLowerCase() === name) delete d.headers[existing];
      if (value !== undefined) d.headers[name] = value;
      const shown = value === undefined ? '(none)' : Array.isArray(value) ? value.join(' | ') : value;
      if (name === 'expect' || name === 'transfer-encoding') d.mayDropConnection = true;
      return `${name}: ${shown.length > 40 ? `${shown.slice(0, 30)}…(${shown.length})` : shown}`;
    },
  },
  {
    name: 'invalidJson',
    weight: 5,
    apply: (r, d) => {
      const text = bodyOf(d);
      const variants: [string, () => Buffer][] = [
        ['empty', () => Buffer.alloc(0)],
        ['blank', () => Buffer.from(' \n')],
        ['truncated', () => text.subarray(0, r.int(text.length))],
        [
          'trailingGarbage',
          () => Buffer.concat([text, Buffer.from(r.pick(['}', ']', 'x', ',', '{}', '\u0000']))]),
        ],
        ['scalar', () => Buffer.from(r.pick(['[]', '"x"', '1', 'null', 'true', '[{}]']))],
        ['bom', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text])],
        [
          'invalidUtf8',
          () => {
            const copy = Buffer.from(text);
            copy[r.int(copy.length)] = r.pick([0xff, 0xc0, 0x80, 0xed]);
            return copy;
          },
        ],
        [
          'duplicateMember',
          () => {
            const first = Object.keys(d.body)[0] ?? 'TableName';
            return Buffer.from(
              `{${JSON.stringify(first)}:${r.pick(['1', '"x"', 'null', '{}'])},${text.subarray(1).toString('utf8')}`,
            );
          },
        ],
        ['loneSurrogate', () => Buffer.from(text.toString('utf8').replace(/"([^"\\]*)"/, '"\\ud800$1"'))],
        [
          'nonJsonLiteral',
          () =>
            Buffer.from(
              text
                .toString('utf8')
                .replace(
                  /:(\d+|"[^"]*")/,
                  `:${r.pick(['NaN', 'Infinity', 'undefined', "'x'", '0x1', '01', '.5'])}`,
                ),
            ),
        ],
        ['trailingComma', () => Buffer.from(text.toString('utf8').replace(/}$/, ',}'))],
        ['comment', () => Buffer.from(`/* x */${text.toString('utf8')}`)],
        ['controlCharacter', () => Buffer.from(text.toString('utf8').replace(/"([^"\\]*)"/, '"\t\u0001$1"'))],
        ['longNumber', () => Buffer.from(`{"Limit":${'9'.repeat(r.pick([400, 100_000]))}}`)],
        ['deepOpen', () => Buffer.from('['.repeat(r.pick([1000, 100_000])))],
      ];
      const [name, make] = r.pick(variants);
      d.bodyBytes = make();
      return name;
    },
  },
  {
    name: 'httpMethodPath',
    weight: 3,
    apply: (r, d) => {
      if (r.chance(0.5)) {
        d.method = r.pick(METHODS);
        return `method ${d.method}`;
      }
      d.path = r.pick(PATHS);
      return `path ${d.path.length > 40 ? `${d.path.slice(0, 20)}…` : d.path}`;
    },
  },
];

export type { Draft, Mutator };
export { bodyOf, CONTROL_SHAPES, MUTATORS };
