import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';

/**
 * The sequence number and worker id of one line a streamWorker wrote, or undefined for anything else: a
 * worker killed in the middle of an append leaves a cut line, and only complete lines (sequence, then the worker
 * id) say a record was processed.
 */
const processedLine = (line: string): { sequence: string; worker: string } | undefined => {
  const [sequence, worker = ''] = line.split(' ');
  if (sequence === undefined || !/^\d{21,40}$/.test(sequence) || worker === '') return undefined;
  return { sequence, worker };
};

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
      const processed = processedLine(line);
      if (processed === undefined) continue;
      counts.set(processed.sequence, (counts.get(processed.sequence) ?? 0) + 1);
      byWorker.set(processed.worker, (byWorker.get(processed.worker) ?? 0) + 1);
    }
  }
  return { counts, byWorker };
};

/**
 * How many distinct sequence numbers a streamWorker's file holds, for polling: each call reads only the bytes
 * appended since the last and counts the lines they complete. `readProcessed` of a 100 000-line file takes a
 * few hundred ms of CPU, so a 100 ms poll with it would keep a core busy that the worker under test needs. A
 * line without its newline yet is left for the next call (the file holds ASCII only: digits, spaces, worker
 * ids), so the lines counted are those `readProcessed` splits, less the unfinished last one.
 */
const processedCounter = (path: string): (() => number) => {
  const sequences = new Set<string>();
  let offset = 0;
  let unfinished = '';
  return () => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return sequences.size;
    }
    try {
      const appended = Buffer.alloc(Math.max(0, fstatSync(fd).size - offset));
      const read = readSync(fd, appended, 0, appended.length, offset);
      offset += read;
      const lines = (unfinished + appended.toString('latin1', 0, read)).split('\n');
      unfinished = lines.pop() ?? '';
      for (const line of lines) {
        const processed = processedLine(line);
        if (processed !== undefined) sequences.add(processed.sequence);
      }
    } finally {
      closeSync(fd);
    }
    return sequences.size;
  };
};

export { processedCounter, readProcessed };
