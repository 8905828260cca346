/**
 * What became of one record in a handler pipeline. Pipelines emit one outcome per record they processed;
 * a record that emits none (filtered out) counts as handled.
 *
 * @example
 * const pipeline: StreamPipeline = (items) =>
 *   items.pipe(map((item): RecordOutcome => ({ sequenceNumber: item.sequenceNumber, itemKey: item.itemKey, ok: true })));
 */
type RecordOutcome =
  | {
      readonly sequenceNumber: string;
      readonly itemKey: string;
      readonly ok: true;
      /** The record's effect was already in place (a newer record reached the view first): nothing changed. */
      readonly superseded?: true;
    }
  | {
      readonly sequenceNumber: string;
      readonly itemKey: string;
      readonly ok: false;
      readonly error: unknown;
    };

/**
 * What an effect returns (as its last value) when it found its work already done: a projection whose row
 * already reflects a newer record. `processEach` turns it into an ok outcome marked `superseded`, which a
 * redrive or a replay counts as skipped rather than applied.
 *
 * @example
 * processEach(async (item) => ((await putIfNewer(item)) ? undefined : SUPERSEDED));
 */
const SUPERSEDED: unique symbol = Symbol.for('eddy.superseded');

export type { RecordOutcome };
export { SUPERSEDED };
