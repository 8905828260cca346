import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckpointStore } from '../../../../src/checkpoint/CheckpointStore.js';
import { FileCheckpointStore } from '../../../../src/checkpoint/FileCheckpointStore.js';
import { MemoryCheckpointStore } from '../../../../src/checkpoint/MemoryCheckpointStore.js';
import { checkpointContract } from '../../../helpers/checkpointContract.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});
const tempFile = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'eddy-checkpoints-'));
  folders.push(folder);
  return join(folder, 'nested', 'checkpoints.json');
};

// One contract, every store (test/helpers/checkpointContract.ts). DynamoDBCheckpointStore needs the emulator's socket,
// so it runs the same contract in test/integration/checkpoint/dynamoDBCheckpointStore.test.ts.
describe.each([
  ['MemoryCheckpointStore', async (): Promise<CheckpointStore> => new MemoryCheckpointStore()],
  ['FileCheckpointStore', async (): Promise<CheckpointStore> => new FileCheckpointStore(await tempFile())],
])('%s', (_name, create) => {
  checkpointContract(create);
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
