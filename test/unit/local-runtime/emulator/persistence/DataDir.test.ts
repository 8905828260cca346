import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDir, JournalDamageError } from '../../../../../local-runtime/emulator/persistence/DataDir.js';
import { encodeLine } from '../../../../../local-runtime/emulator/persistence/journalLine.js';

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});
const folder = () => {
  const f = mkdtempSync(join(tmpdir(), 'eddy-datadir-'));
  folders.push(f);
  return f;
};
const effect = (n: number) => encodeLine(JSON.stringify({ n, a: '000000000000', r: 'us-east-1', e: [] }));
const instants = (dir: DataDir) =>
  dir.journals.flatMap((j) => [...j.lines].map((l) => (l.value as { n: number }).n));

/** A data dir whose journal holds lines 1..count (the journal a running emulator leaves). */
const written = async (count: number): Promise<string> => {
  const path = folder();
  const dir = DataDir.open(path);
  dir.attach(() => [encodeLine(JSON.stringify({ format: 'eddy-snapshot', version: 2, generation: 1 }))]);
  for (let n = 1; n <= count; n++) dir.append(effect(n));
  // Left as after a kill -9: no close, so no compaction.
  return path;
};

describe(DataDir.name, () => {
  it('reads back every line appended since the last snapshot, in order', async () => {
    const path = await written(3);
    expect(instants(DataDir.open(path))).toEqual([1, 2, 3]);
  });

  it('refuses a damaged middle line, naming the file, byte offset and line, and changes nothing', async () => {
    const path = await written(3);
    const journal = join(path, 'journal.ndjson');
    const before = readFileSync(journal, 'utf8');
    const lines = before.split('\n');
    const offset = Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`);
    writeFileSync(journal, before.replace('"n":2', '"n":7'));
    const error = (() => {
      try {
        DataDir.open(path);
      } catch (e) {
        return e as JournalDamageError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(JournalDamageError);
    expect(error).toMatchObject({ file: journal, offset, line: 3 });
    expect(error?.message).toContain(`byte offset ${offset}`);
    expect(error?.message).toContain('--repair-journal');
    expect(readFileSync(journal, 'utf8')).toBe(before.replace('"n":2', '"n":7'));
  });

  it('drops only a torn last line (no newline), with a log line', async () => {
    const path = await written(2);
    appendFileSync(join(path, 'journal.ndjson'), effect(3).slice(0, 20));
    const logs: string[] = [];
    expect(instants(DataDir.open(path, { log: (l) => logs.push(l) }))).toEqual([1, 2]);
    expect(logs).toEqual([expect.stringContaining('dropped a torn last line')]);
    expect(readFileSync(join(path, 'journal.ndjson'), 'utf8').endsWith('\n')).toBe(true);
  });

  it('with repair, keeps every line before the damage and moves the rest to the file it names', async () => {
    const path = await written(4);
    const journal = join(path, 'journal.ndjson');
    writeFileSync(journal, readFileSync(journal, 'utf8').replace('"n":2', '"n":9'));
    const logs: string[] = [];
    expect(instants(DataDir.open(path, { repair: true, log: (l) => logs.push(l) }))).toEqual([1]);
    expect(logs).toEqual([expect.stringContaining(`moved the other`)]);
    const aside = readdirSync(path).find((f) => f.includes('damaged')) as string;
    expect(logs[0]).toContain(aside);
    expect(readFileSync(join(path, aside), 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    expect(instants(DataDir.open(path))).toEqual([1]);
  });

  it('recognises a format 1 journal (plain NDJSON of requests) and refuses its damaged middle line', () => {
    const path = folder();
    const entry = (n: number) =>
      `${JSON.stringify({ t: 'DynamoDB_20120810.PutItem', a: '000000000000', r: 'us-east-1', n, s: 'ab', i: {} })}\n`;
    writeFileSync(join(path, 'journal.ndjson'), `${entry(1)}${entry(2)}`);
    expect(DataDir.open(path).v1?.entries.map((e) => e.n)).toEqual([1, 2]);
    writeFileSync(join(path, 'journal.ndjson'), `${entry(1)}{"t":\n${entry(3)}`);
    expect(() => DataDir.open(path)).toThrow(JournalDamageError);
    expect(existsSync(join(path, 'snapshot.ndjson'))).toBe(false);
  });
});

describe('a damaged snapshot', () => {
  const header = encodeLine(JSON.stringify({ format: 'eddy-snapshot', version: 2, generation: 1 }));
  /** A data dir with only a snapshot: its header and lines 1..count, every third with record texts. */
  const snapshotDir = (count: number): { path: string; file: string; text: string } => {
    const path = folder();
    let text = header;
    for (let n = 1; n <= count; n++) {
      const json = JSON.stringify({ n, a: '000000000000', r: 'us-east-1', e: [] });
      text += n % 3 === 0 ? encodeLine(json, [`{"record":${n}}`, `{"other":${n}}`]) : encodeLine(json);
    }
    const file = join(path, 'snapshot.ndjson');
    writeFileSync(file, text);
    return { path, file, text };
  };
  const read = (dir: DataDir) =>
    [...(dir.snapshot?.lines ?? [])].map((l) => [
      (l.value as { n: number }).n,
      l.texts?.toString('latin1') ?? l.attachments.join('|'),
    ]);
  /** `text` with `from` replaced by `to`, and where the line holding it starts. */
  const damage = (text: string, from: string, to: string) => {
    const at = text.indexOf(from);
    const lineStart = text.lastIndexOf('\n', at) + 1;
    return {
      text: text.replace(from, to),
      offset: lineStart,
      line: text.slice(0, lineStart).split('\n').length,
    };
  };

  it('reads back every line, record texts as the bytes they were written as', () => {
    const { path } = snapshotDir(300);
    const lines = read(DataDir.open(path));
    expect(lines).toHaveLength(300);
    expect(lines[2]).toEqual([3, '{"record":3}\x1e{"other":3}']);
  });

  it('refuses a damaged middle line, naming the file, byte offset and line, and changes nothing', () => {
    const { path, file, text } = snapshotDir(500);
    const damaged = damage(text, '"n":321', '"n":322');
    writeFileSync(file, damaged.text);
    const error = (() => {
      try {
        DataDir.open(path);
      } catch (e) {
        return e as JournalDamageError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(JournalDamageError);
    expect(error).toMatchObject({ file, offset: damaged.offset, line: damaged.line });
    expect(error?.message).toContain('--repair-journal');
    expect(readFileSync(file, 'utf8')).toBe(damaged.text);
  });

  it('refuses a snapshot whose last line has no newline (a snapshot is renamed into place only when whole)', () => {
    const { path, file, text } = snapshotDir(10);
    writeFileSync(file, text.slice(0, -1));
    expect(() => DataDir.open(path)).toThrow(/no newline at the end of a snapshot/);
  });

  it('with repair, keeps every line before the damage and moves the rest aside', () => {
    const { path, file, text } = snapshotDir(50);
    const damaged = damage(text, '"n":40', '"n":41');
    writeFileSync(file, damaged.text);
    const logs: string[] = [];
    const dir = DataDir.open(path, { repair: true, log: (l) => logs.push(l) });
    expect(read(dir).map(([n]) => n)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
    expect(logs).toEqual([expect.stringContaining('moved the other')]);
    expect(readFileSync(file, 'utf8')).toBe(damaged.text.slice(0, damaged.offset));
    const aside = readdirSync(path).find((f) => f.includes('damaged')) as string;
    expect(readFileSync(join(path, aside), 'utf8')).toBe(damaged.text.slice(damaged.offset));
  });
});
