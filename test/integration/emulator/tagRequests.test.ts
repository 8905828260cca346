import {
  DescribeTableCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

/*
 * Tag operations sent with no members at all, and many TagResource calls in flight at once on one table
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html).
 */

let h: EmulatorHarness;
let tableArn: string;
let streamArn: string;
beforeAll(async () => {
  h = await startHarness();
  streamArn = await createStreamTable(h.dynamodb, 'crowd', 'KEYS_ONLY');
  const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'crowd' }));
  tableArn = Table?.TableArn as string;
});
afterAll(() => h.close());

/** A raw request, for bodies the SDK would never send. */
const post = async (operation: string, body: string) => {
  const response = await fetch(h.running.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-date': '20260101T000000Z',
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const nullMember = (member: string) =>
  `Value null at '${member}' failed to satisfy constraint: Member must not be null`;

describe('an empty request body', () => {
  // `{}`: the members the API reference marks "Required: Yes" are null, reported in member order in the
  // coral wording, as for a null member of any DynamoDB operation.
  it.each([
    ['TagResource', `2 validation errors detected: ${nullMember('resourceArn')}; ${nullMember('tags')}`],
    ['UntagResource', `2 validation errors detected: ${nullMember('resourceArn')}; ${nullMember('tagKeys')}`],
    ['ListTagsOfResource', `1 validation error detected: ${nullMember('resourceArn')}`],
  ])('answers %s {} with a ValidationException naming the missing members', async (operation, message) => {
    expect(await post(operation, '{}')).toEqual({
      status: 400,
      body: { __type: 'com.amazon.coral.validate#ValidationException', message },
    });
  });

  // A body with no JSON document at all is not a request with no members: DynamoDB answers a
  // SerializationException without a message (as recorded from DynamoDB by dynalite's test suite).
  it.each(['TagResource', 'UntagResource', 'ListTagsOfResource'])(
    'answers %s with a zero-length body with a SerializationException',
    async (operation) => {
      expect(await post(operation, '')).toEqual({
        status: 400,
        body: { __type: 'com.amazon.coral.service#SerializationException' },
      });
    },
  );

  it('changes no tags when refused', async () => {
    await post('TagResource', '{}');
    await post('UntagResource', '');
    const { Tags } = await h.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: tableArn }));
    expect(Tags).toEqual([]);
  });
});

describe('concurrent TagResource calls on one resource', () => {
  /** Several SDK clients (so several connections), each to send its share of the calls at once. */
  const senders: DynamoDBClient[] = [];
  const connect = () => {
    while (senders.length < 6) {
      senders.push(
        new DynamoDBClient({
          endpoint: h.running.endpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        }),
      );
    }
    return senders;
  };
  afterAll(() => {
    for (const client of senders) client.destroy();
  });

  it.each([
    ['table', () => tableArn],
    ['stream', () => streamArn],
  ])('keeps every tag of 48 calls in flight at once on a %s', async (_, arnOf) => {
    const arn = arnOf();
    connect();
    const calls = Array.from({ length: 48 }, (_, i) =>
      (senders[i % senders.length] as DynamoDBClient).send(
        new TagResourceCommand({
          ResourceArn: arn,
          // Each call adds its own key and rewrites a shared one: all 48 keys (and the shared one) must remain.
          Tags: [
            { Key: `k${String(i).padStart(2, '0')}`, Value: `v${i}` },
            { Key: 'shared', Value: `from ${i}` },
          ],
        }),
      ),
    );
    await Promise.all(calls);
    const { Tags = [] } = await h.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    const keys = Tags.map((t) => t.Key as string).sort();
    expect(keys).toEqual([
      ...Array.from({ length: 48 }, (_, i) => `k${String(i).padStart(2, '0')}`),
      'shared',
    ]);
    for (const { Key, Value } of Tags) {
      if (Key !== 'shared') expect(Value).toBe(`v${Number(Key?.slice(1))}`);
    }
    // Untag them all at once too: nothing is left behind.
    await Promise.all(
      Tags.map(({ Key }, i) =>
        (senders[i % senders.length] as DynamoDBClient).send(
          new UntagResourceCommand({ ResourceArn: arn, TagKeys: [Key as string] }),
        ),
      ),
    );
    expect((await h.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([]);
  });
});
