import { parseStreamArn } from '../../../src/records/arn.js';
import { resourceNotFoundException } from '../errors.js';
import type { Region } from '../Region.js';
import { Constraints } from '../validation/Constraints.js';
import type { Stream } from './Stream.js';

/** Validates a StreamArn parameter and finds the stream, with AWS's not-found message. */
const requireStream = (region: Region, arn: unknown): Stream => {
  const constraints = new Constraints();
  constraints.notNull('streamArn', arn);
  constraints.length('streamArn', arn, 37, 1024);
  constraints.check();
  const stream = parseStreamArn(arn as string) === undefined ? undefined : region.streams.get(arn as string);
  // Real AWS: "Requested resource not found: Stream: <streamArn> not found" (streams-spec.md §2.4).
  if (stream === undefined)
    throw resourceNotFoundException(`Requested resource not found: Stream: ${arn as string} not found`);
  return stream;
};

export { requireStream };
