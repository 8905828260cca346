import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileJournal,
  type JournalEntry,
} from '../../../../../local-runtime/emulator/persistence/FileJournal.js';
import { seededRandom } from '../../../../../local-runtime/emulator/persistence/RandomSource.js';

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});
const folder = () => {
  const f = mkdtempSync(join(tmpdir(), 'eddy-journal-'));
  folders.push(f);
  return f;
};
const entry = (n: number): JournalEntry => ({
  t: 'DynamoDB_20120810.PutItem',
  a: '000000000000',
  r: 'us-east-1',
  n,
  s: 'ab',
  i: { n },
});

describe(FileJournal.name, () => {
  it('reads back what it appended, in order', () => {
    const dir = folder();
    const journal = FileJournal.open(dir);
    journal.append(entry(1));
    journal.append(entry(2));
    journal.close();
    expect(FileJournal.open(dir).entries()).toEqual([entry(1), entry(2)]);
  });

  it('drops a torn last line, left by a crash during its write, and appends cleanly after it', () => {
    const dir = folder();
    const journal = FileJournal.open(dir);
    journal.append(entry(1));
    journal.close();
    appendFileSync(join(dir, 'journal.ndjson'), '{"t":"DynamoDB_20120810.PutItem","a":"0000');
    const reopened = FileJournal.open(dir);
    expect(reopened.entries()).toEqual([entry(1)]);
    reopened.append(entry(2));
    reopened.close();
    expect(readFileSync(join(dir, 'journal.ndjson'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(FileJournal.open(dir).entries()).toEqual([entry(1), entry(2)]);
  });

  it('starts empty in a new folder', () => {
    expect(FileJournal.open(join(folder(), 'nested')).entries()).toEqual([]);
  });
});

describe(seededRandom.name, () => {
  it('repeats its bytes for the same seed and differs for another', () => {
    const a = seededRandom('seed-1');
    const b = seededRandom('seed-1');
    const c = seededRandom('seed-2');
    const first = [a(16), a(40)];
    expect([b(16), b(40)]).toEqual(first);
    expect(c(16)).not.toEqual(first[0]);
    expect(first[1]).toHaveLength(40);
  });
});
