/**
 * A tape that cannot be loaded into the emulator as asked: its table disagrees with the table the emulator has
 * or the template declares, or the emulator keeps a data dir a loaded tape would not be written to. The
 * message names the tape, the table and what to change.
 *
 * @example
 * try {
 *   running.emulator.loadTape(tape, { name: 'orders.tape.ndjson' });
 * } catch (error) {
 *   if (error instanceof TapeLoadError) console.error(error.message);
 * }
 */
class TapeLoadError extends Error {
  override readonly name = 'TapeLoadError';
}

export { TapeLoadError };
