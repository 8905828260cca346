/**
 * What a mapping reports per shard, under the names of Lambda's event source mapping metrics
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html): IteratorAge in ms and the EventCount
 * family.
 *
 * @example
 * const { total } = mapping.metrics();
 * console.log(total.IteratorAge, total.InvokedEventCount, total.FailedInvokeEventCount);
 */
interface ShardMetrics {
  /** Age of the newest record of the last invocation when it was sent (ms): how far behind the consumer is. */
  IteratorAge: number;
  PolledEventCount: number;
  FilteredOutEventCount: number;
  InvokedEventCount: number;
  FailedInvokeEventCount: number;
  DroppedEventCount: number;
  OnFailureDestinationDeliveredEventCount: number;
  /** Records lost to retention before they were read (not a Lambda metric; logged as well). */
  TrimmedEventCount: number;
}

type Counter = Exclude<keyof ShardMetrics, 'IteratorAge'>;

const empty = (): ShardMetrics => ({
  IteratorAge: 0,
  PolledEventCount: 0,
  FilteredOutEventCount: 0,
  InvokedEventCount: 0,
  FailedInvokeEventCount: 0,
  DroppedEventCount: 0,
  OnFailureDestinationDeliveredEventCount: 0,
  TrimmedEventCount: 0,
});

/**
 * A mapping's metrics at one moment: per shard, the totals, and the record source's own figures when it has
 * some (a bootstrap's `SnapshotSource`: `BootstrapSegmentsDone`, `BootstrapScannedItemCount`…).
 */
interface MetricsSnapshot {
  readonly total: ShardMetrics;
  readonly byShard: Readonly<Record<string, ShardMetrics>>;
  readonly source?: Readonly<Record<string, number>>;
}

/**
 * Counters of one mapping, by shard. Read with `snapshot()`; the runtime also logs them as JSON.
 *
 * A shard the mapping has read to its end is retired (`retire`): its counts move into the totals and it leaves
 * `byShard`, so a mapping that runs for days through rollovers and splits keeps counters for the shards it reads,
 * not for every shard it ever read (each snapshot, log line and dashboard sample would copy them all).
 */
class MappingMetrics {
  readonly #byShard = new Map<string, ShardMetrics>();
  /** The counts of retired shards (IteratorAge unused: a finished shard is behind by nothing). */
  readonly #retired = empty();
  #source: (() => Readonly<Record<string, number>>) | undefined;

  /** Reports the record source's own figures with every snapshot (read when the snapshot is taken). */
  reportSource(read: () => Readonly<Record<string, number>>): void {
    this.#source = read;
  }

  add(shardId: string, counter: Counter, count: number): void {
    if (count === 0) return;
    this.#shard(shardId)[counter] += count;
  }

  iteratorAge(shardId: string, ms: number): void {
    this.#shard(shardId).IteratorAge = Math.max(0, ms);
  }

  /**
   * The shard was read to its end and everything read from it is done: its counts go on in the totals, and it
   * leaves `byShard`. Counts that still come for it later start a new entry.
   */
  retire(shardId: string): void {
    const metrics = this.#byShard.get(shardId);
    if (metrics === undefined) return;
    this.#byShard.delete(shardId);
    for (const key of Object.keys(metrics) as (keyof ShardMetrics)[]) {
      if (key !== 'IteratorAge') this.#retired[key] += metrics[key];
    }
  }

  /**
   * Per shard (the shards not retired), the mapping's totals (retired shards' counts included; IteratorAge: the
   * largest of the shards'), and the source's figures.
   */
  snapshot(): MetricsSnapshot {
    const total = { ...this.#retired };
    const byShard: Record<string, ShardMetrics> = {};
    for (const [shardId, metrics] of this.#byShard) {
      byShard[shardId] = { ...metrics };
      for (const key of Object.keys(metrics) as (keyof ShardMetrics)[]) {
        total[key] = key === 'IteratorAge' ? Math.max(total[key], metrics[key]) : total[key] + metrics[key];
      }
    }
    return this.#source === undefined
      ? { total, byShard }
      : { total, byShard, source: { ...this.#source() } };
  }

  #shard(shardId: string): ShardMetrics {
    let metrics = this.#byShard.get(shardId);
    if (metrics === undefined) {
      metrics = empty();
      this.#byShard.set(shardId, metrics);
    }
    return metrics;
  }
}

export type { MetricsSnapshot, ShardMetrics };
export { MappingMetrics };
