import { redrive } from '../../src/runtime/redrive.js';
import type { DashboardRegistry } from './DashboardRegistry.js';
import { findFailure, type RedriveResult } from './failuresView.js';

/**
 * Redrives one on-failure record from the dashboard: `redrive` (the same as `eddy redrive`) reads its range back
 * from the stream and sends it through the function of the mapping that wrote it, with that mapping's settings;
 * records that fail again go to the same destination. Never throws: the result says what happened.
 *
 * @example
 * const result = await redriveFailure(registry, '/app/.eddy/failures/dlq.ndjson:1');
 */
const redriveFailure = async (registry: DashboardRegistry, id: string): Promise<RedriveResult> => {
  const at = () => registry.now();
  const found = await findFailure(registry, id);
  if ('problem' in found) return { at: at(), ok: false, message: found.problem };
  const mapping = registry.mapping(found.mappingId);
  if (mapping === undefined) return { at: at(), ok: false, message: `no mapping ${found.mappingId}` };
  let done = 0;
  const stopReporting = registry.addProgress({
    name: `redrive ${id}`,
    kind: 'redrive',
    progress: () => ({ state: 'running', done, total: found.range.batchSize, unit: 'records' }),
  });
  try {
    const summary = await redrive({
      ranges: [found.range],
      client: mapping.streams,
      invoker: mapping.invoker,
      config: mapping.mapping.config,
      ...(mapping.onFailure === undefined ? {} : { onFailure: mapping.onFailure }),
      onInvocation: (report) => {
        done += report.outcome === 'success' ? report.records : 0;
      },
    });
    if (summary.lost.length > 0) {
      return {
        at: at(),
        ok: false,
        message: `not redriven: ${summary.lost.map((l) => l.reason).join('; ')}`,
      };
    }
    const failed = summary.failures > 0 || summary.discarded > 0;
    return {
      at: at(),
      ok: !failed && summary.completed,
      message:
        `${summary.records} record${summary.records === 1 ? '' : 's'} through ${mapping.functionLabel} in ` +
        `${summary.invocations} invocation${summary.invocations === 1 ? '' : 's'}` +
        (failed ? `; failed again (${summary.discarded} discarded to the destination)` : ': done'),
    };
  } catch (error) {
    return { at: at(), ok: false, message: `redrive failed: ${(error as Error).message}` };
  } finally {
    stopReporting();
  }
};

export { redriveFailure };
