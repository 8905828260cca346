import { onTestFailed } from 'vitest';
import { parseSeed, Random } from './Random.js';

/**
 * A seeded generator for a test that draws (delays, kill moments): `defaultSeed` unless `EDDY_SEED` is set, as
 * in the other seeded tests. When the test fails its seed is printed, and `EDDY_SEED=<seed>` replays the same
 * draws. Call it inside the test (`it`), where vitest can report the failure.
 */
const testRandom = (defaultSeed: number): { readonly seed: number; readonly random: Random } => {
  const seed = parseSeed(process.env.EDDY_SEED) ?? defaultSeed;
  onTestFailed(() => {
    console.error(`seeded test failed with seed ${seed}: EDDY_SEED=${seed} replays its draws`);
  });
  return { seed, random: new Random(seed) };
};

export { testRandom };
