import { parseStreamArn } from '../../../src/records/arn.js';
import { resourceNotFoundException, validationException } from '../errors.js';
import type { Region } from '../Region.js';
import { Constraints } from '../validation/Constraints.js';
import type { Stream } from './Stream.js';

/**
 * Adds the model's constraints on a StreamArn member (required, 37 to 1024 characters) to a request's
 * constraints, so that they are reported together with the request's other failures, in member order
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html).
 */
const streamArnConstraints = (constraints: Constraints, arn: unknown, member = 'streamArn'): void => {
  constraints.notNull(member, arn);
  constraints.length(member, arn, 37, 1024);
};

/**
 * Finds the stream a StreamArn (already past its constraints) names, with AWS's not-found message, brought up
 * to `now` (rollovers due, records past retention trimmed) before the caller reads it.
 */
const findStream = (region: Region, arn: string, now: number): Stream => {
  if (parseStreamArn(arn) === undefined) throw validationException(`Invalid StreamArn: ${arn}`);
  const stream = region.streams.get(arn);
  // AWS's wording, as recorded from AWS (test/fixtures/aws-recordings, replayed by test/conformance/errors.test.ts).
  if (stream === undefined)
    throw resourceNotFoundException(`Requested resource not found: Stream: ${arn} not found`);
  stream.maintain(now);
  return stream;
};

/** Validates a StreamArn parameter on its own and finds the stream (`streamArnConstraints`, `findStream`). */
const requireStream = (region: Region, arn: unknown, now: number, member = 'streamArn'): Stream => {
  const constraints = new Constraints();
  streamArnConstraints(constraints, arn, member);
  constraints.check();
  return findStream(region, arn as string, now);
};

export { findStream, requireStream, streamArnConstraints };
