import { expect, it } from 'vitest';
import { CheckpointRegressionError } from '../../src/checkpoint/CheckpointRegressionError.js';
import type { CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';

/**
 * The contract every CheckpointStore keeps (one suite for every implementation, as
 * test/unit/src/checkpoint/checkpointStores.test.ts runs it), as `it` blocks to call inside a
 * `describe`. `create` returns a fresh, empty store.
 */
const checkpointContract = (create: () => Promise<CheckpointStore>): void => {
  it('keeps checkpoints per mapping and shard', async () => {
    const store = await create();
    await store.put('m1', 's1', { sequenceNumber: '100000000000000000005' });
    await store.put('m2', 's1', { sequenceNumber: '100000000000000000009' });
    expect(await store.get('m1', 's1')).toEqual({ sequenceNumber: '100000000000000000005' });
    expect(await store.get('m2', 's1')).toEqual({ sequenceNumber: '100000000000000000009' });
    expect(await store.get('m1', 's2')).toBeUndefined();
  });

  it('moves a checkpoint forwards and keeps an equal one', async () => {
    const store = await create();
    await store.put('m', 's', { sequenceNumber: '100000000000000000005' });
    await store.put('m', 's', { sequenceNumber: '100000000000000000005' });
    await store.put('m', 's', { sequenceNumber: '100000000000000000007', shardEnded: true });
    expect(await store.get('m', 's')).toEqual({ sequenceNumber: '100000000000000000007', shardEnded: true });
  });

  it('never moves a checkpoint backwards, comparing as integers', async () => {
    const store = await create();
    await store.put('m', 's', { sequenceNumber: '1000000000000000000000' });
    await expect(store.put('m', 's', { sequenceNumber: '900000000000000000000' })).rejects.toBeInstanceOf(
      CheckpointRegressionError,
    );
    expect(await store.get('m', 's')).toEqual({ sequenceNumber: '1000000000000000000000' });
  });

  it('never drops the sequence number of a checkpoint', async () => {
    const store = await create();
    await store.put('m', 's', { sequenceNumber: '100000000000000000005' });
    await expect(store.put('m', 's', { shardEnded: true })).rejects.toBeInstanceOf(CheckpointRegressionError);
  });

  it('ends an empty shard without a sequence number', async () => {
    const store = await create();
    await store.put('m', 's', { shardEnded: true });
    expect(await store.get('m', 's')).toEqual({ shardEnded: true });
  });

  it('never reopens an ended shard', async () => {
    const store = await create();
    await store.put('m', 's', { sequenceNumber: '100000000000000000005', shardEnded: true });
    await expect(store.put('m', 's', { sequenceNumber: '100000000000000000006' })).rejects.toBeInstanceOf(
      CheckpointRegressionError,
    );
    expect(await store.get('m', 's')).toEqual({ sequenceNumber: '100000000000000000005', shardEnded: true });
  });

  it('keeps concurrent writes to different shards', async () => {
    const store = await create();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.put('m', `s${i}`, { sequenceNumber: `1000000000000000000${String(i).padStart(2, '0')}` }),
      ),
    );
    for (let i = 0; i < 20; i++) {
      expect(await store.get('m', `s${i}`)).toEqual({
        sequenceNumber: `1000000000000000000${String(i).padStart(2, '0')}`,
      });
    }
  });

  it('lists every checkpoint by mapping and shard', async () => {
    const store = await create();
    await store.put('m2', 's1', { sequenceNumber: '100000000000000000009' });
    await store.put('m1', 's2', { sequenceNumber: '100000000000000000005', shardEnded: true });
    await store.put('m1', 's1', { sequenceNumber: '100000000000000000003' });
    expect(await store.list()).toEqual([
      { mappingId: 'm1', shardId: 's1', checkpoint: { sequenceNumber: '100000000000000000003' } },
      {
        mappingId: 'm1',
        shardId: 's2',
        checkpoint: { sequenceNumber: '100000000000000000005', shardEnded: true },
      },
      { mappingId: 'm2', shardId: 's1', checkpoint: { sequenceNumber: '100000000000000000009' } },
    ]);
  });

  it('repositions a checkpoint backwards, reopening an ended shard, only through reposition', async () => {
    const store = await create();
    await store.put('m', 's', { sequenceNumber: '1000000000000000000000', shardEnded: true });
    await store.reposition('m', 's', { sequenceNumber: '900000000000000000000' });
    expect(await store.get('m', 's')).toEqual({ sequenceNumber: '900000000000000000000' });
    // The runtime's path still refuses to go back, from the new position too.
    await expect(store.put('m', 's', { sequenceNumber: '800000000000000000000' })).rejects.toBeInstanceOf(
      CheckpointRegressionError,
    );
    await store.put('m', 's', { sequenceNumber: '950000000000000000000' });
    // An empty checkpoint: nothing of the shard handled.
    await store.reposition('m', 's', {});
    expect((await store.get('m', 's'))?.sequenceNumber).toBeUndefined();
    await store.put('m', 's', { sequenceNumber: '100000000000000000001' });
  });
};

export { checkpointContract };
