import {
  DescribeStreamCommand,
  type DescribeStreamCommandInput,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAwsError } from '../../helpers/awsError.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

/*
 * DynamoDB Streams parameters: cursors that name nothing, and the members' constraints with AWS's messages.
 * Constraints follow the API reference (lengths, ranges, enums) in the coral wording AWS's front end uses
 * ("1 validation error detected: Value '…' at '…' failed to satisfy constraint: …", joined with "; " in the
 * model's member order). Where AWS documents no answer, the test name says so and follows DynamoDB Local.
 */

let h: EmulatorHarness;
/** Streams of tables `sp-b`, `sp-d` and `sp-f` (ARNs sort by table name), with four shards each. */
const arns: Record<string, string> = {};
let shardIds: string[] = [];

beforeAll(async () => {
  h = await startHarness({ streams: { shardCount: 4 } });
  for (const name of ['sp-d', 'sp-b', 'sp-f']) {
    arns[name] = await createStreamTable(h.dynamodb, name, 'KEYS_ONLY');
  }
  const { StreamDescription } = await h.streams.send(
    new DescribeStreamCommand({ StreamArn: arns['sp-d'] as string }),
  );
  shardIds = (StreamDescription?.Shards ?? []).map((s) => s.ShardId as string);
});
afterAll(() => h.close());

const listed = async (input: { ExclusiveStartStreamArn?: string; Limit?: number }) => {
  const out = await h.streams.send(new ListStreamsCommand(input));
  return { tables: (out.Streams ?? []).map((s) => s.TableName), last: out.LastEvaluatedStreamArn };
};

const described = async (input: Partial<DescribeStreamCommandInput>) => {
  const out = await h.streams.send(
    new DescribeStreamCommand({ StreamArn: arns['sp-d'] as string, ...input }),
  );
  return {
    shards: (out.StreamDescription?.Shards ?? []).map((s) => s.ShardId),
    last: out.StreamDescription?.LastEvaluatedShardId,
  };
};

/** An ARN of the emulator's account and region for a table with no stream. */
const arnOf = (table: string) => (arns['sp-d'] as string).replace('table/sp-d/', `table/${table}/`);

describe('ExclusiveStart cursors that name no stream or shard (undocumented by AWS; DynamoDB Local answers)', () => {
  it('pages ListStreams in ARN order, LastEvaluatedStreamArn naming the last stream of a page', async () => {
    expect(await listed({})).toEqual({ tables: ['sp-b', 'sp-d', 'sp-f'], last: undefined });
    expect(await listed({ Limit: 1 })).toEqual({ tables: ['sp-b'], last: arns['sp-b'] });
    expect(await listed({ Limit: 1, ExclusiveStartStreamArn: arns['sp-b'] as string })).toEqual({
      tables: ['sp-d'],
      last: arns['sp-d'],
    });
    expect(await listed({ ExclusiveStartStreamArn: arns['sp-d'] as string })).toEqual({
      tables: ['sp-f'],
      last: undefined,
    });
  });

  it.each([
    ['before every stream', 'sp-a', ['sp-b', 'sp-d', 'sp-f']],
    ['between two streams', 'sp-c', ['sp-d', 'sp-f']],
    ['after every stream', 'sp-z', []],
  ])('continues ListStreams where a stream ARN %s would sort, without an error', async (_, table, tables) => {
    expect((await listed({ ExclusiveStartStreamArn: arnOf(table) })).tables).toEqual(tables);
  });

  it('continues DescribeStream after a known shard, and where an unknown shard id would sort', async () => {
    expect(shardIds).toHaveLength(4);
    expect(await described({ Limit: 2 })).toEqual({ shards: shardIds.slice(0, 2), last: shardIds[1] });
    expect(await described({ ExclusiveStartShardId: shardIds[1] as string })).toEqual({
      shards: shardIds.slice(2),
      last: undefined,
    });
    // Shard ids start with their 20-digit creation time, so these sort before and after every shard.
    expect(await described({ ExclusiveStartShardId: 'shardId-00000000000000000000-00000000' })).toEqual({
      shards: shardIds,
      last: undefined,
    });
    expect(await described({ ExclusiveStartShardId: 'shardId-99999999999999999999-00000000' })).toEqual({
      shards: [],
      last: undefined,
    });
  });
});

describe('ShardFilter (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ShardFilter.html)', () => {
  it('lists no shard for CHILD_SHARDS without a ShardId (undocumented by AWS; DynamoDB Local answers)', async () => {
    expect((await described({ ShardFilter: { Type: 'CHILD_SHARDS' } })).shards).toEqual([]);
  });

  it('lists no shard for the children of a shard that has none', async () => {
    const filter = { Type: 'CHILD_SHARDS' as const, ShardId: shardIds[0] as string };
    expect((await described({ ShardFilter: filter })).shards).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a filter without a Type',
      {},
      "1 validation error detected: Value null at 'shardFilter.type' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a Type other than CHILD_SHARDS and a ShardId too short',
      { Type: 'PARENT_SHARDS', ShardId: 'shardId-1' },
      "2 validation errors detected: Value 'PARENT_SHARDS' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]; " +
        "Value 'shardId-1' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length greater than or equal to 28",
    ],
  ])('refuses %s', async (_, filter, message) => {
    await expectAwsError(
      h.streams.send(
        new DescribeStreamCommand({ StreamArn: arns['sp-d'] as string, ShardFilter: filter as never }),
      ),
      'ValidationException',
      message,
    );
  });
});

describe('member constraints (API reference lengths and ranges, coral wording)', () => {
  const short = 'arn:aws:dynamodb:us-east-1:0:table/x'; // 36 characters
  const long = `arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/${'9'.repeat(970)}`; // 1025

  it.each<[string, () => Promise<unknown>, string]>([
    [
      'DescribeStream: StreamArn, Limit and ExclusiveStartShardId at once, in member order',
      () =>
        h.streams.send(
          new DescribeStreamCommand({ StreamArn: short, Limit: 0, ExclusiveStartShardId: 'shardId-1' }),
        ),
      `3 validation errors detected: Value '${short}' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37; ` +
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value 'shardId-1' at 'exclusiveStartShardId' failed to satisfy constraint: Member must have length greater than or equal to 28",
    ],
    [
      'DescribeStream: a StreamArn over 1024 characters',
      () => h.streams.send(new DescribeStreamCommand({ StreamArn: long })),
      `1 validation error detected: Value '${long}' at 'streamArn' failed to satisfy constraint: Member must have length less than or equal to 1024`,
    ],
    [
      'DescribeStream: a Limit of 0',
      () => h.streams.send(new DescribeStreamCommand({ StreamArn: arns['sp-d'] as string, Limit: 0 })),
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'ListStreams: a Limit of 0 and a cursor too short',
      () => h.streams.send(new ListStreamsCommand({ Limit: 0, ExclusiveStartStreamArn: short })),
      "2 validation errors detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        `Value '${short}' at 'exclusiveStartStreamArn' failed to satisfy constraint: Member must have length greater than or equal to 37`,
    ],
  ])('%s', async (_, request, message) => {
    await expectAwsError(request(), 'ValidationException', message);
  });
});

// The API reference gives each Limit a "Valid Range: Minimum value of 1" and only says in prose that "the upper
// limit is" 100 or 1000 (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html):
// the model does not check the maximum, the service does, in words AWS does not document.
describe('Limit over the upper limit (wording undocumented by AWS; DynamoDB Local answers)', () => {
  it.each<[string, () => Promise<unknown>, string]>([
    [
      'ListStreams over 100',
      () => h.streams.send(new ListStreamsCommand({ Limit: 101 })),
      'One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100',
    ],
    [
      'DescribeStream over 100',
      () => h.streams.send(new DescribeStreamCommand({ StreamArn: arns['sp-d'] as string, Limit: 101 })),
      'One or more parameter values were invalid: Limit cannot be greater than the maximum: 100',
    ],
    [
      'GetRecords over 1000',
      async () => {
        const { ShardIterator } = await h.streams.send(
          new GetShardIteratorCommand({
            StreamArn: arns['sp-d'] as string,
            ShardId: shardIds[0] as string,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        return h.streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1001 }));
      },
      'One or more parameter values were invalid: Limit should be less than or equal to 1000',
    ],
  ])('refuses %s', async (_, request, message) => {
    await expectAwsError(request(), 'ValidationException', message);
  });

  it('accepts the upper limits themselves', async () => {
    await h.streams.send(new ListStreamsCommand({ Limit: 100 }));
    await h.streams.send(new DescribeStreamCommand({ StreamArn: arns['sp-d'] as string, Limit: 100 }));
  });
});

describe('GetShardIterator (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html)', () => {
  const iterator = (input: Partial<GetShardIteratorCommandInput>) =>
    h.streams.send(
      new GetShardIteratorCommand({
        StreamArn: arns['sp-d'] as string,
        ShardId: shardIds[0] as string,
        ShardIteratorType: 'TRIM_HORIZON',
        ...input,
      } as GetShardIteratorCommandInput),
    );

  it('reports every member constraint at once, in member order', async () => {
    await expectAwsError(
      h.streams.send(
        new GetShardIteratorCommand({
          StreamArn: 'arn:aws:dynamodb:us-east-1:0:table/x',
          ShardId: 's'.repeat(66),
          ShardIteratorType: 'SIDEWAYS' as never,
          SequenceNumber: '12',
        }),
      ),
      'ValidationException',
      "4 validation errors detected: Value 'arn:aws:dynamodb:us-east-1:0:table/x' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37; " +
        `Value '${'s'.repeat(66)}' at 'shardId' failed to satisfy constraint: Member must have length less than or equal to 65; ` +
        "Value 'SIDEWAYS' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]; " +
        "Value '12' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to 21",
    );
  });

  it('names the missing members', async () => {
    await expectAwsError(
      h.streams.send(new GetShardIteratorCommand({} as GetShardIteratorCommandInput)),
      'ValidationException',
      "3 validation errors detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'shardId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null",
    );
  });

  it('refuses a sequence number over 40 digits', async () => {
    const sequence = '1'.repeat(41);
    await expectAwsError(
      iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: sequence }),
      'ValidationException',
      `1 validation error detected: Value '${sequence}' at 'sequenceNumber' failed to satisfy constraint: Member must have length less than or equal to 40`,
    );
  });

  it.each(['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const)(
    'requires a SequenceNumber for %s (wording undocumented by AWS; DynamoDB Local answers)',
    async (type) => {
      await expectAwsError(
        iterator({ ShardIteratorType: type }),
        'ValidationException',
        'One or more parameter values were invalid: Invalid SequenceNumber',
      );
    },
  );

  it.each(['TRIM_HORIZON', 'LATEST'] as const)(
    'refuses a SequenceNumber with %s (undocumented by AWS; DynamoDB Local answers)',
    async (type) => {
      await expectAwsError(
        iterator({ ShardIteratorType: type, SequenceNumber: '000000000000000000001' }),
        'ValidationException',
        'One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type',
      );
    },
  );

  it.each(['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const)(
    'refuses a %s before the shard starts (wording undocumented by AWS; DynamoDB Local answers)',
    async (type) => {
      await expectAwsError(
        iterator({ ShardIteratorType: type, SequenceNumber: '0'.repeat(21) }),
        'ValidationException',
        'Invalid SequenceNumber for the shard',
      );
    },
  );

  it('checks the parameters before it looks the stream up', async () => {
    await expectAwsError(
      iterator({ StreamArn: arnOf('sp-none'), ShardIteratorType: 'LATEST', SequenceNumber: '1'.repeat(21) }),
      'ValidationException',
      'One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type',
    );
    await expectAwsError(
      iterator({ StreamArn: arnOf('sp-none') }),
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${arnOf('sp-none')} not found`,
    );
  });

  it('issues iterators for well-formed requests', async () => {
    const { ShardIterator } = await iterator({});
    expect(ShardIterator).toEqual(expect.any(String));
  });
});
