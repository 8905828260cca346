import type { DynamoDBRecord } from 'aws-lambda';
import { InvocationFailures } from '../../src/pipeline/InvocationFailures.js';
import { type StreamItem, toStreamItem } from '../../src/pipeline/StreamItem.js';

/**
 * Stream items bound to a fresh invocation's failure side channel, as defineStreamHandler builds them, for
 * testing operators that report failures: `failures.failures` lists what they reported.
 */
const inInvocation = <K extends string>(
  records: Record<K, DynamoDBRecord>,
): { items: Record<K, StreamItem>; failures: InvocationFailures } => {
  const failures = new InvocationFailures();
  const keys = Object.keys(records) as K[];
  // Copies, so the caller's record objects stay free for other invocations (bindings last until release).
  const bound = failures.bind(keys.map((key) => ({ ...records[key] })));
  const items = Object.fromEntries(keys.map((key, i) => [key, toStreamItem(bound[i] as DynamoDBRecord)]));
  return { items: items as Record<K, StreamItem>, failures };
};

export { inInvocation };
