import { resourceNotFoundException } from '../errors.js';
import type { Operation } from '../operation.js';
import type { Stream } from '../streams/Stream.js';
import { sweepTtlOperation } from '../ttl/sweepTtlOperation.js';

/**
 * Control actions that change durable state run as operations, so they go through the same dispatch and the
 * same journal as AWS requests. Their target prefix `EddyControl` is not one the AWS protocol routes: they are
 * reached in process (`emulator.control`) or at `POST /_eddy/control/<Action>`, never at `POST /`.
 */
const streamOf = (input: Record<string, unknown>, region: { streams: Map<string, Stream> }): Stream => {
  const stream = region.streams.get(String(input.StreamArn));
  if (stream === undefined)
    throw resourceNotFoundException(
      `Requested resource not found: Stream: ${String(input.StreamArn)} not found`,
    );
  return stream;
};

const shardIds = (shards: readonly { id: string }[]) => shards.map((s) => s.id);

/** Closes open shards (one, or all of the stream's) and gives each a child. */
const rollOver: Operation = (input, { region }) => {
  const stream = streamOf(input, region);
  const ids =
    input.ShardId === undefined
      ? stream.shards.filter((s) => s.isOpen).map((s) => s.id)
      : [String(input.ShardId)];
  return { ChildShardIds: ids.flatMap((id) => shardIds(stream.rollOver(id))) };
};

/** Splits an open shard into two children. */
const split: Operation = (input, { region }) => ({
  ChildShardIds: shardIds(streamOf(input, region).split(String(input.ShardId))),
});

const CONTROL_OPERATIONS: Readonly<Record<string, Operation>> = {
  'EddyControl.RollOver': rollOver,
  'EddyControl.Split': split,
  // TTL deletes are mutations too: the sweep runs through dispatch so the journal records it.
  'EddyControl.SweepTtl': sweepTtlOperation,
};

const controlOperationFor = (target: string): Operation | undefined =>
  Object.hasOwn(CONTROL_OPERATIONS, target) ? CONTROL_OPERATIONS[target] : undefined;

export { CONTROL_OPERATIONS, controlOperationFor };
