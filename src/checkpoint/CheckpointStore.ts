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
 * One stored checkpoint, with the mapping and shard it belongs to (what `list` returns), and, in a store that
 * also keeps leases, the worker that holds the shard.
 *
 * @example
 * for (const { mappingId, shardId, checkpoint } of await store.list()) console.log(mappingId, shardId, checkpoint.sequenceNumber);
 */
interface CheckpointEntry {
  readonly mappingId: string;
  readonly shardId: string;
  readonly checkpoint: Checkpoint;
  /** The worker holding the shard's lease, in a store that keeps leases (DynamoDBCheckpointStore). */
  readonly leaseOwner?: string;
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

  /**
   * Every checkpoint in the store, ordered by mapping and shard (for `eddy checkpoint list`).
   *
   * @throws Error - in a store that cannot enumerate its checkpoints (one that implements only `_read` and `_write`)
   */
  async list(): Promise<CheckpointEntry[]> {
    const entries = await this._list();
    return entries.sort((a, b) =>
      a.mappingId === b.mappingId
        ? a.shardId.localeCompare(b.shardId)
        : a.mappingId.localeCompare(b.mappingId),
    );
  }

  /**
   * Moves a checkpoint to any position, backwards included, past the never-backwards rule that `put` keeps: the
   * way to rewind a mapping and re-run records (`eddy checkpoint set`). An empty checkpoint (`{}`) means
   * nothing of the shard was handled. Only with the mapping stopped: a running mapping keeps its position in
   * memory and writes it again with its next checkpoint.
   *
   * @example
   * // Re-run everything after this record when the mapping starts again:
   * await store.reposition('orders-view', shardId, { sequenceNumber: '4900000000000000000001' });
   */
  reposition(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    return this._overwrite(mappingId, shardId, checkpoint);
  }

  /** Enumerates the store; stores that can should override it. */
  protected _list(): Promise<CheckpointEntry[]> {
    return Promise.reject(new Error(`${this.constructor.name} cannot list its checkpoints`));
  }

  /** Writes without the never-backwards rule. `_write` of a store whose `_write` checks nothing itself. */
  protected _overwrite(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    return this._write(mappingId, shardId, checkpoint);
  }

  protected abstract _read(mappingId: string, shardId: string): Promise<Checkpoint | undefined>;
  protected abstract _write(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void>;
}

export type { Checkpoint, CheckpointEntry };
export { CheckpointStore };
