import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../../../../src/checkpoint/CheckpointStore.js';
import { MemoryCheckpointStore } from '../../../../../src/checkpoint/MemoryCheckpointStore.js';
import { CheckpointWriter } from '../../../../../src/runtime/checkpointing/CheckpointWriter.js';

/** A store that records every write, in the order they land. */
class RecordingStore extends MemoryCheckpointStore {
  readonly writes: Checkpoint[] = [];

  override async put(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    await super.put(mappingId, shardId, checkpoint);
    this.writes.push(checkpoint);
  }
}

describe(CheckpointWriter.name, () => {
  it('writes in the order asked and skips a position at or before the last written', async () => {
    const store = new RecordingStore();
    const writer = new CheckpointWriter(store, 'm', 'shard-1');
    void writer.write('200');
    void writer.write('100');
    await writer.write('200');
    await writer.write('300');
    expect(store.writes).toEqual([{ sequenceNumber: '200' }, { sequenceNumber: '300' }]);
  });

  it('records the end of the shard after every queued write', async () => {
    const store = new RecordingStore();
    const writer = new CheckpointWriter(store, 'm', 'shard-1');
    void writer.write('100');
    await writer.end('150');
    expect(store.writes).toEqual([{ sequenceNumber: '100' }, { sequenceNumber: '150', shardEnded: true }]);
    expect(await store.get('m', 'shard-1')).toEqual({ sequenceNumber: '150', shardEnded: true });
  });
});
