import { type Checkpoint, type CheckpointEntry, CheckpointStore } from './CheckpointStore.js';

/**
 * Checkpoints that live as long as the process: the default for `eddy dev` on an in-memory emulator.
 *
 * @example
 * const checkpoints = new MemoryCheckpointStore();
 * const mapping = new EventSourceMapping({ ...options, checkpoints });
 */
class MemoryCheckpointStore extends CheckpointStore {
  readonly #checkpoints = new Map<string, Checkpoint>();

  protected override async _read(mappingId: string, shardId: string): Promise<Checkpoint | undefined> {
    return this.#checkpoints.get(`${mappingId}\u0000${shardId}`);
  }

  protected override async _write(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    this.#checkpoints.set(`${mappingId}\u0000${shardId}`, { ...checkpoint });
  }

  protected override async _list(): Promise<CheckpointEntry[]> {
    return [...this.#checkpoints].map(([key, checkpoint]) => {
      const [mappingId = '', shardId = ''] = key.split('\u0000');
      return { mappingId, shardId, checkpoint: { ...checkpoint } };
    });
  }
}

export { MemoryCheckpointStore };
