/**
 * Where a shard's reading starts: a starting position, or right after a checkpoint.
 *
 * @example
 * const from: StartAt = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '4900000000000000000001' };
 */
type StartAt =
  | { readonly type: 'TRIM_HORIZON' | 'LATEST' }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

export type { StartAt };
