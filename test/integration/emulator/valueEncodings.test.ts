import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

/*
 * How DynamoDB reads binary and number values on the wire, sent as raw JSON (the SDK would encode binaries
 * itself and never send unpadded base64).
 */

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
  await send('CreateTable', {
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await send('CreateTable', {
    TableName: BINARY_KEYED,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'B' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
});
afterAll(() => h.close());

const TABLE = 'value-encodings';
const BINARY_KEYED = 'value-encodings-binary-key';

const send = async (
  operation: string,
  body: object,
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(h.running.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const SERIALIZATION = 'com.amazon.coral.service#SerializationException';
const VALIDATION = 'com.amazon.coral.validate#ValidationException';

/** The error a request got, as `__type` and message (DynamoDB sends the message as `message` or `Message`). */
const errorOf = ({ status, body }: { status: number; body: Record<string, unknown> }) => ({
  status,
  type: body.__type,
  message: body.message ?? body.Message,
});

const putValue = (id: string, value: object) =>
  send('PutItem', { TableName: TABLE, Item: { pk: { S: id }, v: value } });
const storedValue = async (id: string) =>
  (
    (await send('GetItem', { TableName: TABLE, Key: { pk: { S: id } }, ConsistentRead: true })).body.Item as
      | Record<string, unknown>
      | undefined
  )?.v;

describe('binary values: base64 with padding only (AWS behaviour undocumented; messages as dynalite records DynamoDB, validations/index.js)', () => {
  it.each(['', 'AA==', 'AAA=', 'AQI=', 'Zm9vYg==', 'AA/+', 'Zm9vYmFy'])(
    'accepts canonical base64 %j and returns it as sent',
    async (text) => {
      expect((await putValue(`b-${text}`, { B: text })).status).toBe(200);
      expect(await storedValue(`b-${text}`)).toEqual({ B: text });
    },
  );

  it.each([
    ['AQ', 2],
    ['AQI', 3],
    ['Zm9vYg', 6],
    ['Zm9vYmE', 7],
    ['A', 1],
    ['AAAAA', 5],
    ['AA=', 3],
    ['AA AA', 5],
  ])(
    'refuses %j (unpadded or of a length not a multiple of 4) with a SerializationException naming its length',
    async (text, length) => {
      expect(errorOf(await putValue('b-bad', { B: text }))).toEqual({
        status: 400,
        type: SERIALIZATION,
        message: `Base64 encoded length is expected a multiple of 4 bytes but found: ${length}`,
      });
    },
  );

  it.each(['AB==', 'AAB=', 'A===', '====', 'AA=A', 'A@AA', 'AA-_', 'é123', 'AAAAAA==AAAA', 'AAAA===='])(
    'refuses %j (a character outside the alphabet, misplaced padding, bits set past the data) as DynamoDB does',
    async (text) => {
      expect(errorOf(await putValue('b-bad', { B: text }))).toEqual({
        status: 400,
        type: SERIALIZATION,
        message: 'Invalid last non-pad Base64 character dectected',
      });
    },
  );

  it('checks binary set members, expression values and binary keys the same way, and stores nothing', async () => {
    expect(errorOf(await putValue('bs-bad', { BS: ['AQ==', 'AQ'] })).message).toBe(
      'Base64 encoded length is expected a multiple of 4 bytes but found: 2',
    );
    expect(errorOf(await putValue('bs-bad', { BS: ['AQ==', 'AR=='] })).message).toBe(
      'Invalid last non-pad Base64 character dectected',
    );
    const update = await send('UpdateItem', {
      TableName: TABLE,
      Key: { pk: { S: 'bs-bad' } },
      UpdateExpression: 'SET v = :b',
      ExpressionAttributeValues: { ':b': { B: 'AQ' } },
    });
    expect(errorOf(update).type).toBe(SERIALIZATION);
    const keyed = await send('PutItem', { TableName: BINARY_KEYED, Item: { pk: { B: 'AQ' } } });
    expect(errorOf(keyed).message).toBe(
      'Base64 encoded length is expected a multiple of 4 bytes but found: 2',
    );
    expect(await storedValue('bs-bad')).toBeUndefined();
  });
});

describe('numbers in requests (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number)', () => {
  it.each([
    ['1'.repeat(38), '1'.repeat(38)],
    ['9.9999999999999999999999999999999999999E+125', `${'9'.repeat(38)}${'0'.repeat(88)}`],
    ['-9.9999999999999999999999999999999999999E+125', `-${'9'.repeat(38)}${'0'.repeat(88)}`],
    ['1E-130', `0.${'0'.repeat(129)}1`],
    ['-1E-130', `-0.${'0'.repeat(129)}1`],
    ['0.1E-129', `0.${'0'.repeat(129)}1`],
    ['00001', '1'],
    ['1.000', '1'],
    ['+1', '1'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['-.5e-3', '-0.0005'],
    ['1.5e3', '1500'],
    ['1.5E+3', '1500'],
    ['-0', '0'],
    ['-0.0', '0'],
    ['0e5', '0'],
    ['0e125', '0'],
    ['0e-130', '0'],
    ['-17.4E37', `-174${'0'.repeat(36)}`],
    ['1e+5', '100000'],
    [`0.${'0'.repeat(100)}`, '0'],
    [`1${'0'.repeat(100)}`, `1${'0'.repeat(100)}`],
  ])('stores %j as %j: leading and trailing zeros trimmed, exponents written out', async (text, stored) => {
    expect((await putValue(`n-${text.slice(0, 60)}`, { N: text })).status).toBe(200);
    expect(await storedValue(`n-${text.slice(0, 60)}`)).toEqual({ N: stored });
  });

  const NOT_A_NUMBER = 'A value provided cannot be converted into a number';
  const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
  const UNDERFLOW =
    'Number underflow. Attempting to store a number with magnitude smaller than supported range';
  const TOO_PRECISE = 'Attempting to store more than 38 significant digits in a Number';

  it.each([
    ['1'.repeat(39), TOO_PRECISE],
    ['-1.23456789012345678901234567890123456789', TOO_PRECISE],
    ['1E+126', OVERFLOW],
    ['10E+125', OVERFLOW],
    ['-1E+126', OVERFLOW],
    ['1E+2147483647', OVERFLOW],
    ['1E-131', UNDERFLOW],
    ['0.01E-129', UNDERFLOW],
    ['', NOT_A_NUMBER],
    [' 1', NOT_A_NUMBER],
    ['1 ', NOT_A_NUMBER],
    ['NaN', NOT_A_NUMBER],
    ['Infinity', NOT_A_NUMBER],
    ['-Infinity', NOT_A_NUMBER],
    ['1e', NOT_A_NUMBER],
    ['e1', NOT_A_NUMBER],
    ['.', NOT_A_NUMBER],
    ['+', NOT_A_NUMBER],
    ['--1', NOT_A_NUMBER],
    ['1..2', NOT_A_NUMBER],
    ['1E1.5', NOT_A_NUMBER],
    ['0x10', NOT_A_NUMBER],
    // The exponent is read in full as a 64-bit integer, and zero is range-checked by it (undocumented;
    // DynamoDB's answers, recorded from live DynamoDB).
    ['1E2147483648', OVERFLOW],
    ['1E99999999999', OVERFLOW],
    ['1e-99999999999', UNDERFLOW],
    ['0E99999999999', OVERFLOW],
    ['0e126', OVERFLOW],
    ['0e-131', UNDERFLOW],
    ['1e9223372036854775808', 'The parameter cannot be converted to a numeric value'],
  ])('refuses %j: %s (messages as DynamoDB words them)', async (text, message) => {
    expect(errorOf(await putValue('n-bad', { N: text }))).toEqual({
      status: 400,
      type: VALIDATION,
      message,
    });
    expect(await storedValue('n-bad')).toBeUndefined();
  });

  it('prefixes the same messages with the placeholder for expression attribute values', async () => {
    const result = await send('UpdateItem', {
      TableName: TABLE,
      Key: { pk: { S: 'n-bad' } },
      UpdateExpression: 'SET v = :x',
      ExpressionAttributeValues: { ':x': { N: '0.9E-130' } },
    });
    expect(errorOf(result).message).toBe(
      `ExpressionAttributeValues contains invalid value: ${UNDERFLOW} for key :x`,
    );
  });
});

describe('numbers in update arithmetic: DynamoDB refuses rather than rounds', () => {
  const MAX = '9.9999999999999999999999999999999999999E+125';
  const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
  const UNDERFLOW =
    'Number underflow. Attempting to store a number with magnitude smaller than supported range';
  const arithmetic = (id: string, expression: string, values: Record<string, string>) =>
    send('UpdateItem', {
      TableName: TABLE,
      Key: { pk: { S: id } },
      UpdateExpression: expression,
      ExpressionAttributeValues: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { N: v }])),
      ReturnValues: 'UPDATED_NEW',
    });

  it.each([
    ['SET v = :a + :b', { ':a': '9e125', ':b': '9e125' }],
    ['SET v = :a - :b', { ':a': '9e125', ':b': '-9e125' }],
    ['SET v = :a + :b', { ':a': MAX, ':b': '1E+125' }],
  ])('%s past 9.99…E+125 is a Number overflow (as DynamoDB answers)', async (expression, values) => {
    expect(errorOf(await arithmetic('arith-overflow', expression, values))).toEqual({
      status: 400,
      type: VALIDATION,
      message: OVERFLOW,
    });
  });

  it.each([
    ['SET v = :a - :b', { ':a': '1e50', ':b': '1' }],
    ['SET v = :a + :b', { ':a': '1e50', ':b': '1' }],
    ['SET v = :a + :b', { ':a': '1', ':b': '1e-100' }],
  ])(
    '%s needing more than 38 digits is also answered "Number overflow" (undocumented; as DynamoDB answers)',
    async (expression, values) => {
      expect(errorOf(await arithmetic('arith-imprecise', expression, values)).message).toBe(OVERFLOW);
      expect(await storedValue('arith-imprecise')).toBeUndefined();
    },
  );

  it('ADD and SET a = a + :x on stored numbers check the same limits, and change nothing when refused', async () => {
    await putValue('arith-stored', { N: MAX });
    expect(errorOf(await arithmetic('arith-stored', 'ADD v :x', { ':x': '1E+125' })).message).toBe(OVERFLOW);
    expect(errorOf(await arithmetic('arith-stored', 'SET v = v + :x', { ':x': '0.1' })).message).toBe(
      OVERFLOW,
    );
    expect(await storedValue('arith-stored')).toEqual({ N: `${'9'.repeat(38)}${'0'.repeat(88)}` });
    const legacy = await send('UpdateItem', {
      TableName: TABLE,
      Key: { pk: { S: 'arith-stored' } },
      AttributeUpdates: { v: { Action: 'ADD', Value: { N: '1E+125' } } },
    });
    expect(errorOf(legacy).message).toBe(OVERFLOW);
  });

  it('a result below 1E-130 is a Number underflow; an exact zero is 0', async () => {
    expect(
      errorOf(await arithmetic('arith-under', 'SET v = :a - :b', { ':a': '2E-130', ':b': '1.5E-130' }))
        .message,
    ).toBe(UNDERFLOW);
    const zero = await arithmetic('arith-zero', 'SET v = :a - :b', { ':a': '1E-130', ':b': '1E-130' });
    expect(zero.body.Attributes).toEqual({ v: { N: '0' } });
  });

  it('exact results within 38 digits are kept whole (as DynamoDB answers)', async () => {
    const sum = await arithmetic('arith-exact', 'SET v = :a + :b', {
      ':a': '1',
      ':b': '10000000000000000000000',
    });
    expect(sum.body.Attributes).toEqual({ v: { N: '10000000000000000000001' } });
    const added = await arithmetic('arith-exact', 'ADD v :x', { ':x': '-0.000000000000001' });
    expect(added.body.Attributes).toEqual({ v: { N: '10000000000000000000000.999999999999999' } });
  });
});
