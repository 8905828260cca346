import type { ManualClock } from '../../src/time/clock.js';
import { waitFor } from './waitFor.js';

/**
 * Lets `promise` settle, moving `clock` to each wake-up it sleeps towards (a retry's backoff) once it sleeps:
 * time moves only when the code under test waits on the clock, never while it works. Returns how it settled and
 * each wait it slept, in order.
 */
const settleOnClock = async <T>(
  clock: ManualClock,
  promise: Promise<T>,
  timeoutMs = 10_000,
): Promise<{ readonly outcome: PromiseSettledResult<T>; readonly waits: number[] }> => {
  let settled = false;
  const outcome = promise.then(
    (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
  );
  void outcome.then(() => {
    settled = true;
  });
  const waits: number[] = [];
  for (;;) {
    await waitFor(
      () => settled || clock.nextWakeUp() !== undefined,
      'the call to settle or sleep',
      timeoutMs,
    );
    const next = clock.nextWakeUp();
    if (settled || next === undefined) break;
    waits.push(next - clock.now());
    clock.set(next);
  }
  return { outcome: await outcome, waits };
};

export { settleOnClock };
