import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckpointStore } from '../../../../src/checkpoint/CheckpointStore.js';
import { FileCheckpointStore } from '../../../../src/checkpoint/FileCheckpointStore.js';
import { MemoryCheckpointStore } from '../../../../src/checkpoint/MemoryCheckpointStore.js';
import { CheckpointRegressionError } from '../../../../src/runtime/errors.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});
const tempFile = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'eddy-checkpoints-'));
  folders.push(folder);
  return join(folder, 'nested', 'checkpoints.json');
};

// One contract, every store (style-models.md lesson 9).
describe.each([
  ['MemoryCheckpointStore', async (): Promise<CheckpointStore> => new MemoryCheckpointStore()],
  ['FileCheckpointStore', async (): Promise<CheckpointStore> => new FileCheckpointStore(await tempFile())],
])('%s', (_name, create) => {
  it('keeps checkpoints per mapping and shard', async () => {
    const store = await create();
    await store.put('m1', 's1', { sequenceNumber: '100000000000000000005' });
    await store.put('m2', 's1', { sequenceNumber: '100000000000000000009' });
    expect(await store.get('m1', 's1')).toEqual({ sequenceNumber: '100000000000000000005' });
    expect(await store.get('m2', 's1')).toEqual({ sequenceNumber: '100000000000000000009' });
    expect(await store.get('m1', 's2')).toBeUndefined();
  });

  it('never moves a checkpoint backwards, comparing as integers', async () => {
    const store = await create();
    await store.put('m', 's', { sequenceNumber: '1000000000000000000000' });
    await expect(store.put('m', 's', { sequenceNumber: '900000000000000000000' })).rejects.toBeInstanceOf(
      CheckpointRegressionError,
    );
    expect(await store.get('m', 's')).toEqual({ sequenceNumber: '1000000000000000000000' });
  });

  it('never reopens an ended shard', async () => {
    const store = await create();
    await store.put('m', 's', { sequenceNumber: '100000000000000000005', shardEnded: true });
    await expect(store.put('m', 's', { sequenceNumber: '100000000000000000006' })).rejects.toBeInstanceOf(
      CheckpointRegressionError,
    );
  });

  it('keeps concurrent writes to different shards', async () => {
    const store = await create();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.put('m', `s${i}`, { sequenceNumber: `1000000000000000000${String(i).padStart(2, '0')}` }),
      ),
    );
    for (let i = 0; i < 20; i++) expect(await store.get('m', `s${i}`)).toBeDefined();
  });
});

describe(FileCheckpointStore.name, () => {
  it('survives a restart: a new store on the same file reads what the old one wrote', async () => {
    const path = await tempFile();
    await new FileCheckpointStore(path).put('m', 's', { sequenceNumber: '100000000000000000042' });
    expect(await new FileCheckpointStore(path).get('m', 's')).toEqual({
      sequenceNumber: '100000000000000000042',
    });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      m: { s: { sequenceNumber: '100000000000000000042' } },
    });
  });
});
