/**
 * A write made on behalf of a shard lease this worker no longer holds: the lease expired, was taken over by
 * another worker, or was handed over. The worker must stop consuming the shard; its new owner resumes from the
 * last checkpoint, so records handled since then are delivered again (at least once, as with Lambda).
 *
 * @example
 * try {
 *   await checkpoints.put(mappingId, shardId, { sequenceNumber });
 * } catch (error) {
 *   if (error instanceof LeaseLostError) stopConsumer(error.shardId);
 *   else throw error;
 * }
 */
class LeaseLostError extends Error {
  readonly shardId: string;
  readonly workerId: string;

  constructor(shardId: string, workerId: string) {
    super(`worker ${workerId} no longer holds the lease of ${shardId}`);
    this.name = 'LeaseLostError';
    this.shardId = shardId;
    this.workerId = workerId;
  }
}

export { LeaseLostError };
