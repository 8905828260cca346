import { readFileSync } from 'node:fs';

/** The sequence numbers a streamWorker wrote, with how often each was processed and by which worker. */
const readProcessed = (
  paths: readonly string[],
): { counts: Map<string, number>; byWorker: Map<string, number> } => {
  const counts = new Map<string, number>();
  const byWorker = new Map<string, number>();
  for (const path of paths) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const [sequence, worker = ''] = line.split(' ');
      // A worker killed in the middle of an append leaves a cut line: only complete lines (sequence, then the
      // worker id) say a record was processed.
      if (sequence === undefined || !/^\d{21,40}$/.test(sequence) || worker === '') continue;
      counts.set(sequence, (counts.get(sequence) ?? 0) + 1);
      byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
    }
  }
  return { counts, byWorker };
};

export { readProcessed };
