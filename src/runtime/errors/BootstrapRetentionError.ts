/**
 * The bootstrap stopped because the stream records it still has to process (every change since its cut) would
 * soon be trimmed: DynamoDB Streams keep records 24 hours
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html). Its message lists the options.
 *
 * @example
 * try { await bootstrap(options); } catch (error) {
 *   if (error instanceof BootstrapRetentionError) console.error(error.message, error.behindMs);
 * }
 */
class BootstrapRetentionError extends Error {
  override readonly name = 'BootstrapRetentionError';
  /** How long ago the cut was (ms): the age of the oldest change still to process. */
  readonly behindMs: number;
  /** How long before the stream may trim it (ms). */
  readonly leftMs: number;

  constructor(mappingId: string, behindMs: number, leftMs: number, scanned: number, segments: number) {
    const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;
    super(
      `bootstrap of ${mappingId}: its cut was ${hours(behindMs)} ago and the stream keeps records 24 h, so ` +
        `the changes made since would be trimmed in ${hours(Math.max(0, leftMs))}, before the snapshot ` +
        `(${scanned} items scanned so far) is done; stopped before any record was lost. Options: start over ` +
        `into an empty read model with more parallel segments (now ${segments}: --segments / segments), more ` +
        "read capacity on the table (the Scan's pace), or a faster function; or accept a shorter margin " +
        '(retentionMarginMs) if the live side can process the changes since the cut in less time.',
    );
    this.behindMs = behindMs;
    this.leftMs = leftMs;
  }
}

export { BootstrapRetentionError };
