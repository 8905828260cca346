import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type WindowBounds, windowIso } from '../batching/tumblingWindow.js';

/** The tumbling window a batch belongs to, with the state the function returned last. */
interface EventWindow {
  readonly bounds: WindowBounds;
  readonly state: Record<string, unknown>;
  readonly terminatedEarly: boolean;
}

/**
 * ⑥ The event for a batch: Lambda's DynamoDBStreamEvent, with the window's fields when tumbling windows are
 * on (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html): `window`, `state`, `shardId`,
 * `eventSourceARN`, `isFinalInvokeForWindow`, `isWindowTerminatedEarly`.
 *
 * @example
 * streamEvent(batch, undefined, { final: false, shardId, streamArn }); // { Records: batch }
 */
const streamEvent = (
  records: DynamoDBRecord[],
  window: EventWindow | undefined,
  context: { readonly final: boolean; readonly shardId: string; readonly streamArn: string },
): DynamoDBStreamEvent => {
  if (window === undefined) return { Records: records };
  return {
    Records: records,
    window: { start: windowIso(window.bounds.start), end: windowIso(window.bounds.end) },
    state: window.state,
    shardId: context.shardId,
    eventSourceARN: context.streamArn,
    isFinalInvokeForWindow: context.final,
    isWindowTerminatedEarly: context.final && window.terminatedEarly,
  } as DynamoDBStreamEvent;
};

export type { EventWindow };
export { streamEvent };
