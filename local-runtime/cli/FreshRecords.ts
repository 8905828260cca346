import { compareSequenceNumbers } from '../../src/records/sequenceNumber.js';
import type { InvocationReport } from '../../src/runtime/observability/InvocationReport.js';

/**
 * Counts the records that reach a function for the first time, from its invocation reports: a shard's records
 * reach the function in order, so a batch past the last one seen on its shard is new; retries and bisected
 * halves resend records already counted.
 *
 * @example
 * const fresh = new FreshRecords();
 * sent += fresh.count(report); // 0 for a retry
 */
class FreshRecords {
  readonly #lastSent = new Map<string, string>();

  /** The report's records if its batch is new, else 0. */
  count(report: InvocationReport): number {
    const seen = this.#lastSent.get(report.shardId);
    if (seen !== undefined && compareSequenceNumbers(report.firstSequenceNumber, seen) <= 0) return 0;
    this.#lastSent.set(report.shardId, report.lastSequenceNumber);
    return report.records;
  }
}

export { FreshRecords };
