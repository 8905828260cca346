import {
  expiredIteratorException,
  resourceNotFoundException,
  trimmedDataAccessException,
} from '../../errors.js';
import { JsonText } from '../../JsonText.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { requireStream } from '../requireStream.js';
import { decodeShardIterator, encodeShardIterator, ITERATOR_LIFETIME_MS } from '../shardIterator.js';

/** GetRecords returns at most 1000 records or 1 MB, whichever comes first (streams-spec.md §2.1). */
const MAX_RECORDS = 1000;
const MAX_BYTES = 1024 * 1024;

/**
 * Reads records after the iterator's position. An open shard always answers with a fresh NextShardIterator,
 * even with no records; a closed shard read to its end answers without one (streams-spec.md §2.3).
 */
const getRecords: Operation = (input, { region, clock, iteratorsValidFrom, iteratorKey }) => {
  const constraints = new Constraints();
  constraints.notNull('shardIterator', input.ShardIterator);
  constraints.length('shardIterator', input.ShardIterator, 1, 2048);
  constraints.range('limit', input.Limit, 1, MAX_RECORDS);
  constraints.check();
  const position = decodeShardIterator(input.ShardIterator as string, iteratorKey);
  const now = clock.now();
  const stream = requireStream(region, position.streamArn, now);
  const shard = stream.shard(position.shardId);
  if (shard === undefined) {
    throw resourceNotFoundException(
      `Requested resource not found: Shard does not exist: ${position.shardId}`,
    );
  }
  if (now - position.issuedAt > ITERATOR_LIFETIME_MS || position.issuedAt < iteratorsValidFrom) {
    throw expiredIteratorException();
  }
  // Records this iterator would return next were trimmed after it was issued.
  if (shard.isTrimmedAfter(position.after)) throw trimmedDataAccessException();
  const { texts, last } = shard.read(
    position.after,
    (input.Limit as number | undefined) ?? MAX_RECORDS,
    MAX_BYTES,
  );
  const after = last ?? position.after;
  const exhausted = !shard.isOpen && after >= shard.lastSequence;
  const next = exhausted
    ? ''
    : `,"NextShardIterator":${JSON.stringify(encodeShardIterator({ ...position, after, issuedAt: now }, iteratorKey))}`;
  // The records' texts were serialized when they were written (Shard): the answer is joined, not built.
  return new JsonText(`{"Records":[${texts.join(',')}]${next}}`);
};

export { getRecords };
