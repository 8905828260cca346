import type { JobProgress, ProgressSource } from './ProgressSource.js';

/**
 * A job's progress as the process that runs it reports it to an emulator's dashboard (`POST /_eddy/api/progress`):
 * `eddy bootstrap`, `eddy replay` and `eddy redrive` send one when their endpoint is an Eddy emulator, about once a
 * second and once more when they end. `id` names the job across its reports (a random id per run).
 *
 * @example
 * const report: JobReport = {
 *   id: '5b1c…', name: 'bootstrap OrdersProjectionFunction (orders)', kind: 'bootstrap',
 *   state: 'running', done: 2, total: 4, unit: 'segments', figures: { 'items scanned': 1200 },
 * };
 */
interface JobReport extends JobProgress {
  readonly id: string;
  readonly name: string;
  readonly kind: ProgressSource['kind'];
}

const KINDS: readonly string[] = ['bootstrap', 'replay', 'redrive'];
const STATES: readonly string[] = ['running', 'done', 'failed'];
/** Bounds on what one report may hold: a report is shown as it is, and kept until newer jobs push it out. */
const MAX_TEXT = { id: 100, name: 200, unit: 40, detail: 1000, figure: 60 } as const;
const MAX_FIGURES = 20;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Reads a report's JSON body: the report, or what is wrong with it in the API's terms (the field and what it
 * takes), for a 400 answer.
 *
 * @example
 * parseJobReport({ id: 'a', name: 'replay', kind: 'replay', state: 'running', done: 10, unit: 'records' }); // a JobReport
 * parseJobReport({ id: 'a' }); // { problem: 'progress: name must be a string of 1 to 200 characters' }
 */
const parseJobReport = (body: unknown): JobReport | { readonly problem: string } => {
  const fail = (problem: string) => ({ problem: `progress: ${problem}` });
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return fail(
      'the body must be a JSON object (id, name, kind, state, done, unit, total?, detail?, figures?)',
    );
  const input = body as Record<string, unknown>;
  for (const field of ['id', 'name', 'unit'] as const) {
    const value = input[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT[field])
      return fail(`${field} must be a string of 1 to ${MAX_TEXT[field]} characters`);
  }
  if (typeof input.kind !== 'string' || !KINDS.includes(input.kind))
    return fail(`kind must be one of ${KINDS.join(', ')}`);
  if (typeof input.state !== 'string' || !STATES.includes(input.state))
    return fail(`state must be one of ${STATES.join(', ')}`);
  if (!isCount(input.done)) return fail('done must be a number from 0');
  if (input.total !== undefined && !isCount(input.total)) return fail('total must be a number from 0');
  if (
    input.detail !== undefined &&
    (typeof input.detail !== 'string' || input.detail.length > MAX_TEXT.detail)
  )
    return fail(`detail must be a string of up to ${MAX_TEXT.detail} characters`);
  let figures: Record<string, number> | undefined;
  if (input.figures !== undefined) {
    const given = input.figures;
    if (given === null || typeof given !== 'object' || Array.isArray(given))
      return fail('figures must be an object of counts by name');
    const entries = Object.entries(given as Record<string, unknown>);
    if (entries.length > MAX_FIGURES) return fail(`figures holds at most ${MAX_FIGURES} counts`);
    figures = {};
    for (const [name, value] of entries) {
      if (name.length === 0 || name.length > MAX_TEXT.figure)
        return fail(`a figure's name must have 1 to ${MAX_TEXT.figure} characters`);
      if (!isCount(value)) return fail(`figures.${name} must be a number from 0`);
      figures[name] = value;
    }
  }
  return {
    id: input.id as string,
    name: input.name as string,
    kind: input.kind as JobReport['kind'],
    state: input.state as JobReport['state'],
    done: input.done,
    unit: input.unit as string,
    ...(input.total === undefined ? {} : { total: input.total as number }),
    ...(input.detail === undefined ? {} : { detail: input.detail as string }),
    ...(figures === undefined ? {} : { figures }),
  };
};

export type { JobReport };
export { parseJobReport };
