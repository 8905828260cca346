import type { FailedRange } from '../../src/redrive/FailedRange.js';
import { failedRangesInFile } from '../../src/redrive/readFailureRecords.js';
import type { DashboardRegistry } from './DashboardRegistry.js';

/** What a redrive from the dashboard did with one on-failure record. */
interface RedriveResult {
  readonly at: number;
  readonly ok: boolean;
  readonly message: string;
}

/** One on-failure record, as the failures view lists it. */
interface FailureEntry {
  /** `file:line`: how the record is named to the API (redrive, records). */
  readonly id: string;
  readonly mappingIds: readonly string[];
  readonly range: Omit<FailedRange, 'records'>;
  readonly redriven?: RedriveResult;
}

/** The newest on-failure records shown: a file of thousands is read, but the page lists these. */
const SHOWN_FAILURES = 200;

interface FailuresView {
  readonly entries: readonly FailureEntry[];
  /** How many on-failure records the files hold, shown or not. */
  readonly total: number;
  /** A file that could not be read as failure records: its path and why. */
  readonly problems: readonly { readonly file: string; readonly message: string }[];
}

/**
 * The on-failure records of every local failures file the registered mappings write to (several mappings may
 * share a queue, hence a file), newest last. A file not written yet is no problem: nothing failed.
 *
 * @example
 * const { entries } = await failuresView(registry, redriven);
 */
const failuresView = async (
  registry: DashboardRegistry,
  redriven: ReadonlyMap<string, RedriveResult>,
): Promise<FailuresView> => {
  const files = new Map<string, string[]>();
  for (const mapping of registry.mappings) {
    if (mapping.failuresFile === undefined) continue;
    files.set(mapping.failuresFile, [...(files.get(mapping.failuresFile) ?? []), mapping.mappingId]);
  }
  const entries: FailureEntry[] = [];
  const problems: { file: string; message: string }[] = [];
  for (const [file, mappingIds] of files) {
    let ranges: FailedRange[];
    try {
      ranges = await failedRangesInFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      problems.push({ file, message: (error as Error).message });
      continue;
    }
    for (const { records: _records, ...range } of ranges) {
      const result = redriven.get(range.from);
      // Only the mappings that read the failed range's stream could have written it.
      const of = mappingIds.filter((id) => registry.mapping(id)?.streamArn === range.streamArn);
      entries.push({
        id: range.from,
        mappingIds: of.length === 0 ? mappingIds : of,
        range,
        ...(result === undefined ? {} : { redriven: result }),
      });
    }
  }
  return { entries: entries.slice(-SHOWN_FAILURES), total: entries.length, problems };
};

/**
 * The failed range named `id` (`file:line`), with the mapping whose function a redrive goes through, or why
 * there is none.
 *
 * @example
 * const found = await findFailure(registry, '/app/.eddy/failures/dlq.ndjson:3');
 */
const findFailure = async (
  registry: DashboardRegistry,
  id: string,
): Promise<{ range: FailedRange; mappingId: string } | { problem: string }> => {
  const file = id.slice(0, id.lastIndexOf(':'));
  const owners = registry.mappings.filter((m) => m.failuresFile === file);
  if (owners.length === 0) return { problem: `no mapping writes on-failure records to ${file}` };
  let ranges: FailedRange[];
  try {
    ranges = await failedRangesInFile(file);
  } catch (error) {
    return { problem: `cannot read ${file}: ${(error as Error).message}` };
  }
  const range = ranges.find((r) => r.from === id);
  if (range === undefined) return { problem: `no on-failure record ${id}` };
  const owner = owners.find((m) => m.streamArn === range.streamArn) ?? owners[0];
  return { range, mappingId: (owner as { mappingId: string }).mappingId };
};

export type { FailureEntry, FailuresView, RedriveResult };
export { failuresView, findFailure, SHOWN_FAILURES };
