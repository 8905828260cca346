import type { Clock } from '../../time/clock.js';

/**
 * A wait that ends early when woken. Consumers poll on a timer as Lambda does; a wake-up hint (a new record
 * arrived) only cuts the wait short, so semantics never depend on it.
 */
class Waker {
  #pending: (() => void) | undefined;
  #woken = false;

  /** Ends the current (or next) wait at once. */
  wake(): void {
    this.#woken = true;
    this.#pending?.();
  }

  /** Waits up to `ms`; resolves early on `wake()`, rejects when `signal` aborts. */
  async wait(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return;
    }
    const local = new AbortController();
    const onAbort = () => local.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        this.#pending = resolve;
        clock.sleep(ms, local.signal).then(resolve, reject);
      });
    } finally {
      this.#pending = undefined;
      this.#woken = false;
      signal.removeEventListener('abort', onAbort);
      local.abort();
    }
  }
}

export { Waker };
