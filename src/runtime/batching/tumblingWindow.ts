import type { DynamoDBRecord } from 'aws-lambda';

/**
 * Tumbling windows (TumblingWindowInSeconds, https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html):
 * fixed, non-overlapping windows of record
 * creation time, per shard, each with its state carried from invocation to invocation.
 */
interface WindowBounds {
  /** Epoch seconds, inclusive. */
  readonly start: number;
  /** Epoch seconds, exclusive. */
  readonly end: number;
}

/** Lambda caps a window's state at 1 MB per shard; past it the window ends early. */
const MAX_WINDOW_STATE_BYTES = 1024 * 1024;

/** The window a record created at `epochSeconds` falls in. Windows align to multiples of their length (UNCONFIRMED). */
const windowOf = (epochSeconds: number, lengthSeconds: number): WindowBounds => {
  const start = Math.floor(epochSeconds / lengthSeconds) * lengthSeconds;
  return { start, end: start + lengthSeconds };
};

/** Window times as the event carries them: ISO-8601 to the second, with a Z. */
const windowIso = (epochSeconds: number): string =>
  new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The serialized size of a window's state, as Lambda measures it against the 1 MB cap. */
const stateBytes = (state: unknown): number => Buffer.byteLength(JSON.stringify(state ?? {}));

/** A lane's open tumbling window as the decisions below see it. */
interface WindowFacts {
  readonly bounds: WindowBounds;
  /** Its state passed 1 MB: it closes at once, reported as terminated early. */
  readonly terminatedEarly: boolean;
}

/**
 * ⑤ Whether an open tumbling window must close now (its final invocation, with `isFinalInvokeForWindow`): its
 * state grew too big, its end (plus `graceMs`, so records written just before the end are still read) has
 * passed, the next waiting record belongs to a later window, or the shard ended with nothing left to add.
 *
 * @example
 * windowDue({ bounds: { start: 0, end: 60 }, terminatedEarly: false }, { now: 61_000, graceMs: 0, next: undefined, queued: 0, shardEnded: false }); // true
 */
const windowDue = (
  window: WindowFacts | undefined,
  lane: {
    readonly now: number;
    readonly graceMs: number;
    /** ApproximateCreationDateTime (epoch seconds) of the next waiting record. */
    readonly next: number | undefined;
    readonly queued: number;
    readonly shardEnded: boolean;
  },
): boolean => {
  if (window === undefined) return false;
  return (
    window.terminatedEarly ||
    lane.now >= window.bounds.end * 1000 + lane.graceMs ||
    (lane.next !== undefined && lane.next >= window.bounds.end) ||
    (lane.shardEnded && lane.queued === 0)
  );
};

/**
 * How many records at the front of `queue` belong to the window ending at `end` (epoch seconds): a batch
 * never spans two windows.
 *
 * @example
 * recordsInWindow(queue, 60); // the records created before second 60
 */
const recordsInWindow = (queue: readonly DynamoDBRecord[], end: number): number => {
  const after = queue.findIndex((r) => (r.dynamodb?.ApproximateCreationDateTime ?? 0) >= end);
  return after === -1 ? queue.length : after;
};

export type { WindowBounds, WindowFacts };
export { MAX_WINDOW_STATE_BYTES, recordsInWindow, stateBytes, windowDue, windowIso, windowOf };
