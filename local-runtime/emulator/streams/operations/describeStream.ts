import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { pageAfterCursor } from '../pageAfterCursor.js';
import { findStream, streamArnConstraints } from '../requireStream.js';
import type { Shard } from '../Shard.js';

/**
 * The stream and its shards, oldest first, paged by Limit and ExclusiveStartShardId
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html). The
 * members' constraints are checked together and reported in the model's member order (StreamArn, Limit,
 * ExclusiveStartShardId, ShardFilter), before the stream is looked up.
 */
const describeStream: Operation = (input, { region, clock }) => {
  const constraints = new Constraints();
  streamArnConstraints(constraints, input.StreamArn);
  constraints.range('limit', input.Limit, 1, Number.POSITIVE_INFINITY);
  if (input.ExclusiveStartShardId !== undefined) {
    constraints.length('exclusiveStartShardId', input.ExclusiveStartShardId, 28, 65);
  }
  const filter = input.ShardFilter as { Type?: unknown; ShardId?: unknown } | undefined | null;
  if (filter !== undefined && filter !== null) {
    constraints.notNull('shardFilter.type', filter.Type);
    constraints.oneOf('shardFilter.type', filter.Type, ['CHILD_SHARDS']);
    constraints.length('shardFilter.shardId', filter.ShardId, 28, 65);
  }
  constraints.check();
  // The model bounds Limit below only; "the upper limit is 100" is the service's own check, in DynamoDB
  // Local's words (AWS documents none).
  if (typeof input.Limit === 'number' && input.Limit > 100) {
    throw validationException(
      'One or more parameter values were invalid: Limit cannot be greater than the maximum: 100',
    );
  }
  const stream = findStream(region, input.StreamArn as string, clock.now());
  // ShardFilter CHILD_SHARDS (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ShardFilter.html):
  // only the children of the shard it names. Without a ShardId it names no shard, so no shard is its child
  // (not "every shard without a parent"): DynamoDB Local answers an empty list, AWS documents nothing.
  const shards =
    filter === undefined || filter === null
      ? stream.shards
      : stream.shards.filter((s) => filter.ShardId !== undefined && s.parentId === filter.ShardId);
  const { page, last } = pageAfterCursor(
    shards,
    (s) => s.id,
    input.ExclusiveStartShardId as string | undefined,
    (input.Limit as number | undefined) ?? 100,
  );
  return {
    StreamDescription: {
      StreamArn: stream.arn,
      StreamLabel: stream.label,
      StreamStatus: stream.status,
      StreamViewType: stream.viewType,
      CreationRequestDateTime: stream.createdAt / 1000,
      TableName: stream.tableName,
      KeySchema: stream.keySchema,
      Shards: page.map(describeShard),
      ...(last === undefined ? {} : { LastEvaluatedShardId: last }),
    },
  };
};

const describeShard = (shard: Shard) => ({
  ShardId: shard.id,
  ...(shard.parentId === undefined ? {} : { ParentShardId: shard.parentId }),
  SequenceNumberRange: {
    StartingSequenceNumber: shard.startingSequence.toString(),
    ...(shard.endingSequence === undefined ? {} : { EndingSequenceNumber: shard.endingSequence.toString() }),
  },
});

export { describeStream };
