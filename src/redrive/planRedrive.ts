import { compareSequenceNumbers } from '../records/sequenceNumber.js';
import type { FailedRange } from './FailedRange.js';

/** How long a DynamoDB stream keeps records (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html). */
const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * What a redrive will do with the ranges it was given: read these (in stream order), report these as lost (past
 * the stream's retention: their records are trimmed), and skip these (the same range named twice, as an SQS
 * queue may deliver a message twice).
 *
 * @example
 * const plan = planRedrive(ranges, { now: Date.now() });
 * for (const { range, reason } of plan.lost) console.error(`${range.from}: ${reason}`);
 */
interface RedrivePlan {
  readonly toRead: readonly FailedRange[];
  readonly lost: readonly { readonly range: FailedRange; readonly reason: string }[];
  readonly duplicates: readonly FailedRange[];
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Decides, without reading anything, which failed ranges can still be read: a range whose first record arrived
 * more than 24 hours before `now` has been trimmed from the stream (at least its start), so it is reported as
 * lost with when it was trimmed, never skipped silently. The rest are read in stream order: by stream, then
 * sequence number, so records of one item (which stay in one shard, parents before children) keep their order.
 *
 * @example
 * planRedrive([range], { now: Date.parse('2026-01-02T00:00:01Z') }); // lost if range.firstArrival < 2026-01-01T00:00:01Z
 */
const planRedrive = (
  ranges: readonly FailedRange[],
  options: { readonly now: number; readonly retentionMs?: number },
): RedrivePlan => {
  const retention = options.retentionMs ?? STREAM_RETENTION_MS;
  const seen = new Set<string>();
  const toRead: FailedRange[] = [];
  const lost: { range: FailedRange; reason: string }[] = [];
  const duplicates: FailedRange[] = [];
  for (const range of ranges) {
    const identity = `${range.streamArn} ${range.shardId} ${range.startSequenceNumber} ${range.endSequenceNumber}`;
    if (seen.has(identity)) {
      duplicates.push(range);
      continue;
    }
    seen.add(identity);
    const trimmedAt = range.firstArrival + retention;
    // A range that carries its records (an S3 destination's payload) does not need the stream.
    if (range.records === undefined && trimmedAt <= options.now) {
      lost.push({
        range,
        reason:
          `its first record arrived at ${iso(range.firstArrival)}, more than 24 hours ago: the stream trimmed it ` +
          `at about ${iso(trimmedAt)}, so its ${range.batchSize} record(s) can no longer be read`,
      });
    } else toRead.push(range);
  }
  toRead.sort(
    (a, b) =>
      (a.streamArn < b.streamArn ? -1 : a.streamArn > b.streamArn ? 1 : 0) ||
      compareSequenceNumbers(a.startSequenceNumber, b.startSequenceNumber),
  );
  return { toRead, lost, duplicates };
};

export type { RedrivePlan };
export { planRedrive, STREAM_RETENTION_MS };
