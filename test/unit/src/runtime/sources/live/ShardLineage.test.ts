import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../../../../../src/checkpoint/MemoryCheckpointStore.js';
import { ShardLineage } from '../../../../../../src/runtime/sources/live/ShardLineage.js';
import type { SourceShard } from '../../../../../../src/runtime/sources/RecordSource.js';

const STREAMS = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html';
const parent: SourceShard = { shardId: 'parent', closed: true };
const child: SourceShard = { shardId: 'child', parentShardId: 'parent', closed: false };

const lineage = (shared = false, startingPosition: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON') => {
  const checkpoints = new MemoryCheckpointStore();
  return {
    checkpoints,
    lineage: new ShardLineage({ mappingId: 'm', checkpoints, startingPosition, shared }),
  };
};
const ids = (ready: readonly { shardId: string }[]) => ready.map((r) => r.shardId);

describe(ShardLineage.name, () => {
  it(`starts a child only after its parent was read to its end (${STREAMS})`, async () => {
    const { lineage: l } = lineage();
    expect(ids(await l.ready([parent, child], true))).toEqual(['parent']);
    l.finish('parent');
    expect(await l.ready([parent, child], false)).toEqual([
      { shardId: 'child', startAt: { type: 'TRIM_HORIZON' } },
    ]);
  });

  it('forgets finished shards once a listing no longer has them (trimmed away), so a long run keeps only listed ids', async () => {
    const { lineage: l } = lineage();
    const generations = Array.from(
      { length: 5 },
      (_, i): SourceShard => ({
        shardId: `g${i}`,
        ...(i === 0 ? {} : { parentShardId: `g${i - 1}` }),
        closed: i < 4,
      }),
    );
    for (const shard of generations.slice(0, 4)) l.finish(shard.shardId);
    // Retention trimmed the first three generations: only the last closed one and its open child are listed.
    expect(ids(await l.ready(generations.slice(3), false))).toEqual(['g4']);
    expect(generations.slice(0, 3).map((s) => l.finished(s.shardId))).toEqual([false, false, false]);
    expect(l.finished('g3')).toBe(true);
  });

  it('starts a child whose parent is no longer listed (trimmed away)', async () => {
    const { lineage: l } = lineage();
    expect(ids(await l.ready([child], true))).toEqual(['child']);
  });

  it('with leases, counts a parent another worker finished, by its checkpoint', async () => {
    const shared = lineage(true);
    await shared.checkpoints.put('m', 'parent', { sequenceNumber: '9', shardEnded: true });
    // The child is listed first: only the parent's checkpoint can say it is finished.
    expect(ids(await shared.lineage.ready([child, parent], true))).toEqual(['child']);
    const alone = lineage(false);
    await alone.checkpoints.put('m', 'parent', { sequenceNumber: '9', shardEnded: true });
    expect(ids(await alone.lineage.ready([child, parent], true))).toEqual([]);
    // Reading the parent's own checkpoint finished it: the child starts on the next look.
    expect(ids(await alone.lineage.ready([child, parent], false))).toEqual(['child']);
  });

  it('resumes after a checkpoint, and never offers a finished shard again', async () => {
    const { lineage: l, checkpoints } = lineage(false, 'LATEST');
    await checkpoints.put('m', 'child', { sequenceNumber: '5' });
    expect(await l.ready([child], true)).toEqual([
      { shardId: 'child', startAt: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '5' } },
    ]);
    l.finish('child');
    expect(await l.ready([child], false)).toEqual([]);
  });

  it('skips closed shards on the first look with LATEST, and their children start at LATEST', async () => {
    const { lineage: l } = lineage(false, 'LATEST');
    expect(await l.ready([parent, child], true)).toEqual([{ shardId: 'child', startAt: { type: 'LATEST' } }]);
  });
});
