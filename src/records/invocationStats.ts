import type { DynamoDBStreamEvent } from 'aws-lambda';

/**
 * What a handler tells the runtime about an invocation beyond its Lambda response: the records its pipeline
 * found already applied (a projection's row reflects a newer record, so the write was refused and nothing
 * changed). Lambda's response has no place for this (it is `{ batchItemFailures }`), and a deployed handler
 * must answer exactly that, so the facts travel beside the response, on the event object.
 *
 * @example
 * const stats: InvocationStats = { superseded: ['000000000000000000001'] };
 */
interface InvocationStats {
  /** Sequence numbers of the records whose effect was already in place. */
  readonly superseded: readonly string[];
}

// A registered symbol, not a module's own: the handler runs from its own bundle (a copy of this module) in the
// function's worker, and the runtime reads what that copy wrote. Not enumerable, so JSON never carries it and
// Lambda sees nothing of it.
const STATS = Symbol.for('eddy.invocationStats');

/**
 * Records `stats` on the event a handler was invoked with, for the runtime that invoked it.
 *
 * @example
 * setInvocationStats(event, { superseded: ['000000000000000000001'] });
 */
const setInvocationStats = (event: DynamoDBStreamEvent, stats: InvocationStats): void => {
  Object.defineProperty(event, STATS, { value: stats, enumerable: false, configurable: true });
};

/**
 * What a handler recorded on the event it was invoked with, if anything.
 *
 * @example
 * const superseded = invocationStatsOf(event)?.superseded.length ?? 0;
 */
const invocationStatsOf = (event: DynamoDBStreamEvent): InvocationStats | undefined => {
  const stats = (event as unknown as Record<symbol, unknown>)[STATS] as InvocationStats | undefined;
  return Array.isArray(stats?.superseded) ? stats : undefined;
};

export type { InvocationStats };
export { invocationStatsOf, setInvocationStats };
