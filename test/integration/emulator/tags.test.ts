import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  type TagResourceCommandInput,
  UntagResourceCommand,
  type UntagResourceCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/tagged';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
  await h.dynamodb.send(
    new CreateTableCommand({
      TableName: 'tagged',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    }),
  );
});
afterAll(() => h.close());
afterEach(async () => {
  const { Tags = [] } = await h.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: TABLE_ARN }));
  if (Tags.length > 0) {
    await h.dynamodb.send(
      new UntagResourceCommand({ ResourceArn: TABLE_ARN, TagKeys: Tags.map((t) => t.Key as string) }),
    );
  }
});

const tag = (input: Record<string, unknown>) =>
  h.dynamodb.send(new TagResourceCommand(input as unknown as TagResourceCommandInput));
const untag = (input: Record<string, unknown>) =>
  h.dynamodb.send(new UntagResourceCommand(input as unknown as UntagResourceCommandInput));
const list = async (arn = TABLE_ARN) =>
  (await h.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags;

/** Expects an AWS error with this name and exact message. */
const fails = async (promise: Promise<unknown>, name: string, message: string) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${name}: ${message}`).toMatchObject({ name, message });
};

describe('TagResource, UntagResource, ListTagsOfResource', () => {
  it('lists no tags, upserts tags, and removes them by key (absent keys are ignored)', async () => {
    expect(await list()).toEqual([]);
    await tag({
      ResourceArn: TABLE_ARN,
      Tags: [
        { Key: 'team', Value: 'a' },
        { Key: 'env', Value: 'dev' },
      ],
    });
    await tag({
      ResourceArn: TABLE_ARN,
      Tags: [
        { Key: 'team', Value: 'b' },
        { Key: 'Team', Value: '' },
      ],
    });
    expect(await list()).toEqual([
      { Key: 'team', Value: 'b' },
      { Key: 'env', Value: 'dev' },
      { Key: 'Team', Value: '' },
    ]);
    await untag({ ResourceArn: TABLE_ARN, TagKeys: ['team', 'never-set'] });
    expect(await list()).toEqual([
      { Key: 'env', Value: 'dev' },
      { Key: 'Team', Value: '' },
    ]);
  });

  it('accepts letters of any script, spaces and + - = . _ : / @', async () => {
    await tag({ ResourceArn: TABLE_ARN, Tags: [{ Key: 'ключ café 表', Value: 'a+b-c=d.e_f:g/h@i' }] });
    expect(await list()).toEqual([{ Key: 'ключ café 表', Value: 'a+b-c=d.e_f:g/h@i' }]);
  });

  it('holds 50 tags: updating them is fine, a 51st is not', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await tag({ ResourceArn: TABLE_ARN, Tags: fifty });
    await tag({ ResourceArn: TABLE_ARN, Tags: [{ Key: 'k0', Value: 'new' }] });
    await fails(
      tag({ ResourceArn: TABLE_ARN, Tags: [{ Key: 'k50', Value: 'v' }] }),
      'ValidationException',
      'Number of Tags exceed the current limit for the provided ResourceArn',
    );
    expect(await list()).toHaveLength(50);
  });

  it('refuses a tag set over 10 KiB', async () => {
    const big = Array.from({ length: 40 }, (_, i) => ({
      Key: `key${String(i).padStart(3, '0')}`,
      Value: 'v'.repeat(256),
    }));
    await fails(
      tag({ ResourceArn: TABLE_ARN, Tags: big }),
      'ValidationException',
      'Tag set size 10480 bytes is above max size limit of 10240 bytes',
    );
  });

  it('gives a stream its own tags', async () => {
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'tagged' }));
    const streamArn = Table?.LatestStreamArn as string;
    expect(await list(streamArn)).toEqual([]);
    await tag({ ResourceArn: streamArn, Tags: [{ Key: 'of', Value: 'stream' }] });
    expect(await list(streamArn)).toEqual([{ Key: 'of', Value: 'stream' }]);
    expect(await list()).toEqual([]);
  });

  it('forgets a table’s tags with the table', async () => {
    const create = () =>
      h.dynamodb.send(
        new CreateTableCommand({
          TableName: 'reborn',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          Tags: [{ Key: 'gen', Value: '1' }],
        }),
      );
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/reborn';
    await create();
    await tag({ ResourceArn: arn, Tags: [{ Key: 'extra', Value: 'x' }] });
    await h.dynamodb.send(new DeleteTableCommand({ TableName: 'reborn' }));
    await fails(
      list(arn),
      'ResourceNotFoundException',
      `Requested resource not found: ResourceArn: ${arn} not found`,
    );
    await create();
    expect(await list(arn)).toEqual([{ Key: 'gen', Value: '1' }]);
  });

  const missingArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/missing';
  it.each([
    [
      'no ARN and no tags',
      { ResourceArn: undefined, Tags: undefined },
      "2 validation errors detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null; Value null at 'tags' failed to satisfy constraint: Member must not be null",
    ],
    [
      'an empty ARN',
      { ResourceArn: '' },
      "1 validation error detected: Value '' at 'resourceArn' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'a bare table name',
      { ResourceArn: 'tagged' },
      "One or more parameter values were invalid: ARNs must start with 'arn:': tagged",
    ],
    [
      'another service’s ARN',
      { ResourceArn: 'arn:aws:s3:::bucket' },
      'One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket',
    ],
    [
      'a backup ARN',
      { ResourceArn: `${TABLE_ARN}/backup/01234567890123-abcdefgh` },
      `One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: ${TABLE_ARN}/backup/01234567890123-abcdefgh`,
    ],
    [
      'an index ARN',
      { ResourceArn: `${TABLE_ARN}/index/byX` },
      `One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${TABLE_ARN}/index/byX`,
    ],
    [
      'another region’s ARN',
      { ResourceArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/tagged' },
      'Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:000000000000:table/tagged',
    ],
    [
      'a table name too short to be one',
      { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/ab' },
      'Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:000000000000:table/ab',
    ],
    ['no tags', { Tags: [] }, 'Atleast one Tag needs to be provided as Input.'],
    ['an empty key', { Tags: [{ Key: '', Value: 'v' }] }, 'The Tag Key provided is invalid, Key: '],
    ['a missing key', { Tags: [{ Value: 'v' }] }, 'The Tag Key provided is invalid, Key: null'],
    [
      'a key of 129 characters',
      { Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] },
      `The Tag Key provided is invalid, Key: ${'k'.repeat(129)}`,
    ],
    [
      'a key with #',
      { Tags: [{ Key: 'bad#char', Value: 'v' }] },
      'The Tag Key provided is invalid, Key: bad#char',
    ],
    [
      'a key under aws: in any case, beside a good one',
      {
        Tags: [
          { Key: 'good', Value: 'g' },
          { Key: 'AWS:foo', Value: 'v' },
        ],
      },
      'Tag Key cannot be prefixed with aws:, Key: AWS:foo',
    ],
    ['a missing value', { Tags: [{ Key: 'k' }] }, 'The Tag Value provided is invalid, Value: null'],
    [
      'a value of 257 characters',
      { Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] },
      `The Tag Value provided is invalid, Value: ${'v'.repeat(257)}`,
    ],
    ['an emoji value', { Tags: [{ Key: 'k', Value: '🔑' }] }, 'The Tag Value provided is invalid, Value: 🔑'],
    [
      'a key given twice',
      {
        Tags: [
          { Key: 'dup', Value: 'a' },
          { Key: 'dup', Value: 'b' },
        ],
      },
      'Duplicate Tag Keys provided as input: Duplicate Tag Key found dup',
    ],
  ])('TagResource refuses %s', async (_what, input, message) => {
    await fails(
      tag({ ResourceArn: TABLE_ARN, Tags: [{ Key: 'good', Value: 'g' }], ...input }),
      'ValidationException',
      message,
    );
    // All or nothing: the good tag was not applied either.
    expect(await list()).toEqual([]);
  });

  it('answers another account’s ARN with AccessDeniedException and a missing table with its ARN', async () => {
    await fails(
      tag({
        ResourceArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/tagged',
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
      'AccessDeniedException',
      'Access is denied',
    );
    await fails(
      tag({ ResourceArn: missingArn, Tags: [{ Key: 'k', Value: 'v' }] }),
      'ResourceNotFoundException',
      `Requested resource not found: ResourceArn: ${missingArn} not found`,
    );
    // Bad tags are found before the missing table.
    await fails(
      tag({ ResourceArn: missingArn, Tags: [{ Key: 'aws:k', Value: 'v' }] }),
      'ValidationException',
      'Tag Key cannot be prefixed with aws:, Key: aws:k',
    );
    await fails(
      list(missingArn),
      'ResourceNotFoundException',
      `Requested resource not found: ResourceArn: ${missingArn} not found`,
    );
  });

  it.each([
    [
      'no keys member',
      { TagKeys: undefined },
      "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
    ],
    ['no keys', { TagKeys: [] }, 'Atleast one Tag Key needs to be provided as Input.'],
    [
      '51 keys',
      { TagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) },
      'Number of Tags exceed the current limit for the provided ResourceArn',
    ],
    ['an empty key', { TagKeys: [''] }, 'The Tag Key provided is invalid, Key: '],
    ['a key under aws:', { TagKeys: ['aws:foo'] }, 'Tag Key cannot be prefixed with aws:, Key: aws:foo'],
  ])('UntagResource refuses %s', async (_what, input, message) => {
    await fails(untag({ ResourceArn: TABLE_ARN, ...input }), 'ValidationException', message);
  });

  it('ListTagsOfResource checks the ARN like the others', async () => {
    await fails(
      h.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: 'not-an-arn' })),
      'ValidationException',
      "One or more parameter values were invalid: ARNs must start with 'arn:': not-an-arn",
    );
  });
});

describe('tags while a table is being created', () => {
  let slow: EmulatorHarness;
  afterEach(() => slow.close());

  it('answers ResourceNotFoundException until the table is ACTIVE, then shows the tags it was created with', async () => {
    const clock = new ManualClock();
    slow = await startHarness({ clock, tableStatusDelayMs: 3000 });
    await slow.dynamodb.send(
      new CreateTableCommand({
        TableName: 'young',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        Tags: [{ Key: 'born', Value: 'yes' }],
      }),
    );
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/young';
    await fails(
      slow.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn })),
      'ResourceNotFoundException',
      `Requested resource not found: ResourceArn: ${arn} not found`,
    );
    clock.advance(3000);
    expect((await slow.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'born', Value: 'yes' },
    ]);
  });
});
