import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file in a data dir that holds the shard-iterator key. */
const ITERATOR_KEY_FILE = 'iterator.key';
const KEY_BYTES = 32;

/** A fresh random key for signing shard iterators (see shardIterator.ts). */
const newIteratorKey = (): Buffer => randomBytes(KEY_BYTES);

/**
 * The shard-iterator key of a data dir, created on first use. Kept on disk so that iterators issued before a
 * restart still read on after it, as AWS's stay valid for 15 minutes whatever happens to the servers. Written
 * to a temporary file and renamed, readable by the owner only: a torn or shared key would forge iterators.
 *
 * @throws Error - when the file exists but is not a key of the expected size
 */
const loadIteratorKey = (dataDir: string): Buffer => {
  const path = join(dataDir, ITERATOR_KEY_FILE);
  let existing: Buffer | undefined;
  try {
    existing = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing !== undefined) {
    if (existing.length !== KEY_BYTES)
      throw new Error(
        `eddy: ${path} is not an iterator key (${existing.length} bytes, expected ${KEY_BYTES}); delete it to ` +
          'start with a new key (iterators issued before are then refused)',
      );
    return existing;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = newIteratorKey();
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, key, { mode: 0o600 });
  renameSync(temporary, path);
  return key;
};

export { ITERATOR_KEY_FILE, loadIteratorKey, newIteratorKey };
