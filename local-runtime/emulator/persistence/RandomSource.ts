import { createHash, randomBytes, randomFillSync } from 'node:crypto';

/**
 * Where the emulator's randomness comes from: event ids, table ids. Seedable, so a journal can replay it. `hex`,
 * when a source has it, gives `source(bytes).toString('hex')` without a Buffer in between (see `randomHex`).
 */
type RandomSource = ((bytes: number) => Buffer) & { readonly hex?: (bytes: number) => string };

/**
 * CSPRNG bytes drawn 4 KiB at a time and handed out in copies: a stream record's 16-byte event id costs a copy
 * rather than a call into the CSPRNG. Larger requests go to the CSPRNG directly.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

const cryptoRandom: RandomSource = (bytes) => {
  if (bytes > 256) return randomBytes(bytes);
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  // One allocation (a view and a copy of it would be two): every byte of `out` is written by the copy.
  const out = Buffer.allocUnsafe(bytes);
  pool.copy(out, 0, poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return out;
};

/**
 * `source(bytes).toString('hex')`; for `cryptoRandom`, the pool's next bytes as hex at once, with no Buffer made
 * and copied for them (a stream record's event id on every write).
 */
const randomHex = (source: RandomSource, bytes: number): string => {
  if (source !== cryptoRandom || bytes > 256) return source(bytes).toString('hex');
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const text = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return text;
};

/**
 * A deterministic stream of bytes from a seed (SHA-256 in counter mode): the same seed gives the same ids on
 * replay as it gave when the request first ran.
 */
const seededRandom = (seed: string): RandomSource => {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (bytes) => {
    while (pool.length < bytes) {
      const block = createHash('sha256').update(seed).update(String(counter++)).digest();
      pool = Buffer.concat([pool, block]);
    }
    const out = pool.subarray(0, bytes);
    pool = pool.subarray(bytes);
    return Buffer.from(out);
  };
};

export type { RandomSource };
export { cryptoRandom, randomHex, seededRandom };
