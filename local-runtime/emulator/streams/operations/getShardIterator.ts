import { isSequenceNumber } from '../../../../src/records/sequenceNumber.js';
import { resourceNotFoundException, trimmedDataAccessException, validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { requireStream } from '../requireStream.js';
import { encodeShardIterator } from '../shardIterator.js';

const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;

/**
 * An iterator positioned per ShardIteratorType (streams-spec.md §2.3): TRIM_HORIZON before the oldest record,
 * LATEST after the newest, AT/AFTER_SEQUENCE_NUMBER at or after a record of this shard.
 */
const getShardIterator: Operation = (input, { region, clock, iteratorKey }) => {
  const constraints = new Constraints();
  constraints.notNull('shardId', input.ShardId);
  constraints.length('shardId', input.ShardId, 28, 65);
  constraints.notNull('shardIteratorType', input.ShardIteratorType);
  constraints.oneOf('shardIteratorType', input.ShardIteratorType, ITERATOR_TYPES);
  constraints.length('sequenceNumber', input.SequenceNumber, 21, 40);
  constraints.check();
  const stream = requireStream(region, input.StreamArn, clock.now());
  const shard = stream.shard(input.ShardId as string);
  if (shard === undefined) {
    throw resourceNotFoundException(
      `Requested resource not found: Shard does not exist: ${input.ShardId as string} in stream ${stream.arn}`,
    );
  }
  const type = input.ShardIteratorType as (typeof ITERATOR_TYPES)[number];
  let after: bigint;
  if (type === 'TRIM_HORIZON') {
    after = shard.trimHorizon;
  } else if (type === 'LATEST') {
    after = shard.lastSequence;
  } else {
    const text = input.SequenceNumber;
    if (typeof text !== 'string' || !isSequenceNumber(text)) {
      throw validationException(
        `Invalid SequenceNumber for ShardIteratorType: ${type}. SequenceNumber: ${String(text)}`,
      );
    }
    const sequence = BigInt(text);
    // A position older than the trim point would silently skip records: AWS refuses it (streams-spec.md §2.3).
    if (shard.isTrimmedAfter(type === 'AT_SEQUENCE_NUMBER' ? sequence - 1n : sequence))
      throw trimmedDataAccessException();
    if (!shard.covers(sequence)) {
      throw validationException(
        `Invalid SequenceNumber for ShardIteratorType: ${type}. SequenceNumber: ${text} is not in shard ${shard.id}`,
      );
    }
    after = type === 'AT_SEQUENCE_NUMBER' ? sequence - 1n : sequence;
  }
  return {
    ShardIterator: encodeShardIterator(
      {
        streamArn: stream.arn,
        shardId: shard.id,
        after,
        issuedAt: clock.now(),
      },
      iteratorKey,
    ),
  };
};

export { getShardIterator };
