/**
 * A checkpoint write that would move a shard's checkpoint backwards.
 *
 * @example
 * await store.put('m', shardId, { sequenceNumber: '200' });
 * await store.put('m', shardId, { sequenceNumber: '100' }); // throws CheckpointRegressionError
 */
class CheckpointRegressionError extends Error {
  constructor(shardId: string, current: string, attempted: string) {
    super(`checkpoint of ${shardId} would move backwards from ${current} to ${attempted}`);
    this.name = 'CheckpointRegressionError';
  }
}

export { CheckpointRegressionError };
