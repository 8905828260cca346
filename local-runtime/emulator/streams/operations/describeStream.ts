import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { requireStream } from '../requireStream.js';
import type { Shard } from '../Shard.js';

/** The stream and its shards, oldest first, paged by Limit and ExclusiveStartShardId (streams-spec.md §2.1). */
const describeStream: Operation = (input, { region, clock }) => {
  const constraints = new Constraints();
  constraints.range('limit', input.Limit, 1, 100);
  if (input.ExclusiveStartShardId !== undefined) {
    constraints.length('exclusiveStartShardId', input.ExclusiveStartShardId, 28, 65);
  }
  const filter = input.ShardFilter as { Type?: unknown; ShardId?: unknown } | undefined;
  if (filter !== undefined) {
    constraints.notNull('shardFilter.type', filter.Type);
    constraints.oneOf('shardFilter.type', filter.Type, ['CHILD_SHARDS']);
    constraints.length('shardFilter.shardId', filter.ShardId, 28, 65);
  }
  constraints.check();
  const stream = requireStream(region, input.StreamArn, clock.now());
  const limit = (input.Limit as number | undefined) ?? 100;
  // ShardFilter CHILD_SHARDS (added to the API in 2025): only the children of one shard.
  const shards =
    filter?.ShardId === undefined
      ? stream.shards
      : stream.shards.filter((s) => s.parentId === filter.ShardId);
  const startIndex =
    input.ExclusiveStartShardId === undefined
      ? 0
      : shards.findIndex((s) => s.id === input.ExclusiveStartShardId) + 1;
  const page = shards.slice(startIndex, startIndex + limit);
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
      ...(startIndex + limit < shards.length ? { LastEvaluatedShardId: page.at(-1)?.id } : {}),
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
