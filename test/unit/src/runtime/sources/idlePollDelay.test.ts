import { describe, expect, it } from 'vitest';
import { idlePollDelay } from '../../../../../src/runtime/sources/idlePollDelay.js';

// Lambda polls each shard four times a second (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
const LAMBDA = { intervalMs: 250, hinted: false, hintedMaxMs: 30_000 };
const HINTED = { ...LAMBDA, hinted: true };

describe(idlePollDelay.name, () => {
  it("keeps Lambda's fixed rate without the wake-up hint, however long the shard is idle", () => {
    expect([0, 1, 2, 10, 1000].map((empty) => idlePollDelay(empty, LAMBDA))).toEqual([
      250, 250, 250, 250, 250,
    ]);
  });

  it('with the hint, doubles the wait after each empty poll up to its longest', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((empty) => idlePollDelay(empty, HINTED))).toEqual([
      250, 250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000,
    ]);
    expect(idlePollDelay(10_000, HINTED)).toBe(30_000);
  });

  it('never waits less than the interval, even with a longest wait below it', () => {
    expect(idlePollDelay(5, { intervalMs: 5000, hinted: true, hintedMaxMs: 1000 })).toBe(5000);
  });
});
