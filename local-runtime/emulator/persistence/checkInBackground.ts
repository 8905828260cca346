import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * A file read and its lines' checksums checked (journalLine.ts) by a worker thread while the caller already
 * parses the lines checked so far. A large snapshot costs a restart about as much to read and check (page
 * faults on fresh memory, then CRC32 over every byte) as a quarter of what parsing it costs; on a second core
 * that work overlaps the parsing instead of coming before it.
 *
 * `line(offset)` blocks until the line starting at `offset` is checked, and returns its end (the offset of its
 * newline), why it is damaged, or undefined at the end of the file. The worker stops at the first damaged line;
 * the caller sees the damage only once it reaches that line, having parsed the ones before (a start refused
 * then builds nothing that stays: the emulator is not started).
 */
interface CheckedFile {
  /** The whole file: filled as the worker reads it; only the bytes before a returned end are final. */
  readonly bytes: Buffer;
  line(offset: number): number | string | undefined;
}

/**
 * What the worker publishes in `control`: as Int32s, a counter bumped (and notified) at each step, its state
 * (0 while it runs) and the reason code of a damaged line; as Float64s from byte 16, the end of the lines
 * checked so far and the offset of the damaged line.
 */
const PROGRESS = 0;
const STATE = 1;
const REASON = 2;
const DONE = 1;
const DAMAGED = 2;
const FAILED = 3;
const REASONS = ['', 'malformed line', 'checksum mismatch', 'no newline at the end of a snapshot'];

/**
 * The worker, as plain JavaScript (evaluated, so it loads the same from the sources and from dist/). The line
 * check is journalLine.ts's `checkLine`: `<crc32 as 8 hex digits> <payload>`, the checksum over the payload.
 */
const WORKER = `
const { workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { crc32 } = require('node:zlib');
const { path, shared, control } = workerData;
const bytes = Buffer.from(shared);
const state = new Int32Array(control, 0, 4);
const checked = new Float64Array(control, 16, 2);
const HEX = /^[0-9a-f]{8}$/;
const publish = (value, reason, at) => {
  if (at !== undefined) checked[1] = at;
  Atomics.store(state, ${REASON}, reason);
  Atomics.store(state, ${STATE}, value);
  Atomics.add(state, ${PROGRESS}, 1);
  Atomics.notify(state, ${PROGRESS});
};
try {
  const fd = openSync(path, 'r');
  let read = 0;
  let start = 0;
  try {
    while (read < bytes.length) {
      const count = readSync(fd, bytes, read, Math.min(${8 * 1024 * 1024}, bytes.length - read), read);
      if (count === 0) throw new Error('the file became shorter while it was read');
      read += count;
      const view = bytes.subarray(0, read);
      for (let end = view.indexOf(10, start); end >= 0; end = view.indexOf(10, start)) {
        let reason = 0;
        if (end - start < 10 || bytes[start + 8] !== 0x20 || !HEX.test(bytes.toString('latin1', start, start + 8))) reason = 1;
        else if (crc32(bytes.subarray(start + 9, end)) !== Number.parseInt(bytes.toString('latin1', start, start + 8), 16)) reason = 2;
        if (reason !== 0) {
          publish(${DAMAGED}, reason, start);
          process.exit(0);
        }
        start = end + 1;
      }
      checked[0] = start;
      Atomics.add(state, ${PROGRESS}, 1);
      Atomics.notify(state, ${PROGRESS});
    }
  } finally {
    closeSync(fd);
  }
  if (start < bytes.length) publish(${DAMAGED}, 3, start);
  else publish(${DONE}, 0);
} catch (error) {
  publish(${FAILED}, 0);
}
`;

/** How long `line` waits without progress before it reads and checks the rest itself. */
const STALL_MS = 10_000;

/**
 * Starts reading and checking `path` on a worker thread. `checkLine` checks a line when the worker cannot (it
 * failed to start or to read): the rest of the file is then read and checked on the calling thread, so the
 * outcome never depends on the worker.
 */
const checkInBackground = (
  path: string,
  checkLine: (line: Buffer) => string | undefined,
  readWhole: () => Buffer,
): CheckedFile => {
  const size = statSync(path).size;
  const shared = new SharedArrayBuffer(size);
  const control = new SharedArrayBuffer(32);
  const state = new Int32Array(control, 0, 4);
  const checked = new Float64Array(control, 16, 2);
  let bytes: Buffer = Buffer.from(shared);
  let worker: Worker | undefined;
  try {
    worker = new Worker(WORKER, { eval: true, workerData: { path, shared, control } });
    worker.unref();
    // Its failure is published in `control`; nothing is to be reported from here.
    worker.on('error', () => {});
  } catch {
    worker = undefined;
  }
  /** Read and checked by this thread after the worker failed. */
  let alone = worker === undefined;
  const takeOver = () => {
    if (alone) return;
    alone = true;
    void worker?.terminate();
    const whole = readWhole();
    bytes = whole;
  };
  return {
    get bytes() {
      return bytes;
    },
    line(offset: number) {
      for (;;) {
        if (alone) {
          if (offset >= bytes.length) return undefined;
          const end = bytes.indexOf(10, offset);
          if (end < 0) return REASONS[3];
          return checkLine(bytes.subarray(offset, end)) ?? end;
        }
        const progress = Atomics.load(state, PROGRESS);
        const status = Atomics.load(state, STATE);
        if (offset < (checked[0] as number)) return bytes.indexOf(10, offset);
        if (status === DONE) return offset >= size ? undefined : bytes.indexOf(10, offset);
        if (status === DAMAGED) {
          // Every line before the damaged one was checked too.
          const damagedAt = checked[1] as number;
          return offset < damagedAt ? bytes.indexOf(10, offset) : REASONS[Atomics.load(state, REASON)];
        }
        if (status === FAILED) {
          takeOver();
          continue;
        }
        if (Atomics.wait(state, PROGRESS, progress, STALL_MS) === 'timed-out') takeOver();
      }
    },
  };
};

export type { CheckedFile };
export { checkInBackground };
