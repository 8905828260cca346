import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { SEPARATOR } from './journalLine.js';

/**
 * Where a chunk of stream record texts is on disk: a records file of the data dir, a byte range in it and the
 * CRC-32 of that range. The texts are joined by `\x1e`, as a snapshot line's attachments are (journalLine.ts).
 */
interface ChunkRef {
  readonly file: string;
  readonly at: number;
  readonly length: number;
  readonly crc: number;
}

/** Writes record chunks to one new records file while a snapshot is written (see `RecordFiles.writer`). */
interface ChunkWriter {
  /** Appends `texts` as one chunk to this snapshot's records file. */
  write(texts: readonly string[]): ChunkRef;
  /** Says that the snapshot names a chunk already on disk, so its file is kept. */
  keep(ref: ChunkRef): void;
  /**
   * Once the snapshot is in place: `adopt` receives how to read the chunk `ref` names (for the records still in
   * memory to be read from there instead, and named again by the next snapshot rather than written again).
   */
  onCommitted(ref: ChunkRef, adopt: (load: () => Buffer) => void): void;
}

/** A chunk whose bytes do not match its checksum, or cannot be read: the data dir is damaged. */
interface ChunkDamage {
  readonly ref: ChunkRef;
  readonly reason: string;
}

/** Records files kept open at most (see `RecordFiles.#closeSome`). */
const MAX_OPEN = 64;

/** A records file name: `records-<generation>.texts`. */
const RECORDS_FILE = /^records-\d+\.texts$/;

/**
 * The stream record texts of a data dir's snapshot, kept in files beside it (`records-<generation>.texts`)
 * instead of inside it. A snapshot names each chunk by file, range and checksum (`recsAt` effects):
 *
 * - a restart does not read them: a shard keeps each chunk's place and reads it from the file when a
 *   GetRecords reaches it (most records of a large stream are never read again), checked against its CRC;
 * - their checksums are checked at start, in a worker thread while the items are parsed, so a damaged chunk
 *   still refuses the start (`verify`) without the texts costing the start its time;
 * - a compaction writes only the records appended since: chunks already on disk are named again, not copied,
 *   and a file is deleted once no snapshot names it.
 */
class RecordFiles {
  readonly #dir: string;
  readonly #fds = new Map<string, number>();
  /** The files the snapshot read at start names. */
  readonly #restoredFiles = new Set<string>();
  /** Checks the restored chunks as they are named (see `verify`); started by the first one. */
  #verifier: Worker | undefined;
  #verdict: Promise<ChunkDamage | undefined> | undefined;
  /** True while the worker checks the restored chunks through this object's descriptors. */
  #checking = false;
  /** A records file the snapshot names that is not there. */
  #missing: ChunkDamage | undefined;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** A chunk the snapshot being restored names: returns how to read its bytes. */
  restored(ref: ChunkRef): () => Buffer {
    if (!this.#restoredFiles.has(ref.file)) {
      this.#restoredFiles.add(ref.file);
      // Opened now: the file stays readable by this process whatever happens to its name later.
      if (!existsSync(join(this.#dir, ref.file))) this.#missing ??= { ref, reason: 'records file missing' };
      else this.#fd(ref.file);
    }
    if (this.#missing === undefined) this.#check(ref);
    return () => this.read(ref);
  }

  /** The bytes of a chunk, checked against its checksum. */
  read(ref: ChunkRef): Buffer {
    const bytes = Buffer.allocUnsafe(ref.length);
    let read = 0;
    const fd = this.#fd(ref.file);
    while (read < ref.length) {
      const n = readSync(fd, bytes, read, ref.length - read, ref.at + read);
      if (n === 0)
        throw new Error(`eddy: ${join(this.#dir, ref.file)} ends before byte ${ref.at + ref.length}`);
      read += n;
    }
    if (crc32(bytes) !== ref.crc) {
      throw new Error(
        `eddy: ${join(this.#dir, ref.file)} is damaged at byte offset ${ref.at} (checksum mismatch)`,
      );
    }
    return bytes;
  }

  /**
   * Resolves with the first restored chunk whose bytes do not match its checksum (or cannot be read), or
   * undefined. The check runs in a worker thread from the first chunk named on, so the CRC of hundreds of MB
   * runs beside the parsing of the items instead of before it.
   */
  async verify(): Promise<ChunkDamage | undefined> {
    if (this.#missing !== undefined) {
      await this.#verifier?.terminate();
      this.#verifier = undefined;
      this.#checking = false;
      return this.#missing;
    }
    const worker = this.#verifier;
    const verdict = this.#verdict;
    if (worker === undefined || verdict === undefined) return undefined;
    this.#verifier = undefined;
    this.#verdict = undefined;
    worker.postMessage(null);
    try {
      return await verdict;
    } finally {
      await worker.terminate();
      this.#checking = false;
      this.#closeSome();
    }
  }

  #check(ref: ChunkRef): void {
    if (this.#verifier === undefined) {
      this.#checking = true;
      const worker = new Worker(VERIFIER, { eval: true });
      this.#verifier = worker;
      this.#verdict = new Promise<ChunkDamage | undefined>((resolve, reject) => {
        worker.once('message', (damage: ChunkDamage | null) => resolve(damage ?? undefined));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`eddy: the records check stopped (exit ${code})`)));
      });
      // Settled by `verify`; a start that fails before it must not leave an unhandled rejection.
      this.#verdict.catch(() => undefined);
    }
    // The file descriptor this process opened (`restored`): the worker reads the file this snapshot named, even
    // if its name is gone by now.
    this.#verifier.postMessage({ ...ref, fd: this.#fd(ref.file) });
  }

  /** A writer for the records file of the snapshot of `generation`; `finish` makes it durable. */
  writer(
    generation: number,
  ): ChunkWriter & { finish(): void; committed(): void; readonly kept: ReadonlySet<string> } {
    const file = `records-${generation}.texts`;
    const path = join(this.#dir, file);
    const kept = new Set<string>();
    let fd: number | undefined;
    let size = 0;
    const adoptions: { ref: ChunkRef; adopt: (load: () => Buffer) => void }[] = [];
    return {
      kept,
      onCommitted: (ref, adopt) => {
        adoptions.push({ ref, adopt });
      },
      committed: () => {
        if (adoptions.length === 0) return;
        // Opened now, as a restored snapshot's files are: readable by this process whatever befalls the name.
        this.#fd(file);
        for (const { ref, adopt } of adoptions.splice(0)) adopt(() => this.read(ref));
      },
      write: (texts) => {
        if (fd === undefined) {
          // A file of this generation left by a compaction that was cut off: nothing names it.
          this.#forget(file);
          fd = openSync(path, 'w');
          kept.add(file);
        }
        const bytes = Buffer.from(`${texts.join(SEPARATOR)}\n`);
        let written = 0;
        while (written < bytes.length) {
          written += writeSync(fd, bytes, written, bytes.length - written, size + written);
        }
        const ref = {
          file,
          at: size,
          length: bytes.length - 1,
          crc: crc32(bytes.subarray(0, bytes.length - 1)),
        };
        size += bytes.length;
        return ref;
      },
      keep: (ref) => {
        kept.add(ref.file);
      },
      finish: () => {
        if (fd === undefined) return;
        fsyncSync(fd);
        closeSync(fd);
        fd = undefined;
      },
    };
  }

  /** Deletes the records files no snapshot names any more (`kept` holds those the current one names). */
  deleteOthers(kept: ReadonlySet<string>): void {
    for (const file of readdirSync(this.#dir)) {
      if (RECORDS_FILE.test(file) && !kept.has(file)) {
        this.#forget(file);
        unlinkSync(join(this.#dir, file));
      }
    }
  }

  /** The files the restored snapshot names. */
  get restoredFiles(): ReadonlySet<string> {
    return this.#restoredFiles;
  }

  close(): void {
    void this.#verifier?.terminate();
    this.#verifier = undefined;
    this.#checking = false;
    for (const fd of this.#fds.values()) closeSync(fd);
    this.#fds.clear();
  }

  #fd(file: string): number {
    let fd = this.#fds.get(file);
    if (fd === undefined) {
      const path = join(this.#dir, file);
      if (!existsSync(path)) throw new Error(`eddy: ${path} is missing; the snapshot names it`);
      fd = openSync(path, 'r');
      this.#fds.set(file, fd);
      this.#closeSome();
    } else {
      // Most recently used last: the first entries are the ones closed when too many are open.
      this.#fds.delete(file);
      this.#fds.set(file, fd);
    }
    return fd;
  }

  /**
   * Keeps at most MAX_OPEN files open (a long session leaves one records file per compaction). A closed one is
   * opened again by name when read: no record names a file a compaction deletes (`Shard.adoptOnDisk`). Not
   * while the start's check runs: the worker reads through these descriptors.
   */
  #closeSome(): void {
    if (this.#checking) return;
    for (const [file, fd] of this.#fds) {
      if (this.#fds.size <= MAX_OPEN) return;
      closeSync(fd);
      this.#fds.delete(file);
    }
  }

  #forget(file: string): void {
    const fd = this.#fds.get(file);
    if (fd !== undefined) closeSync(fd);
    this.#fds.delete(file);
  }
}

/**
 * The worker that checks restored chunks: plain CommonJS, evaluated (no file to resolve, so it runs the same
 * from the TypeScript sources and from the build).
 */
const VERIFIER = `
const { parentPort } = require('node:worker_threads');
const { readSync } = require('node:fs');
const { crc32 } = require('node:zlib');
let damage = null;
let buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
const check = (ref) => {
  if (buffer.length < ref.length) buffer = Buffer.allocUnsafe(ref.length);
  let read = 0;
  while (read < ref.length) {
    const n = readSync(ref.fd, buffer, read, ref.length - read, ref.at + read);
    if (n === 0) return 'records file cut short';
    read += n;
  }
  return crc32(buffer.subarray(0, ref.length)) === ref.crc ? null : 'checksum mismatch';
};
parentPort.on('message', (ref) => {
  if (ref === null) {
    parentPort.postMessage(damage);
    return;
  }
  if (damage !== null) return;
  try {
    const reason = check(ref);
    if (reason !== null) damage = { ref: { file: ref.file, at: ref.at, length: ref.length, crc: ref.crc }, reason };
  } catch (error) {
    damage = { ref: { file: ref.file, at: ref.at, length: ref.length, crc: ref.crc }, reason: 'unreadable (' + (error.code || error.message) + ')' };
  }
});
`;

export type { ChunkDamage, ChunkRef, ChunkWriter };
export { RecordFiles };
