import { compareSequenceNumbers } from '../records/sequenceNumber.js';
import { CheckpointRegressionError } from './CheckpointRegressionError.js';

/**
 * How far a mapping has processed one shard: the sequence number of the last record handled (processed,
 * filtered out or discarded), and whether the shard was read to its end.
 *
 * @example
 * const checkpoint: Checkpoint | undefined = await store.get('orders-view', shardId);
 * if (checkpoint?.shardEnded) console.log(`${shardId} was read to its end`);
 */
interface Checkpoint {
  readonly sequenceNumber?: string;
  readonly shardEnded?: boolean;
}

/**
 * ⑦ Where a mapping records its progress, keyed by mapping and shard. The base class owns the rule every
 * store keeps: a checkpoint never moves backwards. Stores implement only `_read` and `_write`.
 *
 * @example
 * class MapCheckpointStore extends CheckpointStore {
 *   readonly #map = new Map<string, Checkpoint>();
 *   protected async _read(mappingId: string, shardId: string) { return this.#map.get(`${mappingId}/${shardId}`); }
 *   protected async _write(mappingId: string, shardId: string, checkpoint: Checkpoint) {
 *     this.#map.set(`${mappingId}/${shardId}`, checkpoint);
 *   }
 * }
 */
abstract class CheckpointStore {
  get(mappingId: string, shardId: string): Promise<Checkpoint | undefined> {
    return this._read(mappingId, shardId);
  }

  async put(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    const current = await this._read(mappingId, shardId);
    const before = current?.sequenceNumber;
    const after = checkpoint.sequenceNumber;
    if (before !== undefined && (after === undefined || compareSequenceNumbers(after, before) < 0)) {
      throw new CheckpointRegressionError(shardId, before, after ?? '(none)');
    }
    if (current?.shardEnded === true && checkpoint.shardEnded !== true) {
      throw new CheckpointRegressionError(shardId, `${before ?? '(none)'} (shard ended)`, after ?? '(none)');
    }
    await this._write(mappingId, shardId, checkpoint);
  }

  protected abstract _read(mappingId: string, shardId: string): Promise<Checkpoint | undefined>;
  protected abstract _write(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void>;
}

export type { Checkpoint };
export { CheckpointStore };
