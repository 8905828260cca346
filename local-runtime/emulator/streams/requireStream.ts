import { parseStreamArn } from '../../../src/records/arn.js';
import { resourceNotFoundException, validationException } from '../errors.js';
import type { Region } from '../Region.js';
import { Constraints } from '../validation/Constraints.js';
import type { Stream } from './Stream.js';

/**
 * Validates a StreamArn parameter and finds the stream, with AWS's not-found message, brought up to `now`
 * (rollovers due, records past retention trimmed) before the caller reads it.
 */
const requireStream = (region: Region, arn: unknown, now: number, member = 'streamArn'): Stream => {
  const constraints = new Constraints();
  constraints.notNull(member, arn);
  constraints.length(member, arn, 37, 1024);
  constraints.check();
  if (parseStreamArn(arn as string) === undefined)
    throw validationException(`Invalid StreamArn: ${arn as string}`);
  const stream = region.streams.get(arn as string);
  // Real AWS: "Requested resource not found: Stream: <streamArn> not found" (streams-spec.md §2.4).
  if (stream === undefined)
    throw resourceNotFoundException(`Requested resource not found: Stream: ${arn as string} not found`);
  stream.maintain(now);
  return stream;
};

export { requireStream };
