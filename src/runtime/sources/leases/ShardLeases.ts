/**
 * What an event source mapping needs to share a stream's shards with other workers: which shards to consume,
 * when to stop consuming one, and how to give one up. LeaseManager implements it over a DynamoDB table.
 *
 * The expected loop: at each shard discovery, `claim` the shards that are ready and start consumers for the
 * ones returned that do not run yet; every renewal interval, `renew` and stop the consumers of the shards it
 * returns; after a consumer's final checkpoint (shard ended, stopped, or asked to stop), `release` its shard.
 *
 * @example
 * for (const shardId of await leases.claim(readyShardIds)) startConsumerIfIdle(shardId);
 * for (const shardId of await leases.renew()) await stopConsumer(shardId); // then release(shardId)
 */
interface ShardLeases {
  /**
   * Given every shard that is ready to be consumed now (including those this worker already consumes; ended
   * shards and children whose parents are unfinished left out), the ones this worker should consume: those it
   * holds, plus free or expired leases it takes up to its fair share, ceil(shards / live workers).
   */
  claim(readyShardIds: readonly string[]): Promise<string[]>;
  /**
   * Keeps this worker alive in the registry and its leases from expiring. Returns the shards whose consumers
   * must stop: leases lost (taken over after expiring) and leases another worker asked for (write the final
   * checkpoint, then `release`). Each shard is reported once.
   */
  renew(): Promise<string[]>;
  /** Frees a lease, after the shard's final checkpoint, so another worker can take it at once. */
  release(shardId: string): Promise<void>;
  /** True while this worker holds the shard's lease and it has not expired by this worker's clock. */
  owns(shardId: string): boolean;
  /** Releases every lease and leaves the registry (a graceful stop, after the final checkpoints). */
  shutdown(): Promise<void>;
}

export type { ShardLeases };
