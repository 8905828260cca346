/**
 * The lines Lambda's runtime writes around each invocation, in its format
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html):
 *
 * ```
 * START RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac Version: $LATEST
 * …the function's own output…
 * END RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac
 * REPORT RequestId: c793869b-…	Duration: 170.19 ms	Billed Duration: 171 ms	Memory Size: 128 MB	Max Memory Used: 73 MB	Init Duration: 261.89 ms
 * ```
 */
interface InvocationTiming {
  readonly requestId: string;
  /** The handler's run, in ms. */
  readonly durationMs: number;
  /** The function's MemorySize. */
  readonly memorySizeMB: number;
  readonly maxMemoryUsedMB: number;
  /** Only on the first invocation of an execution environment (a cold start). */
  readonly initDurationMs?: number;
  /** `timeout` when the invocation ran past the function's Timeout. */
  readonly status?: 'timeout';
}

const startLine = (requestId: string): string => `START RequestId: ${requestId} Version: $LATEST`;

const endLine = (requestId: string): string => `END RequestId: ${requestId}`;

/**
 * Lambda bills in 1 ms increments, the INIT phase of a cold start included
 * (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/).
 *
 * @example
 * reportLine({ requestId: 'r-1', durationMs: 2.345, memorySizeMB: 128, maxMemoryUsedMB: 60 });
 * // 'REPORT RequestId: r-1\tDuration: 2.35 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB'
 */
const reportLine = (timing: InvocationTiming): string => {
  const billed = Math.max(1, Math.ceil(timing.durationMs + (timing.initDurationMs ?? 0)));
  return [
    `REPORT RequestId: ${timing.requestId}`,
    `Duration: ${timing.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billed} ms`,
    `Memory Size: ${timing.memorySizeMB} MB`,
    `Max Memory Used: ${timing.maxMemoryUsedMB} MB`,
    ...(timing.initDurationMs === undefined ? [] : [`Init Duration: ${timing.initDurationMs.toFixed(2)} ms`]),
    ...(timing.status === undefined ? [] : [`Status: ${timing.status}`]),
  ].join('\t');
};

export type { InvocationTiming };
export { endLine, reportLine, startLine };
