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

export type { WindowBounds };
export { MAX_WINDOW_STATE_BYTES, stateBytes, windowIso, windowOf };
