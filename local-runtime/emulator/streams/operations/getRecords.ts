import {
  expiredIteratorException,
  resourceNotFoundException,
  trimmedDataAccessException,
  validationException,
} from '../../errors.js';
import { JsonText } from '../../JsonText.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { requireStream } from '../requireStream.js';
import { decodeShardIterator, encodeShardIterator, ITERATOR_LIFETIME_MS } from '../shardIterator.js';

/**
 * GetRecords returns at most 1000 records or 1 MB, whichever comes first
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html).
 */
const MAX_RECORDS = 1000;
const MAX_BYTES = 1024 * 1024;

/**
 * Reads records after the iterator's position. An open shard always answers with a fresh NextShardIterator,
 * even with no records; a closed shard read to its end answers without one ("If set to null, the shard has been
 * closed", https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html).
 */
const getRecords: Operation = (input, { region, clock, iteratorsValidFrom, iteratorKey }) => {
  const constraints = new Constraints();
  constraints.notNull('shardIterator', input.ShardIterator);
  constraints.length('shardIterator', input.ShardIterator, 1, 2048);
  constraints.range('limit', input.Limit, 1, Number.POSITIVE_INFINITY);
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
  // The model bounds Limit below only; "the upper limit is 1000" is the service's own check, made once the
  // iterator has been read and found current, in DynamoDB Local's words (AWS documents none).
  if (typeof input.Limit === 'number' && input.Limit > MAX_RECORDS) {
    throw validationException(
      `One or more parameter values were invalid: Limit should be less than or equal to ${MAX_RECORDS}`,
    );
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
  if (!exhausted) shard.lastIteratorIssuedAt = now;
  const next = exhausted
    ? ''
    : `,"NextShardIterator":${JSON.stringify(encodeShardIterator({ ...position, after, issuedAt: now }, iteratorKey))}`;
  // The records' texts were serialized when they were written (Shard): the answer is joined, not built.
  return new JsonText(`{"Records":[${texts.join(',')}]${next}}`);
};

export { getRecords };
