/**
 * What became of one record in a handler pipeline. Pipelines emit one outcome per record they processed;
 * a record that emits none (filtered out) counts as handled.
 *
 * @example
 * const pipeline: StreamPipeline = (items) =>
 *   items.pipe(map((item): RecordOutcome => ({ sequenceNumber: item.sequenceNumber, itemKey: item.itemKey, ok: true })));
 */
type RecordOutcome =
  | { readonly sequenceNumber: string; readonly itemKey: string; readonly ok: true }
  | {
      readonly sequenceNumber: string;
      readonly itemKey: string;
      readonly ok: false;
      readonly error: unknown;
    };

export type { RecordOutcome };
