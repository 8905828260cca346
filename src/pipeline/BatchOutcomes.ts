import { EarlierRecordFailedError } from './errors.js';
import { InvocationFailures } from './InvocationFailures.js';
import type { RecordOutcome } from './RecordOutcome.js';
import type { Item, StreamItem } from './StreamItem.js';

/**
 * The outcomes of a batch that an operator applies as a whole (`aggregate`, `project` with transactions) rather
 * than record by record through `processEach`, with `processEach`'s rule: once a record of an item fails (here,
 * or upstream through the invocation's side channel), the item's later records fail without being applied.
 * Failures are reported to that channel too.
 * @internal
 */
class BatchOutcomes<T extends Item> {
  readonly #failures = new Map<string, RecordOutcome>();
  /** itemKey → the failure that stops the item's later records. */
  readonly #failedItems = new Map<string, { readonly sequenceNumber: string; readonly error: unknown }>();
  /** Records whose effect was already in place (a newer record reached the table first). */
  readonly #superseded = new Set<string>();

  /** Fails `item` if an earlier record of its item failed, and says whether it did. */
  failIfEarlierFailed(item: StreamItem<T>): boolean {
    const earlier = this.#failedItems.get(item.itemKey) ?? InvocationFailures.of(item)?.earlierFailure(item);
    if (earlier === undefined) return false;
    this.#failedItems.set(item.itemKey, earlier);
    this.#record(item, new EarlierRecordFailedError(earlier.sequenceNumber, earlier.error));
    return true;
  }

  /** Fails `item` with `error`; the item's later records then fail too. */
  fail(item: StreamItem<T>, error: unknown): void {
    if (!this.#failedItems.has(item.itemKey)) {
      this.#failedItems.set(item.itemKey, { sequenceNumber: item.sequenceNumber, error });
    }
    this.#record(item, error);
  }

  /** Marks `item` done without effect: what it would write is already there, or newer. */
  supersede(item: StreamItem<T>): void {
    this.#superseded.add(item.sequenceNumber);
  }

  /** One outcome per record of the batch, in its order: failed as recorded, succeeded otherwise. */
  outcomes(batch: readonly StreamItem<T>[]): RecordOutcome[] {
    return batch.map(
      (item) =>
        this.#failures.get(item.sequenceNumber) ?? {
          sequenceNumber: item.sequenceNumber,
          itemKey: item.itemKey,
          ok: true,
          ...(this.#superseded.has(item.sequenceNumber) ? { superseded: true as const } : {}),
        },
    );
  }

  #record(item: StreamItem<T>, error: unknown): void {
    InvocationFailures.of(item)?.report(item, error);
    this.#failures.set(item.sequenceNumber, {
      sequenceNumber: item.sequenceNumber,
      itemKey: item.itemKey,
      ok: false,
      error,
    });
  }
}

export { BatchOutcomes };
