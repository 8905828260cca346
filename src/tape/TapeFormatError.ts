/**
 * A tape line that is not what the format says (see `tape.schema.json`): the tape, the line number (from 1),
 * the field (a dotted path inside the line, empty for the line as a whole) and what is wrong with it.
 *
 * @example
 * try {
 *   for await (const line of readTape('orders.tape.ndjson')) handle(line);
 * } catch (error) {
 *   if (error instanceof TapeFormatError) console.error(error.lineNumber, error.field, error.problem);
 * }
 */
class TapeFormatError extends Error {
  readonly tape: string;
  readonly lineNumber: number;
  readonly field: string;
  readonly problem: string;

  constructor(tape: string, lineNumber: number, field: string, problem: string) {
    super(`${tape}: line ${lineNumber}${field === '' ? '' : `: ${field}`}: ${problem}`);
    this.name = 'TapeFormatError';
    this.tape = tape;
    this.lineNumber = lineNumber;
    this.field = field;
    this.problem = problem;
  }
}

export { TapeFormatError };
