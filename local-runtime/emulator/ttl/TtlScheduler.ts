import type { Clock } from '../../../src/time/clock.js';

/**
 * Runs the TTL sweep every `intervalMs` of the emulator's clock while `active()` says some table has TTL on.
 * It sleeps on the injected clock, so with a ManualClock a sweep happens when a test moves time past the next
 * tick; with the system clock it is a plain timer. It stops by itself once no table has TTL (so an emulator
 * without TTL holds no timer) and for good on `stop()`; `start()` resumes it.
 */
class TtlScheduler {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #sweep: () => void;
  readonly #active: () => boolean;
  #running: AbortController | undefined;
  #stopped = false;

  constructor(options: { clock: Clock; intervalMs: number; sweep: () => void; active: () => boolean }) {
    this.#clock = options.clock;
    this.#intervalMs = options.intervalMs;
    this.#sweep = options.sweep;
    this.#active = options.active;
  }

  /** Starts the loop if it is not running and some table has TTL on. */
  start(): void {
    if (this.#running !== undefined || this.#stopped || !this.#active()) return;
    const controller = new AbortController();
    this.#running = controller;
    void this.#run(controller);
  }

  /** Stops the loop for good (the emulator is closing). */
  stop(): void {
    this.#stopped = true;
    this.#running?.abort();
    this.#running = undefined;
  }

  async #run(controller: AbortController): Promise<void> {
    try {
      while (this.#active()) {
        await this.#clock.sleep(this.#intervalMs, controller.signal);
        this.#sweep();
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      if (this.#running === controller) this.#running = undefined;
    }
  }
}

export { TtlScheduler };
