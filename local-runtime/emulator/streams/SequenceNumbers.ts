import { onRollback } from '../atomic/requestScope.js';

/**
 * Hands out sequence numbers for every stream of an emulator: 21-digit decimal strings that only grow, the
 * shape AWS uses (`300000000000000499659`). One counter for all shards keeps them unique across a stream's
 * shards too, so a child shard always starts above its parent.
 */
class SequenceNumbers {
  static readonly #BASE = 10n ** 20n;
  #last = 0n;

  /** The next number to hand out, without taking it: a new shard's StartingSequenceNumber, a record's number. */
  peek(): bigint {
    return SequenceNumbers.#BASE + this.#last + 1n;
  }

  /** The last number handed out (0n before the first), for a snapshot. */
  get last(): bigint {
    return SequenceNumbers.#BASE + this.#last;
  }

  /**
   * Takes every number up to `value` (one `peek` returned, or above it), so that `peek` moves above it; never
   * moves the counter down (a data dir read back may name lower numbers than already taken).
   */
  advanceTo(value: bigint): void {
    const next = value - SequenceNumbers.#BASE;
    if (next <= this.#last) return;
    const last = this.#last;
    onRollback(() => {
      this.#last = last;
    });
    this.#last = next;
  }
}

export { SequenceNumbers };
