import { describe, expect, it } from 'vitest';
import { MappingMetrics } from '../../../../../src/runtime/observability/MappingMetrics.js';

// Lambda's event source mapping metrics (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html)
// per shard; a shard read to its end is retired so a mapping that lives through many rollovers keeps a bounded map.

describe(MappingMetrics.name, () => {
  it('drops a retired shard from byShard and keeps its counts in the totals', () => {
    const metrics = new MappingMetrics();
    metrics.add('parent', 'PolledEventCount', 5);
    metrics.add('parent', 'InvokedEventCount', 5);
    metrics.iteratorAge('parent', 900);
    metrics.add('child', 'InvokedEventCount', 2);
    metrics.iteratorAge('child', 40);
    metrics.retire('parent');
    const { total, byShard } = metrics.snapshot();
    expect(Object.keys(byShard)).toEqual(['child']);
    expect(total.InvokedEventCount).toBe(7);
    expect(total.PolledEventCount).toBe(5);
    // A finished shard is behind by nothing: its last age no longer counts.
    expect(total.IteratorAge).toBe(40);
  });

  it('keeps the number of shards it holds to those not retired, however many came and went', () => {
    const metrics = new MappingMetrics();
    for (let generation = 0; generation < 1000; generation++) {
      metrics.add(`shard-${generation}`, 'InvokedEventCount', 1);
      if (generation > 0) metrics.retire(`shard-${generation - 1}`);
    }
    const { total, byShard } = metrics.snapshot();
    expect(Object.keys(byShard)).toEqual(['shard-999']);
    expect(total.InvokedEventCount).toBe(1000);
  });

  it('ignores retiring a shard it does not know, and counts a retired shard again if counts still come', () => {
    const metrics = new MappingMetrics();
    metrics.retire('unknown');
    metrics.add('s', 'DroppedEventCount', 1);
    metrics.retire('s');
    metrics.add('s', 'DroppedEventCount', 2);
    const { total, byShard } = metrics.snapshot();
    expect(byShard.s?.DroppedEventCount).toBe(2);
    expect(total.DroppedEventCount).toBe(3);
  });
});
