/**
 * What became of one record in a handler pipeline. Pipelines emit one outcome per record they processed;
 * a record that emits none (filtered out) counts as handled.
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
