/**
 * Tells the mapping that a shard has new records (the emulator's in-process hint); optional. Only a hint: it
 * cuts a poll's wait short, and the mapping reads the same records without it.
 *
 * @example
 * new EventSourceMapping({ ...options, wakeUps: running.wakeUps(streamArn) }); // running = await startEmulator()
 */
interface ShardWakeUps {
  subscribe(listener: (shardId: string) => void): () => void;
}

export type { ShardWakeUps };
