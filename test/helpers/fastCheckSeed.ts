import fc from 'fast-check';
import { parseSeed } from './Random.js';

// fast-check prints the seed (and path) of a failing property; EDDY_SEED=<seed> runs every property of the
// project from that seed, as it does for the other seeded tests. A property that passes its own `seed` keeps it.
const seed = parseSeed(process.env.EDDY_SEED);
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: seed | 0 });
