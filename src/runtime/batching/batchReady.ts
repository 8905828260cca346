/** What the batching decision looks at: a lane's queue and when its batching window opened. */
interface BatchingFacts {
  /** Records waiting in the lane. */
  readonly queued: number;
  /** When the first record of the waiting batch arrived (clock ms), or undefined when none waits. */
  readonly openedAt: number | undefined;
  readonly now: number;
  /** The shard ended: nothing more will come, so waiting for more is pointless. */
  readonly shardEnded: boolean;
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds, in ms. */
  readonly batchingWindowMs: number;
}

/**
 * ⑤ Whether a lane's waiting records are a batch now: BatchSize records, or the batching window has passed,
 * or the shard ended (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html: Lambda invokes
 * when the batch is full, the batching window expires, or the payload reaches 6 MB — `takeBatch` cuts that).
 *
 * @example
 * batchReady({ queued: 3, openedAt: 0, now: 500, shardEnded: false, batchSize: 100, batchingWindowMs: 1000 }); // false
 */
const batchReady = (facts: BatchingFacts): boolean => {
  if (facts.queued === 0) return false;
  return (
    facts.queued >= facts.batchSize ||
    facts.shardEnded ||
    facts.batchingWindowMs === 0 ||
    facts.now - (facts.openedAt ?? facts.now) >= facts.batchingWindowMs
  );
};

/**
 * Milliseconds until the batching window that opened at `openedAt` closes (negative once passed; infinite
 * when no window is open): how long a consumer may wait before it has to look again.
 *
 * @example
 * untilBatchingWindowCloses(1_000, 5_000, 4_000); // 2000
 */
const untilBatchingWindowCloses = (
  openedAt: number | undefined,
  batchingWindowMs: number,
  now: number,
): number => (openedAt === undefined ? Number.POSITIVE_INFINITY : openedAt + batchingWindowMs - now);

export type { BatchingFacts };
export { batchReady, untilBatchingWindowCloses };
