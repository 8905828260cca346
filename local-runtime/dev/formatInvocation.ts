import type { InvocationReport } from '../../src/runtime/observability/InvocationReport.js';

/** One line per invocation for the `eddy dev` console: records in, failures out. */
const formatInvocation = (functionName: string, report: InvocationReport): string => {
  const shard = report.shardId.slice(-8);
  const records = `${report.records} record${report.records === 1 ? '' : 's'} in`;
  const attempt = report.attempt > 1 ? ` (attempt ${report.attempt})` : '';
  let result: string;
  if (report.outcome === 'success') result = 'ok';
  else if (report.outcome === 'partial')
    result = `${report.failures.length} failed: ${report.failures.join(', ')}`;
  else result = `function error: ${report.error ?? 'unknown'}`;
  const discarded =
    report.discarded === undefined ? '' : `; retries exhausted, ${report.discarded} discarded`;
  return `[${functionName} ${shard}] ${records} → ${result}${attempt}${discarded} (${report.durationMs} ms)`;
};

export { formatInvocation };
