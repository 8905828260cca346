import type { ObservedMapping } from './ObservedMapping.js';

/** One shard's lag as the dashboard shows it. */
interface ShardLag {
  /** Lambda's IteratorAge metric of the shard's last batch (ms). */
  readonly iteratorAge: number;
  /** Records read from the shard and not yet finished with. */
  readonly recordsBehind: number;
  /** Batches of the shard being processed. */
  readonly inFlight: number;
}

/**
 * A mapping's lag per shard now: the iterator age from its metrics, records behind and batches in flight from its
 * progress. Shards the metrics know but the mapping no longer consumes (closed and finished) have no records
 * behind.
 *
 * @example
 * const byShard = shardLag(mapping); // { 'shardId-…': { iteratorAge: 120, recordsBehind: 3, inFlight: 1 } }
 */
const shardLag = (mapping: ObservedMapping): Record<string, ShardLag> => {
  const byShard: Record<string, ShardLag> = {};
  for (const [shardId, shard] of Object.entries(mapping.metrics().byShard)) {
    byShard[shardId] = { iteratorAge: shard.IteratorAge, recordsBehind: 0, inFlight: 0 };
  }
  for (const [shardId, shard] of Object.entries(mapping.progress().byShard)) {
    byShard[shardId] = {
      iteratorAge: byShard[shardId]?.iteratorAge ?? 0,
      recordsBehind: shard.recordsBehind,
      inFlight: shard.inFlight,
    };
  }
  return byShard;
};

export type { ShardLag };
export { shardLag };
