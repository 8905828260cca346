import { isSequenceNumber } from '../../../../src/records/sequenceNumber.js';
import { resourceNotFoundException, trimmedDataAccessException, validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { findStream, streamArnConstraints } from '../requireStream.js';
import { encodeShardIterator } from '../shardIterator.js';

const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;

/** The types that start at a given record, and so need a SequenceNumber; the others refuse one. */
const AT_A_RECORD: readonly unknown[] = ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'];

/**
 * An iterator positioned per ShardIteratorType
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html):
 * TRIM_HORIZON before the oldest record, LATEST after the newest, AT/AFTER_SEQUENCE_NUMBER at or after a
 * record of this shard. The members' constraints are reported together in the model's member order (StreamArn,
 * ShardId, ShardIteratorType, SequenceNumber); then whether SequenceNumber suits the type, then the lookups.
 */
const getShardIterator: Operation = (input, { region, clock, iteratorKey }) => {
  const constraints = new Constraints();
  streamArnConstraints(constraints, input.StreamArn);
  constraints.notNull('shardId', input.ShardId);
  constraints.length('shardId', input.ShardId, 28, 65);
  constraints.notNull('shardIteratorType', input.ShardIteratorType);
  constraints.oneOf('shardIteratorType', input.ShardIteratorType, ITERATOR_TYPES);
  constraints.length('sequenceNumber', input.SequenceNumber, 21, 40);
  constraints.check();
  // AWS documents which types read SequenceNumber but not what it answers when the pairing is wrong; these
  // are DynamoDB Local's answers (test/integration/emulator/streamParameters.test.ts).
  const needsSequence = AT_A_RECORD.includes(input.ShardIteratorType);
  const hasSequence = input.SequenceNumber !== undefined && input.SequenceNumber !== null;
  if (needsSequence && !hasSequence) {
    throw validationException('One or more parameter values were invalid: Invalid SequenceNumber');
  }
  if (!needsSequence && hasSequence) {
    throw validationException(
      'One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type',
    );
  }
  const stream = findStream(region, input.StreamArn as string, clock.now());
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
    // A position older than the trim point would silently skip records: AWS refuses it with
    // TrimmedDataAccessException (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html).
    if (shard.isTrimmedAfter(type === 'AT_SEQUENCE_NUMBER' ? sequence - 1n : sequence))
      throw trimmedDataAccessException();
    // A number outside the shard's range: DynamoDB Local's words (AWS documents none).
    if (!shard.covers(sequence)) throw validationException('Invalid SequenceNumber for the shard');
    after = type === 'AT_SEQUENCE_NUMBER' ? sequence - 1n : sequence;
  }
  const issuedAt = clock.now();
  shard.lastIteratorIssuedAt = issuedAt;
  return {
    ShardIterator: encodeShardIterator(
      {
        streamArn: stream.arn,
        shardId: shard.id,
        after,
        issuedAt,
      },
      iteratorKey,
    ),
  };
};

export { getShardIterator };
