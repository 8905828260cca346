import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamViewType } from '../../../src/records/streamRecord.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

let tables = 0;
/** A fresh table with a stream of the given view type; returns its name and stream ARN. */
const tableWithStream = async (viewType: StreamViewType) => {
  const name = `table${++tables}`;
  await h.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    }),
  );
  const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: name }));
  return { name, streamArn: Table?.LatestStreamArn as string };
};

const shardOf = async (streamArn: string) => {
  const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  return StreamDescription?.Shards?.[0]?.ShardId as string;
};

const iterator = async (streamArn: string, type: ShardIteratorType, sequenceNumber?: string) => {
  const { ShardIterator } = await h.streams.send(
    new GetShardIteratorCommand({
      StreamArn: streamArn,
      ShardId: await shardOf(streamArn),
      ShardIteratorType: type,
      ...(sequenceNumber === undefined ? {} : { SequenceNumber: sequenceNumber }),
    }),
  );
  return ShardIterator as string;
};

const readAll = async (streamArn: string): Promise<_Record[]> => {
  const { Records } = await h.streams.send(
    new GetRecordsCommand({ ShardIterator: await iterator(streamArn, 'TRIM_HORIZON') }),
  );
  return Records ?? [];
};

describe('stream records', () => {
  it('writes INSERT, MODIFY and REMOVE records as AWS shapes them', async () => {
    const { name, streamArn } = await tableWithStream('NEW_AND_OLD_IMAGES');
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, v: { N: '2' } } }));
    await h.dynamodb.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }));
    const records = await readAll(streamArn);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records as [_Record, _Record, _Record];
    expect(insert).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        Keys: { pk: { S: 'a' } },
        NewImage: { pk: { S: 'a' }, v: { N: '1' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        SizeBytes: 3 + 3 + 3, // Keys pk:"a" (2 + 1) + NewImage pk:"a" (2 + 1) and v:1 (1 + 2)
      },
    });
    expect(insert.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(insert.dynamodb?.OldImage).toBeUndefined();
    expect(modify.dynamodb?.OldImage).toEqual({ pk: { S: 'a' }, v: { N: '1' } });
    expect(remove.dynamodb?.NewImage).toBeUndefined();
    expect(remove.dynamodb?.OldImage).toEqual({ pk: { S: 'a' }, v: { N: '2' } });
    // ApproximateCreationDateTime: whole epoch seconds on the wire, a Date in the SDK.
    expect(insert.dynamodb?.ApproximateCreationDateTime?.getMilliseconds()).toBe(0);
    const sequences = records.map((r) => BigInt(r.dynamodb?.SequenceNumber as string));
    expect(records.every((r) => /^\d{21,40}$/.test(r.dynamodb?.SequenceNumber ?? ''))).toBe(true);
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : 1)));
  });

  it.each([
    ['KEYS_ONLY', [], [], []],
    ['NEW_IMAGE', ['NewImage'], ['NewImage'], []],
    ['OLD_IMAGE', [], ['OldImage'], ['OldImage']],
    ['NEW_AND_OLD_IMAGES', ['NewImage'], ['NewImage', 'OldImage'], ['OldImage']],
  ] as const)('keeps the images %s keeps', async (viewType, onInsert, onModify, onRemove) => {
    const { name, streamArn } = await tableWithStream(viewType);
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, v: { N: '2' } } }));
    await h.dynamodb.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }));
    const images = (await readAll(streamArn)).map((r) =>
      ['NewImage', 'OldImage'].filter((k) => (r.dynamodb as Record<string, unknown>)[k] !== undefined),
    );
    expect(images).toEqual([onInsert, onModify, onRemove]);
  });

  it('writes no record for a write that changes nothing, a failed condition, or a delete of a missing item', async () => {
    const { name, streamArn } = await tableWithStream('NEW_AND_OLD_IMAGES');
    const item = { pk: { S: 'a' }, v: { N: '1' } };
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: item }));
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: item }));
    await h.dynamodb.send(
      new UpdateItemCommand({
        TableName: name,
        Key: { pk: { S: 'a' } },
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { N: '1.0' } },
      }),
    );
    await h.dynamodb
      .send(
        new PutItemCommand({
          TableName: name,
          Item: { ...item, v: { N: '9' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch(() => undefined);
    await h.dynamodb.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'missing' } } }));
    expect((await readAll(streamArn)).map((r) => r.eventName)).toEqual(['INSERT']);
  });

  it('writes no records for a table without a stream, and lists only real streams', async () => {
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'nostream',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const { Streams } = await h.streams.send(new ListStreamsCommand({ TableName: 'nostream' }));
    expect(Streams).toEqual([]);
  });
});

describe('iterators', () => {
  it('positions TRIM_HORIZON, LATEST, AT_ and AFTER_SEQUENCE_NUMBER', async () => {
    const { name, streamArn } = await tableWithStream('KEYS_ONLY');
    for (const pk of ['a', 'b', 'c'])
      await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: pk } } }));
    const all = await readAll(streamArn);
    const second = all[1]?.dynamodb?.SequenceNumber as string;
    const keysFrom = async (it: string) =>
      ((await h.streams.send(new GetRecordsCommand({ ShardIterator: it }))).Records ?? []).map(
        (r) => r.dynamodb?.Keys?.pk?.S,
      );
    expect(await keysFrom(await iterator(streamArn, 'TRIM_HORIZON'))).toEqual(['a', 'b', 'c']);
    expect(await keysFrom(await iterator(streamArn, 'AT_SEQUENCE_NUMBER', second))).toEqual(['b', 'c']);
    expect(await keysFrom(await iterator(streamArn, 'AFTER_SEQUENCE_NUMBER', second))).toEqual(['c']);
    const latest = await iterator(streamArn, 'LATEST');
    expect(await keysFrom(latest)).toEqual([]);
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'd' } } }));
    expect(await keysFrom(latest)).toEqual(['d']);
  });

  it('always returns a NextShardIterator on an open shard, and none at the end of a closed one', async () => {
    const { name, streamArn } = await tableWithStream('KEYS_ONLY');
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' } } }));
    const first = await h.streams.send(
      new GetRecordsCommand({ ShardIterator: await iterator(streamArn, 'TRIM_HORIZON') }),
    );
    const empty = await h.streams.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(empty.Records).toEqual([]);
    expect(empty.NextShardIterator).toBeDefined();
    await h.dynamodb.send(new DeleteTableCommand({ TableName: name }));
    const closed = await h.streams.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator }));
    expect(closed.Records).toEqual([]);
    expect(closed.NextShardIterator).toBeUndefined();
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    expect(StreamDescription?.StreamStatus).toBe('DISABLED');
    expect(StreamDescription?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber).toBeDefined();
  });

  it('shapes iterators like AWS: <StreamArn>|1|<token>', async () => {
    const { streamArn } = await tableWithStream('KEYS_ONLY');
    const it = await iterator(streamArn, 'LATEST');
    expect(it.startsWith(`${streamArn}|1|`)).toBe(true);
    expect(it.length).toBeLessThanOrEqual(2048);
  });

  it('limits GetRecords to Limit records', async () => {
    const { name, streamArn } = await tableWithStream('KEYS_ONLY');
    for (let i = 0; i < 5; i++)
      await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: `k${i}` } } }));
    const page = await h.streams.send(
      new GetRecordsCommand({ ShardIterator: await iterator(streamArn, 'TRIM_HORIZON'), Limit: 2 }),
    );
    expect(page.Records).toHaveLength(2);
    const next = await h.streams.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }));
    expect(next.Records?.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['k2', 'k3', 'k4']);
  });
});

describe('errors', () => {
  it("answers an unknown stream with ResourceNotFoundException and AWS's message", async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2026-01-01T00:00:00.000';
    await expect(h.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).rejects.toThrow(
      `Requested resource not found: Stream: ${arn} not found`,
    );
  });

  it('answers a bad iterator type with a ValidationException', async () => {
    const { streamArn } = await tableWithStream('KEYS_ONLY');
    await expect(
      h.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: await shardOf(streamArn),
          ShardIteratorType: 'SIDEWAYS' as never,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers a garbled iterator with a ValidationException', async () => {
    await expect(
      h.streams.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  // DynamoDB quotes a number that fails its range as any other value ("Value '0' at 'limit'"), as its
  // Query answer does (dynalite's validations/index.js, recorded from DynamoDB). Limits over the maximum are
  // in test/integration/emulator/streamParameters.test.ts.
  it.each<[string, () => Promise<unknown>, string]>([
    [
      'a GetRecords Limit below 1',
      () => h.streams.send(new GetRecordsCommand({ ShardIterator: 'x', Limit: 0 })),
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'a DescribeStream Limit below 1',
      () =>
        h.streams.send(
          new DescribeStreamCommand({
            StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2026-01-01T00:00:00.000',
            Limit: -1,
          }),
        ),
      "1 validation error detected: Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
  ])('quotes the value of %s', async (_, request, message) => {
    await expect(request()).rejects.toMatchObject({ name: 'ValidationException', message });
  });
});

describe('regions', () => {
  it('keeps regions apart, with ARNs naming the region of the request', async () => {
    const west = h.clientsFor('eu-west-1');
    await west.dynamodb.send(
      new CreateTableCommand({
        TableName: 'regional',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    const { Table } = await west.dynamodb.send(new DescribeTableCommand({ TableName: 'regional' }));
    expect(Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/regional');
    expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:eu-west-1:/);
    await expect(h.dynamodb.send(new DescribeTableCommand({ TableName: 'regional' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
