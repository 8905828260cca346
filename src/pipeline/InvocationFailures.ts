import type { DynamoDBRecord } from 'aws-lambda';
import { compareSequenceNumbers } from '../records/sequenceNumber.js';
import type { RecordOutcome } from './RecordOutcome.js';
import { type Item, type StreamItem, toStreamItem } from './StreamItem.js';

/** The failure outcome of one record. */
type FailedOutcome = Extract<RecordOutcome, { ok: false }>;

/** Which live invocation each record object belongs to. Weak, so a finished invocation's records can go. */
const invocations = new WeakMap<DynamoDBRecord, InvocationFailures>();

/**
 * The failure side channel of one handler invocation.
 *
 * Operators that can fail a record without running an effect (`decodeWith`, `changed`, `newImage`, …) drop the
 * record from the pipeline and report it here, so valid records flow on with their plain types while the failure
 * still reaches `batchItemFailures`. The channel is found from the record: `bind` ties the invocation's record
 * objects to it, and every `StreamItem` carries its record (spreads and derived items included), so an operator
 * anywhere in the pipeline reaches the right invocation, even with several invocations running at once.
 *
 * `processEach` reads the channel too: a record whose item already has an earlier failure (reported by any
 * operator) fails without running, so an item's changes are never applied out of order.
 *
 * @internal handlers create it; operators reach it through {@link InvocationFailures.of} or `failRecord`.
 */
class InvocationFailures {
  readonly #failed = new Map<string, FailedOutcome>();
  /** itemKey → its failure with the lowest sequence number. */
  readonly #lowestByItem = new Map<string, FailedOutcome>();
  readonly #bound: DynamoDBRecord[] = [];

  /**
   * Runs one invocation: binds the records to a fresh channel, builds their items, runs `pipeline` over them and
   * releases the records when it settles.
   */
  static async run<T extends Item, R>(
    records: readonly DynamoDBRecord[],
    pipeline: (items: StreamItem<T>[]) => Promise<R>,
  ): Promise<{ result: R; failures: InvocationFailures; items: StreamItem<T>[] }> {
    const failures = new InvocationFailures();
    try {
      const items = failures.bind(records).map((record) => toStreamItem<T>(record));
      return { result: await pipeline(items), failures, items };
    } finally {
      failures.release();
    }
  }

  /** The invocation a record belongs to, or undefined outside any handler invocation. */
  static of(item: StreamItem): InvocationFailures | undefined {
    return invocations.get(item.record);
  }

  /**
   * Ties records to this invocation and returns the objects to build the pipeline's items from: the records
   * themselves, or a shallow copy of a record that a still-running invocation already holds (the same event
   * object handled twice at once).
   */
  bind(records: readonly DynamoDBRecord[]): DynamoDBRecord[] {
    const own = records.map((record) => (invocations.has(record) ? { ...record } : record));
    for (const record of own) invocations.set(record, this);
    this.#bound.push(...own);
    return own;
  }

  /** Unties this invocation's records (when it has answered). */
  release(): void {
    for (const record of this.#bound.splice(0)) {
      if (invocations.get(record) === this) invocations.delete(record);
    }
  }

  /** Records the failure of a record; a record's first reported error is the one kept. */
  report(item: StreamItem, error: unknown): FailedOutcome {
    const existing = this.#failed.get(item.sequenceNumber);
    if (existing !== undefined) return existing;
    const outcome: FailedOutcome = {
      sequenceNumber: item.sequenceNumber,
      itemKey: item.itemKey,
      ok: false,
      error,
    };
    this.#failed.set(item.sequenceNumber, outcome);
    const lowest = this.#lowestByItem.get(item.itemKey);
    if (lowest === undefined || compareSequenceNumbers(item.sequenceNumber, lowest.sequenceNumber) < 0) {
      this.#lowestByItem.set(item.itemKey, outcome);
    }
    return outcome;
  }

  /** The failure of an earlier record of the same item, if there is one. */
  earlierFailure(item: StreamItem): FailedOutcome | undefined {
    const lowest = this.#lowestByItem.get(item.itemKey);
    return lowest !== undefined && compareSequenceNumbers(lowest.sequenceNumber, item.sequenceNumber) < 0
      ? lowest
      : undefined;
  }

  /** Every failure reported so far, in the order they were reported. */
  get failures(): readonly FailedOutcome[] {
    return [...this.#failed.values()];
  }
}

export type { FailedOutcome };
export { InvocationFailures };
