import type { RecordProgress } from '../../src/tape/recordStream.js';

const bytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;

const lag = (ms: number | undefined): string =>
  ms === undefined ? 'lag -' : ms < 1000 ? `lag ${ms} ms` : `lag ${(ms / 1000).toFixed(1)} s`;

/**
 * One progress line of `eddy record`.
 *
 * @example
 * progressLine({ records: 1200, bytes: 350_000, shardsDone: 2, shardsKnown: 5, lagMs: 2100 });
 * // 'eddy record: 1200 records, 2/5 shards done, 341.8 KiB, lag 2.1 s'
 */
const progressLine = (p: RecordProgress): string =>
  `eddy record: ${p.records} records, ${p.shardsDone}/${p.shardsKnown} shards done, ${bytes(p.bytes)}, ${lag(p.lagMs)}`;

/**
 * Shows progress: on a terminal one line rewritten in place (at most every 100 ms), otherwise a plain line
 * every `intervalMs` (logs and CI keep them).
 */
class ProgressDisplay {
  readonly #out: NodeJS.WriteStream;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #last = Number.NEGATIVE_INFINITY;
  #latest: RecordProgress | undefined;
  #shown = false;

  constructor(out: NodeJS.WriteStream, intervalMs: number, now: () => number = Date.now) {
    this.#out = out;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  update(p: RecordProgress): void {
    this.#latest = p;
    const every = this.#out.isTTY ? 100 : this.#intervalMs;
    if (every <= 0 || this.#now() - this.#last < every) return;
    this.#last = this.#now();
    this.#show(p);
  }

  /** Ends the rewritten line so that later output starts on a line of its own. */
  finish(): void {
    if (this.#out.isTTY && this.#shown) this.#out.write('\n');
  }

  #show(p: RecordProgress): void {
    this.#shown = true;
    if (this.#out.isTTY) this.#out.write(`\r\x1b[2K${progressLine(p)}`);
    else this.#out.write(`${progressLine(p)}\n`);
  }

  get latest(): RecordProgress | undefined {
    return this.#latest;
  }
}

export { ProgressDisplay, progressLine };
