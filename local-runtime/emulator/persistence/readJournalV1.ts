import { readFileSync } from 'node:fs';

/**
 * One line of a format 1 journal (Eddy before journal format 2): a committed request as it was run (target,
 * account, region, input), its instant and the seed of its randomness. Read only to migrate a data dir:
 * the emulator replays these through its operations once and writes the result as a format 2 snapshot.
 */
interface JournalEntryV1 {
  readonly t: string;
  readonly a: string;
  readonly r: string;
  readonly n: number;
  readonly s: string;
  readonly i: Record<string, unknown>;
}

/** How a reader reports a damaged line (it throws, or cuts the file there) and a torn last line. */
interface LineProblems {
  damaged(path: string, bytes: Buffer, offset: number, line: number, reason: string): void;
  torn(path: string, offset: number, length: number): void;
}

const isEntry = (value: unknown): value is JournalEntryV1 =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as JournalEntryV1).t === 'string' &&
  typeof (value as JournalEntryV1).r === 'string' &&
  typeof (value as JournalEntryV1).n === 'number' &&
  typeof (value as JournalEntryV1).i === 'object';

/**
 * The entries of a format 1 journal. Format 1 had no checksums, so a damaged line is one that does not parse
 * as an entry; as in format 2, only a torn last line (no newline) is dropped, any other damage is reported.
 */
const readJournalV1 = (path: string, problems: LineProblems): JournalEntryV1[] => {
  const bytes = readFileSync(path);
  const entries: JournalEntryV1[] = [];
  let offset = 0;
  for (let number = 1; offset < bytes.length; number++) {
    const end = bytes.indexOf(10, offset);
    if (end < 0) {
      problems.torn(path, offset, bytes.length - offset);
      break;
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8', offset, end));
    } catch {
      value = undefined;
    }
    if (!isEntry(value)) {
      problems.damaged(path, bytes, offset, number, 'not a format 1 journal entry');
      break;
    }
    entries.push(value);
    offset = end + 1;
  }
  return entries;
};

export type { JournalEntryV1, LineProblems };
export { readJournalV1 };
