import { OPERATIONS } from '../operations.js';

/**
 * A control-surface argument out of its range. The HTTP control surface answers it with 400 and this message,
 * which names the argument and what it accepts; in process it is thrown to the caller.
 *
 * @example
 * try {
 *   running.emulator.control.advanceClock(-1);
 * } catch (error) {
 *   if (error instanceof ControlArgumentError) console.log(error.message); // ms must be a finite number from 0 to …
 * }
 */
class ControlArgumentError extends Error {
  override readonly name = 'ControlArgumentError';
}

/** The most failures one `failNext` may queue: enough for any test, few enough to end (and `clearFaults` ends them). */
const MAX_FAULT_COUNT = 1_000_000;
/** The furthest one `advanceClock` may move: a century, so the clock stays a valid `Date`. */
const MAX_ADVANCE_MS = 100 * 365 * 24 * 60 * 60 * 1000;

const shown = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
};

const fail = (message: string, value: unknown): never => {
  throw new ControlArgumentError(`${message}; got ${shown(value)}`);
};

/** `count`: an integer from 1 to {@link MAX_FAULT_COUNT} (a JSON number, not a string). */
const faultCount = (value: unknown): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_FAULT_COUNT)
    fail(`count must be an integer from 1 to ${MAX_FAULT_COUNT}`, value);
  return value as number;
};

/** `ms`: a finite number of milliseconds from 0 to {@link MAX_ADVANCE_MS}. */
const advanceMs = (value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_ADVANCE_MS)
    fail(`ms must be a finite number from 0 to ${MAX_ADVANCE_MS}`, value);
  return value as number;
};

/** `kind`: one of `kinds`. */
const oneOf = <T extends string>(name: string, value: unknown, kinds: readonly T[]): T => {
  if (typeof value !== 'string' || !(kinds as readonly string[]).includes(value))
    fail(`${name} must be one of ${kinds.join(', ')}`, value);
  return value as T;
};

/** `operation`: an operation the emulator serves, by name (`GetRecords`) or full target. */
const knownOperation = (value: unknown): string => {
  if (typeof value === 'string') {
    const dot = value.indexOf('.');
    const known =
      dot < 0
        ? Object.values(OPERATIONS).some((table) => Object.hasOwn(table, value))
        : Object.hasOwn(OPERATIONS, value.slice(0, dot)) &&
          Object.hasOwn(OPERATIONS[value.slice(0, dot)] as object, value.slice(dot + 1));
    if (known) return value;
  }
  return fail(
    'operation must be an operation the emulator serves, by name (PutItem) or target (DynamoDB_20120810.PutItem)',
    value,
  );
};

/** A non-empty string argument (`streamArn`, `shardId`). */
const text = (name: string, value: unknown): string => {
  if (typeof value !== 'string' || value === '') fail(`${name} must be a non-empty string`, value);
  return value as string;
};

export {
  advanceMs,
  ControlArgumentError,
  faultCount,
  knownOperation,
  MAX_ADVANCE_MS,
  MAX_FAULT_COUNT,
  oneOf,
  text,
};
