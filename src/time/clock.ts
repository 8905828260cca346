/**
 * Time, injected. Everything that depends on time (iterator expiry, retention, batching windows, retries,
 * record age) takes a Clock, so tests move time instead of sleeping.
 *
 * @example
 * const clock: Clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
 * new EventSourceMapping({ ...options, clock });
 */
interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` of this clock's time, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const abortReason = (signal: AbortSignal): unknown => signal.reason ?? new Error('aborted');

/**
 * The machine's clock and timers: what every component uses unless given a `ManualClock`.
 *
 * @example
 * new LeaseManager({ client, tableName: 'eddy-leases', mappingId: 'orders', clock: systemClock });
 */
const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock that only moves when told to. Sleepers wake when `advance` passes their deadline.
 *
 * @example
 * const clock = new ManualClock(Date.UTC(2026, 0, 1));
 * const woken = clock.sleep(60_000); // a batching window, a retry's backoff…
 * clock.advance(60_000); // …ends now, without waiting a minute
 * await woken;
 */
class ManualClock implements Clock {
  #now: number;
  #sleepers: { until: number; resolve: () => void }[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const sleeper = { until: this.#now + ms, resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          reject(abortReason(signal));
        },
        { once: true },
      );
    });
  }

  /** Moves time forward and wakes every sleeper whose deadline has come. */
  advance(ms: number): void {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.until <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now);
    for (const s of due) s.resolve();
  }

  set(epochMillis: number): void {
    this.advance(epochMillis - this.#now);
  }

  /**
   * The earliest deadline a sleeper waits for, or undefined when nothing sleeps: lets a test drive time to the
   * next thing that would happen (a poll, a retry's backoff, a window's end) without guessing its length.
   */
  nextWakeUp(): number | undefined {
    let earliest: number | undefined;
    for (const s of this.#sleepers) if (earliest === undefined || s.until < earliest) earliest = s.until;
    return earliest;
  }
}

export type { Clock };
export { ManualClock, systemClock };
