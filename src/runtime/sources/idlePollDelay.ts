/**
 * How an idle shard or shard listing is polled. Without a wake-up hint it is Lambda's fixed rate: Lambda polls
 * each shard four times a second and the rate never changes
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-polling). With the embedded
 * emulator's hint (a shard got a record: the mapping wakes its consumer, or its discovery for a shard it does not
 * consume yet), a poll that finds nothing new is only a safety net for a hint that never comes, so the wait
 * doubles after each empty poll up to `hintedMaxMs`: an idle `eddy dev` costs next to nothing whatever the
 * number of shards, and a record is read as soon as its hint arrives.
 */
interface IdlePolling {
  /** The wait after an empty poll without the hint, and the first one with it. */
  readonly intervalMs: number;
  /** Whether a wake-up hint cuts waits short (`EventSourceMapping`'s `wakeUps`). */
  readonly hinted: boolean;
  /** The longest wait with the hint. */
  readonly hintedMaxMs: number;
}

/**
 * The wait before the next poll after `emptyPolls` polls in a row found nothing new (0: the last poll found
 * records). Pure, so the backoff is tested without a clock.
 *
 * @example
 * idlePollDelay(1, { intervalMs: 250, hinted: false, hintedMaxMs: 30_000 }); // 250, Lambda's rate
 * idlePollDelay(3, { intervalMs: 250, hinted: true, hintedMaxMs: 30_000 }); // 1000, backing off
 */
const idlePollDelay = (emptyPolls: number, polling: IdlePolling): number => {
  if (!polling.hinted || emptyPolls <= 1) return polling.intervalMs;
  // 2^k grows past any cap long before it overflows; the exponent is bounded so the product stays finite.
  const grown = polling.intervalMs * 2 ** Math.min(emptyPolls - 1, 30);
  return Math.max(polling.intervalMs, Math.min(polling.hintedMaxMs, grown));
};

export type { IdlePolling };
export { idlePollDelay };
