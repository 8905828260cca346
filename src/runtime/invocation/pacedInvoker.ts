import type { Clock } from '../../time/clock.js';
import type { FunctionInvoker } from './FunctionInvoker.js';

/**
 * How long to wait before sending more records so that, since the start, no more than `ratePerSecond` records
 * a second have gone: the `sent` records so far were due by `sent / rate` seconds. Zero when behind that pace.
 *
 * @example
 * paceDelayMs(200, 100, 1500); // 500: 200 records at 100/s are due at 2 s, and 1.5 s have passed
 */
const paceDelayMs = (sent: number, ratePerSecond: number, elapsedMs: number): number =>
  Math.max(0, Math.ceil((sent * 1000) / ratePerSecond - elapsedMs));

/**
 * Sends records to `invoker` at no more than `ratePerSecond` on average (`eddy redrive --rate`): before each
 * invocation it waits until the records already sent were due, so a redrive after an incident does not
 * flood the tables the function writes to. A batch is never cut; a large batch may burst past the rate.
 *
 * @example
 * const paced = pacedInvoker(inProcessInvoker(handler), 500, systemClock);
 */
const pacedInvoker = (invoker: FunctionInvoker, ratePerSecond: number, clock: Clock): FunctionInvoker => {
  if (!(ratePerSecond > 0))
    throw new RangeError(`pacedInvoker: the rate must be above 0, not ${ratePerSecond}`);
  let started: number | undefined;
  let sent = 0;
  // Invocations of different shards run at once: each takes its place in the pace when it starts.
  return {
    functionName: invoker.functionName,
    async invoke(event) {
      started ??= clock.now();
      const wait = paceDelayMs(sent, ratePerSecond, clock.now() - started);
      sent += event.Records.length;
      if (wait > 0) await clock.sleep(wait);
      return invoker.invoke(event);
    },
  };
};

export { paceDelayMs, pacedInvoker };
