/**
 * Shows a command's progress: on a terminal one line rewritten in place (at most every 100 ms), otherwise a
 * plain line every `intervalMs` (logs and CI keep them; 0 shows none). The command says how a progress value
 * reads as a line.
 *
 * @example
 * const display = new ProgressDisplay(process.stderr, 5000, (p: { records: number }) => `eddy redrive: ${p.records} records`);
 * display.update({ records: 10 });
 * display.finish();
 */
class ProgressDisplay<P> {
  readonly #out: NodeJS.WriteStream;
  readonly #intervalMs: number;
  readonly #line: (progress: P) => string;
  readonly #now: () => number;
  #last = Number.NEGATIVE_INFINITY;
  #latest: P | undefined;
  #shown = false;

  constructor(
    out: NodeJS.WriteStream,
    intervalMs: number,
    line: (progress: P) => string,
    now: () => number = Date.now,
  ) {
    this.#out = out;
    this.#intervalMs = intervalMs;
    this.#line = line;
    this.#now = now;
  }

  update(progress: P): void {
    this.#latest = progress;
    const every = this.#out.isTTY ? 100 : this.#intervalMs;
    if (every <= 0 || this.#now() - this.#last < every) return;
    this.#last = this.#now();
    this.#shown = true;
    const line = this.#line(progress);
    this.#out.write(this.#out.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  /** Ends the rewritten line so that later output starts on a line of its own. */
  finish(): void {
    if (this.#out.isTTY && this.#shown) this.#out.write('\n');
    this.#shown = false;
  }

  get latest(): P | undefined {
    return this.#latest;
  }
}

export { ProgressDisplay };
