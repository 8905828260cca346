import type { Checkpoint } from '../../../checkpoint/CheckpointStore.js';
import type { StartAt } from '../StartAt.js';

/**
 * What discovery does with a shard: start it from a position, leave it for a later pass (its parent is still
 * being read), or count it as finished (read to its end, or skipped by LATEST).
 *
 * @example
 * const decision: StartDecision = { kind: 'start', startAt: { type: 'TRIM_HORIZON' } };
 */
type StartDecision =
  | { readonly kind: 'start'; readonly startAt: StartAt }
  | { readonly kind: 'wait' }
  | { readonly kind: 'finished' };

interface StartFacts {
  /** The shard's parent is still listed and not yet read to its end (by this worker or, with leases, another). */
  readonly parentPending: boolean;
  /** The shard's checkpoint, if any (read only when the parent is not pending). */
  readonly checkpoint: Checkpoint | undefined;
  /** The shard has an ending sequence number: nothing more will be written to it. */
  readonly closed: boolean;
  /** This is the mapping's first look at the stream (StartingPosition applies only then). */
  readonly initial: boolean;
  /** The mapping's StartingPosition (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html). */
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
}

/**
 * ④ The lineage decision for one listed shard, pure: parents before children, a checkpoint before the
 * starting position, and LATEST only for the shards open when the mapping first looks.
 *
 * @example
 * startPositionOf({ parentPending: false, checkpoint: undefined, closed: false, initial: true, startingPosition: 'LATEST' });
 * // { kind: 'start', startAt: { type: 'LATEST' } }
 */
const startPositionOf = (facts: StartFacts): StartDecision => {
  // Parents before children: a parent still listed must be read to its end first
  // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html).
  if (facts.parentPending) return { kind: 'wait' };
  const { checkpoint } = facts;
  if (checkpoint?.shardEnded === true) return { kind: 'finished' };
  if (checkpoint?.sequenceNumber !== undefined) {
    return {
      kind: 'start',
      startAt: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint.sequenceNumber },
    };
  }
  if (facts.initial && facts.startingPosition === 'LATEST') {
    // LATEST means records written from now on: history in closed shards is skipped.
    return facts.closed ? { kind: 'finished' } : { kind: 'start', startAt: { type: 'LATEST' } };
  }
  // TRIM_HORIZON, and every shard that appears while the mapping runs, are read from their start.
  return { kind: 'start', startAt: { type: 'TRIM_HORIZON' } };
};

export type { StartDecision, StartFacts };
export { startPositionOf };
