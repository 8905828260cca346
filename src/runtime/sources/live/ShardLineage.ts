import type { CheckpointStore } from '../../../checkpoint/CheckpointStore.js';
import type { SourceShard } from '../RecordSource.js';
import type { StartAt } from '../StartAt.js';
import { startPositionOf } from './startPositionOf.js';

interface ShardLineageOptions {
  readonly mappingId: string;
  readonly checkpoints: CheckpointStore;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /**
   * Other workers share the shards (leases): a parent another worker read to its end counts as finished
   * once its checkpoint says so.
   */
  readonly shared: boolean;
}

/**
 * ④ Which listed shards may be consumed now, and from where: the shards already finished (read to their
 * end, or skipped by LATEST), the facts `startPositionOf` decides on, gathered from the checkpoints.
 *
 * @example
 * const lineage = new ShardLineage({ mappingId, checkpoints, startingPosition: 'TRIM_HORIZON', shared: false });
 * const ready = await lineage.ready(await source.listShards(), true);
 */
class ShardLineage {
  readonly #o: ShardLineageOptions;
  readonly #finished = new Set<string>();

  constructor(options: ShardLineageOptions) {
    this.#o = options;
  }

  /** `shardId` was read to its end: its children may start. */
  finish(shardId: string): void {
    this.#finished.add(shardId);
  }

  /** Whether `shardId` is finished: read to its end by this mapping, or skipped (LATEST, a finished checkpoint). */
  finished(shardId: string): boolean {
    return this.#finished.has(shardId);
  }

  /** The shards of `shards` ready to be consumed, with where each starts; `initial` on the first look. */
  async ready(
    shards: readonly SourceShard[],
    initial: boolean,
  ): Promise<{ readonly shardId: string; readonly startAt: StartAt }[]> {
    // A finished shard no longer listed (trimmed away after retention) is never asked about again: forgotten,
    // so a mapping that runs through many rollovers and splits keeps only the listed shards' ids.
    if (this.#finished.size > shards.length) {
      const listed = new Set(shards.map((s) => s.shardId));
      for (const shardId of this.#finished) if (!listed.has(shardId)) this.#finished.delete(shardId);
    }
    const ready: { shardId: string; startAt: StartAt }[] = [];
    for (const shard of shards) {
      const startAt = await this.#startOf(shard, shards, initial);
      if (startAt !== undefined) ready.push({ shardId: shard.shardId, startAt });
    }
    return ready;
  }

  /**
   * Where `shard` would start if it is ready to be consumed: not finished, and its parent (if still listed)
   * read to its end — by this worker or, with leases, by any worker (the parent's checkpoint says so).
   */
  async #startOf(
    shard: SourceShard,
    all: readonly SourceShard[],
    initial: boolean,
  ): Promise<StartAt | undefined> {
    const { shardId, parentShardId: parent } = shard;
    if (this.#finished.has(shardId)) return undefined;
    const parentPending =
      parent !== undefined && all.some((s) => s.shardId === parent) && !(await this.#isFinished(parent));
    const decision = startPositionOf({
      parentPending,
      checkpoint: parentPending ? undefined : await this.#o.checkpoints.get(this.#o.mappingId, shardId),
      closed: shard.closed,
      initial,
      startingPosition: this.#o.startingPosition,
    });
    if (decision.kind === 'finished') this.#finished.add(shardId);
    return decision.kind === 'start' ? decision.startAt : undefined;
  }

  async #isFinished(shardId: string): Promise<boolean> {
    if (this.#finished.has(shardId)) return true;
    if (!this.#o.shared) return false;
    const ended = (await this.#o.checkpoints.get(this.#o.mappingId, shardId))?.shardEnded === true;
    if (ended) this.#finished.add(shardId);
    return ended;
  }
}

export type { ShardLineageOptions };
export { ShardLineage };
