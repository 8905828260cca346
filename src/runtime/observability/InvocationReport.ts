/**
 * One invocation, as `npm start` prints it and tests observe it.
 *
 * @example
 * new EventSourceMapping({
 *   ...options,
 *   onInvocation: (report) => console.log(report.shardId, report.records, report.attempt, report.outcome),
 * });
 */
interface InvocationReport {
  readonly mappingId: string;
  readonly shardId: string;
  readonly records: number;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
  /** 1 for the first invocation of a batch, 2 for its first retry, … */
  readonly attempt: number;
  /** How the function's answer was read (see `interpretResponse`). */
  readonly outcome: 'success' | 'partial' | 'failure';
  /** Reported batch item failures (sequence numbers). */
  readonly failures: readonly string[];
  readonly error?: string;
  readonly durationMs: number;
  /** Set when this failure exhausted MaximumRetryAttempts and the records were discarded. */
  readonly discarded?: number;
  /** Set when BisectBatchOnFunctionError split the failed batch: the sizes of the halves. */
  readonly bisectedInto?: readonly [number, number];
  /** Records the function found already applied (a projection's row reflected a newer record): skipped. */
  readonly superseded?: readonly string[];
  /** Set on a tumbling window's final invocation. */
  readonly finalInvokeForWindow?: boolean;
}

export type { InvocationReport };
