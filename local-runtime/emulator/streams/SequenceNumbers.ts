/**
 * Hands out sequence numbers for every stream of an emulator: 21-digit decimal strings that only grow, the
 * shape AWS uses (`300000000000000499659`). One counter for all shards keeps them unique across a stream's
 * shards too, so a child shard always starts above its parent.
 */
class SequenceNumbers {
  static readonly #BASE = 10n ** 20n;
  #last = 0n;

  /** The number `next()` will hand out, without taking it: a new shard's StartingSequenceNumber. */
  peek(): bigint {
    return SequenceNumbers.#BASE + this.#last + 1n;
  }

  /** The last number handed out (0n before the first), for a snapshot. */
  get last(): bigint {
    return SequenceNumbers.#BASE + this.#last;
  }

  /** Moves the counter up to `value` (a number read back from a data dir); never moves it down. */
  advanceTo(value: bigint): void {
    const last = value - SequenceNumbers.#BASE;
    if (last > this.#last) this.#last = last;
  }

  /** The next sequence number, as a string and as a bigint (kept for fast comparison). */
  next(): { text: string; value: bigint } {
    this.#last += 1n;
    const value = SequenceNumbers.#BASE + this.#last;
    return { text: value.toString(), value };
  }
}

export { SequenceNumbers };
