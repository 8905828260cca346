import type { CheckpointStore } from '../../checkpoint/CheckpointStore.js';
import { compareSequenceNumbers } from '../../records/sequenceNumber.js';

/**
 * ⑦ Writes one shard's checkpoints one after another: lanes finish concurrently, and a write of an older
 * position never lands after a newer one (a write at or before the last written position is skipped).
 *
 * @example
 * const writer = new CheckpointWriter(store, 'orders-view', shardId);
 * await writer.write('200');
 * await writer.end('300'); // the shard was read to its end
 */
class CheckpointWriter {
  readonly #store: CheckpointStore;
  readonly #mappingId: string;
  readonly #shardId: string;
  #chain: Promise<void> = Promise.resolve();
  #written: string | undefined;

  constructor(store: CheckpointStore, mappingId: string, shardId: string) {
    this.#store = store;
    this.#mappingId = mappingId;
    this.#shardId = shardId;
  }

  /** Queues a write of `sequence`; resolves when it and every write before it landed (or were skipped). */
  write(sequence: string): Promise<void> {
    this.#chain = this.#chain.then(async () => {
      if (this.#written !== undefined && compareSequenceNumbers(sequence, this.#written) <= 0) return;
      await this.#store.put(this.#mappingId, this.#shardId, { sequenceNumber: sequence });
      this.#written = sequence;
    });
    return this.#chain;
  }

  /** Resolves when every queued write landed; rejects if one failed. */
  settled(): Promise<void> {
    return this.#chain;
  }

  /** After every queued write, records that the shard was read to its end, after `lastRead` if any. */
  async end(lastRead: string | undefined): Promise<void> {
    await this.#chain;
    await this.#store.put(this.#mappingId, this.#shardId, {
      ...(lastRead === undefined ? {} : { sequenceNumber: lastRead }),
      shardEnded: true,
    });
  }
}

export { CheckpointWriter };
