import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One committed mutation: the request as it was run (target, account, region, input), the instant it ran at
 * and the seed of its randomness. Replaying entries in order rebuilds the emulator's state exactly, stream
 * records included: a record is derived from its request, so an item change and its record are stored (or
 * lost) together.
 */
interface JournalEntry {
  readonly t: string;
  readonly a: string;
  readonly r: string;
  readonly n: number;
  readonly s: string;
  readonly i: Record<string, unknown>;
}

/**
 * The emulator's data on disk (`--data-dir`): an append-only NDJSON journal of committed mutations. A line is
 * written with a synchronous write before the response leaves, so every acknowledged write survives a kill -9
 * of the process (the OS holds it); `fsync: true` also survives a power cut, at a cost per write.
 */
class FileJournal {
  readonly path: string;
  readonly #fd: number;
  readonly #fsync: boolean;
  readonly #entries: JournalEntry[];

  private constructor(path: string, fd: number, entries: JournalEntry[], fsync: boolean) {
    this.path = path;
    this.#fd = fd;
    this.#entries = entries;
    this.#fsync = fsync;
  }

  /** Opens (or creates) the journal in `dir`, dropping a torn last line left by a crash mid-write. */
  static open(dir: string, options: { fsync?: boolean } = {}): FileJournal {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'journal.ndjson');
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const entries: JournalEntry[] = [];
    let validBytes = 0;
    for (const line of text.split('\n')) {
      if (line === '') break;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        // Only the last line can be torn (a crash during its write): that request was never acknowledged.
        break;
      }
      entries.push(entry);
      validBytes += Buffer.byteLength(line) + 1;
    }
    if (validBytes < Buffer.byteLength(text)) truncateSync(path, validBytes);
    const fd = openSync(path, 'a');
    return new FileJournal(path, fd, entries, options.fsync === true);
  }

  /** The entries found when the journal was opened, oldest first. */
  entries(): readonly JournalEntry[] {
    return this.#entries;
  }

  append(entry: JournalEntry): void {
    writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
    if (this.#fsync) fsyncSync(this.#fd);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

export type { JournalEntry };
export { FileJournal };
