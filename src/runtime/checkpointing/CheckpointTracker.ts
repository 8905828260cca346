/**
 * ⑦ Where a shard's checkpoint may go, pure: the records read, in stream order, and which of them are done
 * (processed, filtered out or discarded). The checkpoint is the last record before which everything is done,
 * so a record still in a lane, retrying or held by a tumbling window, keeps it from moving past; it never
 * moves backwards (Lambda resumes a shard after its checkpoint,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
 *
 * @example
 * const tracker = new CheckpointTracker();
 * tracker.read('100'); tracker.read('200');
 * tracker.done(['200']); // undefined: 100 is not done yet
 * tracker.done(['100']); // '200'
 */
class CheckpointTracker {
  /** Records read and not yet checkpointed, in stream order, with whether they are done. */
  readonly #pending: { readonly sequence: string; done: boolean }[] = [];
  readonly #bySequence = new Map<string, { readonly sequence: string; done: boolean }>();

  /** Records read and not yet behind the checkpoint. */
  get pending(): number {
    return this.#pending.length;
  }

  /** A record was read (records are read in stream order). */
  read(sequence: string): void {
    const entry = { sequence, done: false };
    this.#pending.push(entry);
    this.#bySequence.set(sequence, entry);
  }

  /**
   * Records are done. Returns the sequence number the checkpoint moves to, or undefined when it does not
   * move (an earlier record is still not done). Sequences it was never given are ignored.
   */
  done(sequences: Iterable<string>): string | undefined {
    for (const sequence of sequences) {
      const entry = this.#bySequence.get(sequence);
      if (entry !== undefined) entry.done = true;
    }
    let last: string | undefined;
    while (this.#pending[0]?.done === true) {
      const entry = this.#pending.shift() as { readonly sequence: string };
      this.#bySequence.delete(entry.sequence);
      last = entry.sequence;
    }
    return last;
  }
}

export { CheckpointTracker };
