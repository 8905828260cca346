import { describe, expect, it } from 'vitest';
import {
  type BatchingFacts,
  batchReady,
  untilBatchingWindowCloses,
} from '../../../../../src/runtime/batching/batchReady.js';

const PARAMS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html';
const lane = (overrides: Partial<BatchingFacts> = {}): BatchingFacts => ({
  queued: 3,
  openedAt: 1_000,
  now: 1_500,
  shardEnded: false,
  batchSize: 100,
  batchingWindowMs: 5_000,
  ...overrides,
});

describe(batchReady.name, () => {
  it('is never ready with nothing queued', () => {
    expect(batchReady(lane({ queued: 0, batchingWindowMs: 0 }))).toBe(false);
  });

  it(`waits for the batching window while the batch is not full (${PARAMS})`, () => {
    expect(batchReady(lane())).toBe(false);
  });

  it(`is ready once BatchSize records wait (${PARAMS})`, () => {
    expect(batchReady(lane({ queued: 100 }))).toBe(true);
  });

  it(`is ready when MaximumBatchingWindowInSeconds has passed since the first record arrived (${PARAMS})`, () => {
    expect(batchReady(lane({ now: 5_999 }))).toBe(false);
    expect(batchReady(lane({ now: 6_000 }))).toBe(true);
  });

  it('is ready at once without a batching window', () => {
    expect(batchReady(lane({ batchingWindowMs: 0 }))).toBe(true);
  });

  it('is ready when the shard ended: nothing more will come', () => {
    expect(batchReady(lane({ shardEnded: true }))).toBe(true);
  });
});

describe(untilBatchingWindowCloses.name, () => {
  it('is the time left in the open window, and infinite with none open', () => {
    expect(untilBatchingWindowCloses(1_000, 5_000, 4_000)).toBe(2_000);
    expect(untilBatchingWindowCloses(undefined, 5_000, 4_000)).toBe(Number.POSITIVE_INFINITY);
  });
});
