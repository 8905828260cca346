import { DescribeTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointRegressionError } from '../../../src/checkpoint/CheckpointRegressionError.js';
import type { Checkpoint } from '../../../src/checkpoint/CheckpointStore.js';
import { DynamoDBCheckpointStore } from '../../../src/checkpoint/DynamoDBCheckpointStore.js';
import { LeaseLostError } from '../../../src/leaseTable/LeaseLostError.js';
import { checkpointContract } from '../../helpers/checkpointContract.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** A writer whose read happened before another process's write: it goes straight to the conditional write. */
class RacingStore extends DynamoDBCheckpointStore {
  writeWithoutRead(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    return this._write(mappingId, shardId, checkpoint);
  }
}

let tables = 0;
/** A store on a table of its own, created by ensureTable. */
const freshStore = async (options = {}): Promise<DynamoDBCheckpointStore> => {
  const store = new DynamoDBCheckpointStore(h.dynamodb, `checkpoints${++tables}`, options);
  await store.ensureTable();
  return store;
};

describe(DynamoDBCheckpointStore.name, () => {
  describe('the checkpoint contract', () => {
    checkpointContract(() => freshStore());
  });

  it('creates a PAY_PER_REQUEST table keyed by leaseKey, and accepts an existing one', async () => {
    const store = await freshStore();
    await store.ensureTable();
    await Promise.all([
      store.ensureTable(),
      new DynamoDBCheckpointStore(h.dynamodb, store.tableName).ensureTable(),
    ]);
    const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: store.tableName }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'leaseKey', KeyType: 'HASH' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('stores one readable item per mapping and shard', async () => {
    const store = await freshStore();
    await store.put('orders', 'shardId-1', { sequenceNumber: '100000000000000000042' });
    const { Item } = await h.dynamodb.send(
      new GetItemCommand({ TableName: store.tableName, Key: { leaseKey: { S: 'orders#shardId-1' } } }),
    );
    expect(Item).toEqual({
      leaseKey: { S: 'orders#shardId-1' },
      mappingId: { S: 'orders' },
      shardId: { S: 'shardId-1' },
      checkpoint: { S: '100000000000000000042' },
      checkpointOrder: { S: '0000000000000000000100000000000000000042' },
    });
  });

  it('survives a restart: a new store on the same table reads what the old one wrote', async () => {
    const store = await freshStore();
    await store.put('m', 's', { sequenceNumber: '100000000000000000042' });
    expect(await new DynamoDBCheckpointStore(h.dynamodb, store.tableName).get('m', 's')).toEqual({
      sequenceNumber: '100000000000000000042',
    });
  });

  it('never moves backwards when several processes write at once (the write itself is conditional)', async () => {
    const first = await freshStore();
    const stores = [
      first,
      ...Array.from({ length: 3 }, () => new DynamoDBCheckpointStore(h.dynamodb, first.tableName)),
    ];
    const numbers = Array.from(
      { length: 40 },
      (_, i) => `${100000000000000000000n + BigInt((i * 7919) % 40)}`,
    );
    const results = await Promise.allSettled(
      numbers.map((sequenceNumber, i) =>
        (stores[i % stores.length] as DynamoDBCheckpointStore).put('m', 's', { sequenceNumber }),
      ),
    );
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(CheckpointRegressionError);
    }
    expect(await first.get('m', 's')).toEqual({ sequenceNumber: '100000000000000000039' });
  });

  it('orders sequence numbers of different lengths as integers in the condition', async () => {
    const store = await freshStore();
    await store.put('m', 's', { sequenceNumber: '99999999999999999999999' });
    // Only the conditional write stands between a racing writer (whose read is stale) and a regression.
    const racing = new RacingStore(h.dynamodb, store.tableName);
    await racing.writeWithoutRead('m', 's', { sequenceNumber: '100000000000000000000000' });
    await expect(
      racing.writeWithoutRead('m', 's', { sequenceNumber: '99999999999999999999999' }),
    ).rejects.toThrow(
      'checkpoint of s would move backwards from 100000000000000000000000 to 99999999999999999999999',
    );
    await expect(racing.writeWithoutRead('m', 's', { shardEnded: true })).rejects.toBeInstanceOf(
      CheckpointRegressionError,
    );
  });

  it('with a lease fence, refuses writes without the lease, locally or by the condition', async () => {
    const unfenced = await freshStore();
    let token: string | undefined;
    const fenced = new DynamoDBCheckpointStore(h.dynamodb, unfenced.tableName, {
      leaseFence: { workerId: 'w1', tokenFor: () => token },
    });
    await expect(fenced.put('m', 's', { sequenceNumber: '100000000000000000001' })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    token = 't1'; // believed held, but the table says nobody holds it
    await expect(fenced.put('m', 's', { sequenceNumber: '100000000000000000001' })).rejects.toThrow(
      'worker w1 no longer holds the lease of s',
    );
    expect(await unfenced.get('m', 's')).toBeUndefined();
  });
});
