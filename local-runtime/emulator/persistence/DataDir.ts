import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { EffectLine, FileHeader } from './Effect.js';
import { checkLine, type DecodedLine, encodeLine, parseLine } from './journalLine.js';
import { type ChunkDamage, type ChunkWriter, RecordFiles } from './RecordFiles.js';
import { type JournalEntryV1, type LineProblems, readJournalV1 } from './readJournalV1.js';

/**
 * A data dir file with a damaged entry that is not a torn last line: start-up refuses it.
 *
 * @example
 * try {
 *   await startEmulator({ dataDir: '.eddy/data' });
 * } catch (error) {
 *   if (error instanceof JournalDamageError) await startEmulator({ dataDir: '.eddy/data', repairJournal: true });
 * }
 */
class JournalDamageError extends Error {
  readonly file: string;
  readonly offset: number;
  readonly line: number;

  constructor(file: string, offset: number, line: number, reason: string, dataDir: string) {
    super(
      `eddy: ${file} is damaged at byte offset ${offset} (line ${line}: ${reason}); the emulator was not ` +
        'started and nothing was changed. To keep everything before the damage and move the rest aside to a ' +
        `file next to it, start once with \`eddy emulator --data-dir ${dataDir} --repair-journal\` ` +
        '(startEmulator: repairJournal: true); or restore the data dir from a backup.',
    );
    this.name = 'JournalDamageError';
    this.file = file;
    this.offset = offset;
    this.line = line;
  }
}

interface DataDirOptions {
  /** Flush every appended line to the disk (survives a power cut). */
  readonly fsync?: boolean;
  /** Keep what comes before a damaged entry and move the rest aside instead of refusing to start. */
  readonly repair?: boolean;
  /**
   * Compact once the journal has grown by this many bytes since the last snapshot, or by a sixteenth of the
   * snapshot's size if that is more (so a large state is not rewritten for every few writes, while the tail a
   * restart replays, which costs several times what the same bytes of snapshot cost, stays short). @default 16 MiB
   */
  readonly compactAfterBytes?: number;
  readonly log?: (line: string) => void;
}

/**
 * A file's header and lines. Every line's checksum was checked when the file was read; `lines` parses them
 * one at a time as they are iterated, so a restart applies each line and lets it go instead of holding every
 * line of a snapshot and a journal at once (less for the garbage collector to copy, most of a restart's time).
 */
interface ReadFile {
  readonly header: FileHeader;
  readonly lines: Iterable<DecodedLine>;
}

const SNAPSHOT = 'snapshot.ndjson';
/** How long a background compaction writes before it lets the event loop serve requests again. */
const COMPACTION_SLICE_MS = 20;
const JOURNAL = 'journal.ndjson';
/** The journal being folded into a snapshot: kept until the snapshot is in place. */
const PREVIOUS_JOURNAL = 'journal.previous.ndjson';

/**
 * The emulator's data on disk (`--data-dir`), format 2: a snapshot of state (`snapshot.ndjson`) plus a
 * journal of the effects of each committed request since (`journal.ndjson`), both as checksummed lines
 * (journalLine.ts) of the effect vocabulary (Effect.ts).
 *
 * - A line is written with one synchronous write before the response leaves, so every acknowledged write
 *   survives a kill -9 (the OS holds it); `fsync` also survives a power cut, at a cost per write.
 * - At start, a damaged line refuses the start with the file, byte offset and line; `repair` keeps everything
 *   before it and moves the rest to a file it names. Only a torn last line (no newline: a crash mid-write, so
 *   never acknowledged) is dropped, with a log line.
 * - Compaction: once the journal has grown past `compactAfterBytes`, and on close, the state is written as a
 *   new snapshot (temp file, fsync, rename) and the journal starts again, so a restart reads a bounded tail.
 * - A format 1 journal (requests, Eddy before format 2) is handed to the emulator to replay once and written
 *   as a snapshot at once (`migrate`); the old file is kept as a backup.
 */
class DataDir {
  readonly dir: string;
  /** The snapshot and the journals to apply after it, in order; empty after `attach`. */
  snapshot: ReadFile | undefined;
  journals: ReadFile[];
  /** A format 1 journal found at start, to replay and migrate. */
  readonly v1: { readonly path: string; readonly entries: readonly JournalEntryV1[] } | undefined;
  /** The snapshot's stream record texts, in records files beside it (RecordFiles.ts). */
  readonly records: RecordFiles;
  readonly #options: DataDirOptions;
  readonly #log: (line: string) => void;
  #fd: number | undefined;
  #size = 0;
  #generation: number;
  /** Journal bytes written since the last snapshot. */
  #sinceSnapshot = 0;
  /** The size of the last snapshot written or read. */
  #snapshotBytes = 0;
  #capture: ((generation: number, records: ChunkWriter) => Iterable<string>) | undefined;
  #compacting: Promise<void> | undefined;

  private constructor(dir: string, options: DataDirOptions) {
    this.dir = dir;
    this.#options = options;
    this.#log = options.log ?? ((line) => console.error(line));
    this.journals = [];
    this.#generation = 0;
    mkdirSync(dir, { recursive: true });
    this.records = new RecordFiles(dir);
    const journalPath = join(dir, JOURNAL);
    const v1 = existsSync(journalPath) && isV1(journalPath);
    if (v1) {
      this.v1 = { path: journalPath, entries: readJournalV1(journalPath, this.#reader()) };
      return;
    }
    this.v1 = undefined;
    this.snapshot = existsSync(join(dir, SNAPSHOT)) ? this.#read(join(dir, SNAPSHOT), false) : undefined;
    const from = this.snapshot?.header.generation ?? 0;
    const current = existsSync(journalPath) ? this.#read(journalPath, true) : undefined;
    const previousPath = join(dir, PREVIOUS_JOURNAL);
    if (existsSync(previousPath)) {
      const previous = this.#read(previousPath, true);
      const generation = previous.header.generation;
      // Folded into the snapshot already (below `from`), or merged into the journal (same generation, see
      // `attach`): only a rotated journal older than the current one still holds effects of its own.
      if (generation >= from && (current === undefined || generation < current.header.generation)) {
        this.journals.push(previous);
        this.#generation = Math.max(this.#generation, generation);
      } else unlinkSync(previousPath);
    }
    if (current !== undefined && current.header.generation >= from) this.journals.push(current);
    this.#generation = Math.max(this.#generation, current?.header.generation ?? 0, from);
  }

  /** Reads the data dir in `dir` (created if missing). Throws JournalDamageError unless `repair`. */
  static open(dir: string, options: DataDirOptions = {}): DataDir {
    return new DataDir(dir, options);
  }

  /**
   * From now on the journal is appended to. `capture` describes the whole state as snapshot lines (see
   * captureSnapshot.ts); it is called at the instant of each compaction. A format 1 journal, or a new data
   * dir, gets a snapshot now; a journal left rotated by a cut-off compaction is merged (`#mergeRotated`).
   */
  attach(capture: (generation: number, records: ChunkWriter) => Iterable<string>): void {
    this.#capture = capture;
    // Records files of a compaction cut off before its snapshot was in place, or of older snapshots.
    this.records.deleteOthers(this.records.restoredFiles);
    const recovering = existsSync(join(this.dir, PREVIOUS_JOURNAL));
    this.snapshot = undefined;
    this.journals = [];
    if (this.v1 !== undefined) {
      this.#migrate(this.v1.path, this.v1.entries.length);
      return;
    }
    const journalPath = join(this.dir, JOURNAL);
    // A snapshot a kill cut off before its rename: never read, only disk space.
    const staleSnapshot = join(this.dir, `${SNAPSHOT}.tmp`);
    if (existsSync(staleSnapshot)) unlinkSync(staleSnapshot);
    if (recovering) this.#mergeRotated();
    if (!existsSync(journalPath)) {
      this.#compactNow();
      return;
    }
    this.#fd = openSync(journalPath, 'a');
    this.#size = statSync(journalPath).size;
    const snapshotPath = join(this.dir, SNAPSHOT);
    this.#snapshotBytes = existsSync(snapshotPath) ? statSync(snapshotPath).size : 0;
    this.#sinceSnapshot = this.#size;
  }

  /**
   * A compaction was cut off (a kill) after rotating the journal: the rotated journal and the new one are
   * joined into one journal of the rotated one's generation, written aside and renamed over the journal, and
   * the rotated one is deleted, instead of writing a whole snapshot during the start. A kill in between leaves
   * both with the same generation, which the next start reads as merged.
   */
  #mergeRotated(): void {
    const previousPath = join(this.dir, PREVIOUS_JOURNAL);
    const journalPath = join(this.dir, JOURNAL);
    const previous = readFileSync(previousPath);
    const current = existsSync(journalPath) ? readFileSync(journalPath) : Buffer.alloc(0);
    const afterHeader = current.indexOf(10) + 1;
    const temp = `${journalPath}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, previous);
      if (afterHeader > 0) writeSync(fd, current.subarray(afterHeader));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, journalPath);
    fsyncDir(this.dir);
    unlinkSync(previousPath);
  }

  /**
   * Appends one encoded line (journalLine.ts) with a single write. The line is built in full before this is
   * called, so a failure to build it writes nothing; a failed or short write is cut back off the file, so the
   * journal never keeps half a line. Throws when the line could not be written.
   */
  append(line: string): void {
    const fd = this.#fd;
    if (fd === undefined) throw new Error('eddy: the data dir is not open for writing');
    const bytes = Buffer.from(line);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      if (this.#options.fsync) fsyncSync(fd);
    } catch (error) {
      try {
        ftruncateSync(fd, this.#size);
      } catch {}
      throw error;
    }
    this.#size += bytes.length;
    this.#sinceSnapshot += bytes.length;
    const threshold = Math.max(this.#options.compactAfterBytes ?? 16 * 1024 * 1024, this.#snapshotBytes / 16);
    if (this.#sinceSnapshot > threshold && !this.#compacting) {
      // Not inside the request: the snapshot is taken between requests and written in the background.
      setImmediate(() => {
        this.compact().catch((error: unknown) => this.#log(`eddy: compaction failed: ${String(error)}`));
      });
    }
  }

  /**
   * Writes the state as a new snapshot and starts a new journal, while the emulator keeps serving. The state
   * is captured and the journal rotated in one synchronous step (so the snapshot is exactly the rotated
   * journal's end); the snapshot is then written in chunks, yielding to the event loop between them. Until it
   * is renamed into place, a restart applies the old snapshot, the rotated journal and the new one.
   */
  compact(): Promise<void> {
    if (this.#compacting === undefined) {
      this.#compacting = this.#compactInBackground().finally(() => {
        this.#compacting = undefined;
      });
    }
    return this.#compacting;
  }

  /** Finishes a running compaction, compacts what the journal holds since, and closes the journal. */
  async close(): Promise<void> {
    if (this.#compacting !== undefined) await this.#compacting.catch(() => {});
    if (this.#fd !== undefined && this.#sinceSnapshot > Buffer.byteLength(journalHeader(this.#generation))) {
      this.#compactNow();
    }
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.records.close();
  }

  /**
   * A records chunk the snapshot names is damaged (`RecordFiles.verify`): the error that refuses the start,
   * naming the records file, the chunk's offset and its line there.
   */
  chunkDamage(damage: ChunkDamage): JournalDamageError {
    const path = join(this.dir, damage.ref.file);
    const bytes = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    return new JournalDamageError(
      path,
      damage.ref.at,
      lineNumberAt(bytes, damage.ref.at),
      damage.reason,
      this.dir,
    );
  }

  /**
   * Repairs a damaged records chunk as a damaged snapshot line is repaired: the snapshot keeps the lines before
   * the first one that names the chunk, and the rest is moved aside to a file it names. The data dir is then
   * opened again.
   */
  cutSnapshotAtChunk(damage: ChunkDamage): void {
    const path = join(this.dir, SNAPSHOT);
    const bytes = readFileSync(path);
    // JSON.stringify writes a chunk reference's keys in this order (captureSnapshot.ts).
    const at = bytes.indexOf(`{"file":${JSON.stringify(damage.ref.file)},"at":${damage.ref.at},`);
    const offset = at < 0 ? bytes.length : bytes.lastIndexOf(10, at) + 1;
    const aside = moveAside(path, bytes, offset);
    this.records.close();
    this.#log(
      `eddy: repaired ${path}: ${damage.ref.file} is damaged at byte offset ${damage.ref.at} (${damage.reason}); kept the ${lineNumberAt(bytes, offset) - 1} snapshot lines (${offset} bytes) before the first that names it; moved the other ${bytes.length - offset} bytes to ${aside}`,
    );
  }

  async #compactInBackground(): Promise<void> {
    const capture = this.#capture;
    const previous = join(this.dir, PREVIOUS_JOURNAL);
    // A rotated journal not yet folded into a snapshot is never overwritten.
    if (capture === undefined || this.#fd === undefined || existsSync(previous)) return;
    const generation = this.#generation + 1;
    const records = this.records.writer(generation);
    const lines = capture(generation, records);
    closeSync(this.#fd);
    this.#fd = undefined;
    renameSync(join(this.dir, JOURNAL), previous);
    this.#openJournal(generation);
    // Time-sliced: a few milliseconds of writing per event-loop turn, so requests keep being served while the
    // snapshot is written and the snapshot still finishes while writes keep coming.
    let sliceStart = performance.now();
    for (const _ of this.#writeSnapshot(lines, records)) {
      if (performance.now() - sliceStart < COMPACTION_SLICE_MS) continue;
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    unlinkSync(previous);
  }

  /**
   * Compacts without yielding (at start and on close): the snapshot is in place before the journal is
   * emptied, so a crash at any point leaves a data dir that restarts to the same state.
   */
  #compactNow(): void {
    const capture = this.#capture;
    if (capture === undefined) return;
    const generation = this.#generation + 1;
    const records = this.records.writer(generation);
    for (const _ of this.#writeSnapshot(capture(generation, records), records)) {
      // Drained at once.
    }
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#openJournal(generation);
    const previous = join(this.dir, PREVIOUS_JOURNAL);
    if (existsSync(previous)) unlinkSync(previous);
  }

  /**
   * Writes snapshot lines to a temp file in chunks (yielding after each), fsyncs it and the records file the
   * lines name, and renames it into place; then deletes the records files it no longer names.
   */
  *#writeSnapshot(lines: Iterable<string>, records: ReturnType<RecordFiles['writer']>): Generator<void> {
    const temp = join(this.dir, `${SNAPSHOT}.tmp`);
    const fd = openSync(temp, 'w');
    try {
      let batch: string[] = [];
      let batchBytes = 0;
      let total = 0;
      for (const line of lines) {
        total += line.length;
        batch.push(line);
        batchBytes += line.length;
        if (batchBytes >= 1024 * 1024) {
          writeSync(fd, batch.join(''));
          batch = [];
          batchBytes = 0;
          yield;
        }
      }
      writeSync(fd, batch.join(''));
      records.finish();
      fsyncSync(fd);
      this.#snapshotBytes = total;
    } finally {
      records.finish();
      closeSync(fd);
    }
    renameSync(temp, join(this.dir, SNAPSHOT));
    fsyncDir(this.dir);
    this.records.deleteOthers(records.kept);
    // The records this snapshot wrote are on disk for good: shards read them from there from now on.
    records.committed();
  }

  #openJournal(generation: number): void {
    const path = join(this.dir, JOURNAL);
    const header = journalHeader(generation);
    writeFileSync(path, header);
    this.#fd = openSync(path, 'a');
    fsyncSync(this.#fd);
    this.#generation = generation;
    this.#size = Buffer.byteLength(header);
    this.#sinceSnapshot = this.#size;
  }

  /**
   * Replaces a format 1 journal by a snapshot of the state the emulator replayed from it. The snapshot is in
   * place before the old file is renamed to a backup, so a crash in between migrates again at the next start.
   */
  #migrate(path: string, count: number): void {
    const capture = this.#capture;
    if (capture === undefined) return;
    const records = this.records.writer(1);
    for (const _ of this.#writeSnapshot(capture(1, records), records)) {
      // Drained at once.
    }
    let backup = join(this.dir, 'journal.v1.ndjson.bak');
    for (let i = 1; existsSync(backup); i++) backup = join(this.dir, `journal.v1.ndjson.bak.${i}`);
    renameSync(path, backup);
    this.#openJournal(1);
    this.#log(
      `eddy: migrated ${path} (format 1: ${count} requests, replayed once) to format 2 (snapshot.ndjson + journal.ndjson); the old file is kept as ${basename(backup)}`,
    );
  }

  #reader(): LineProblems {
    return {
      damaged: (path, bytes, offset, line, reason) => {
        if (!this.#options.repair) throw new JournalDamageError(path, offset, line, reason, this.dir);
        const aside = moveAside(path, bytes, offset);
        this.#log(
          `eddy: repaired ${path}: kept the ${line - 1} lines (${offset} bytes) before the damage at line ${line} (${reason}); moved the other ${bytes.length - offset} bytes to ${aside}`,
        );
      },
      torn: (path, offset, length) => {
        this.#log(
          `eddy: ${path}: dropped a torn last line (${length} bytes at offset ${offset}, no newline: a write cut off by a crash, never acknowledged)`,
        );
        truncateFile(path, offset);
      },
    };
  }

  /** Reads and checks one file; `tornAllowed` for journals, whose last line may be torn by a crash. */
  #read(path: string, tornAllowed: boolean): ReadFile {
    const bytes = readFileSync(path);
    const problems = this.#reader();
    // Where each line after the header starts and ends (without its newline).
    const bounds: number[] = [];
    let header: FileHeader | undefined;
    let offset = 0;
    let number = 0;
    while (offset < bytes.length) {
      number += 1;
      const end = bytes.indexOf(10, offset);
      if (end < 0 && tornAllowed) {
        problems.torn(path, offset, bytes.length - offset);
        break;
      }
      const line = bytes.subarray(offset, end < 0 ? bytes.length : end);
      let damage: string | undefined = checkLine(line);
      if (damage === undefined && end < 0) damage = 'no newline at the end of a snapshot';
      if (damage === undefined && header === undefined) {
        const decoded = parseLine(line);
        if (typeof decoded === 'string') damage = decoded;
        else if (!isHeader(decoded.value)) damage = 'not a data dir file header';
        else header = decoded.value;
      } else if (damage === undefined) bounds.push(offset, end);
      if (damage !== undefined) {
        problems.damaged(path, bytes, offset, number, damage);
        break;
      }
      offset = end + 1;
    }
    const dir = this.dir;
    return {
      header: header ?? { format: 'eddy-journal', version: 2, generation: this.#generation },
      lines: {
        *[Symbol.iterator]() {
          for (let i = 0; i < bounds.length; i += 2) {
            const start = bounds[i] as number;
            // A snapshot's record texts stay bytes: most are never read again (Shard.restoreStoredRecords).
            const decoded = parseLine(bytes.subarray(start, bounds[i + 1]), !tornAllowed);
            // The checksum held, so the writer wrote it so: nothing to keep or repair, only to refuse.
            if (typeof decoded === 'string') {
              throw new JournalDamageError(path, start, lineNumberAt(bytes, start), decoded, dir);
            }
            yield decoded;
          }
        },
      },
    };
  }
}

/** The 1-based line number of the line starting at `offset`. */
const lineNumberAt = (bytes: Buffer, offset: number): number => {
  let count = 1;
  for (let at = bytes.indexOf(10); at >= 0 && at < offset; at = bytes.indexOf(10, at + 1)) count += 1;
  return count;
};

const journalHeader = (generation: number): string =>
  encodeLine(JSON.stringify({ format: 'eddy-journal', version: 2, generation } satisfies FileHeader));

const isHeader = (value: unknown): value is FileHeader =>
  typeof value === 'object' &&
  value !== null &&
  ((value as FileHeader).format === 'eddy-journal' || (value as FileHeader).format === 'eddy-snapshot') &&
  (value as FileHeader).version === 2;

/** Format 1 journals are plain NDJSON: their first byte opens a JSON object, format 2's is a hex digit. */
const isV1 = (path: string): boolean => {
  const fd = openSync(path, 'r');
  try {
    const first = Buffer.alloc(1);
    return readSync(fd, first, 0, 1, 0) === 1 && first[0] === 0x7b;
  } finally {
    closeSync(fd);
  }
};

const truncateFile = (path: string, length: number): void => {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, length);
  } finally {
    closeSync(fd);
  }
};

/** Writes `bytes` from `offset` on to a new file beside `path`, then cuts `path` there. Returns its name. */
const moveAside = (path: string, bytes: Buffer, offset: number): string => {
  let aside = `${path}.damaged`;
  for (let i = 1; existsSync(aside); i++) aside = `${path}.damaged.${i}`;
  writeFileSync(aside, bytes.subarray(offset));
  truncateFile(path, offset);
  return aside;
};

const fsyncDir = (dir: string): void => {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a directory; the rename is still atomic.
  }
};

/** The lines of a read file as effect lines, parsed as they are iterated. */
function* effectLines(
  file: ReadFile,
): Iterable<{ line: EffectLine; attachments: readonly string[]; texts?: Buffer }> {
  for (const l of file.lines) {
    yield {
      line: l.value as EffectLine,
      attachments: l.attachments,
      ...(l.texts === undefined ? {} : { texts: l.texts }),
    };
  }
}

export type { DataDirOptions, ReadFile };
export { DataDir, effectLines, JournalDamageError };
