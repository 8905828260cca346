import { describe, expect, it } from 'vitest';
import { Shard } from '../../../../../local-runtime/emulator/streams/Shard.js';

const START = 10n ** 20n + 1n;

/** A shard holding `count` records numbered START+1, START+3, … (gaps, as other shards take numbers too). */
const shardWith = (count: number, sizeBytes = 10) => {
  const shard = new Shard({
    id: 'shardId-00000000000000000001-00000001',
    startingSequence: START,
    createdAt: 0,
    hashRange: { low: 0, high: 2 ** 32 },
  });
  for (let i = 0; i < count; i++) {
    shard.append(JSON.stringify({ n: i }), START + 1n + 2n * BigInt(i), i, sizeBytes);
  }
  return shard;
};
const numbers = (texts: readonly string[]) => texts.map((t) => (JSON.parse(t) as { n: number }).n);

describe('Shard', () => {
  it('reads the records above a position, in order, up to the limit', () => {
    const shard = shardWith(10);
    const read = shard.read(START + 4n, 3, 1 << 20);
    // START+4 lies between record 1 (START+3) and record 2 (START+5): reading resumes at record 2.
    expect(numbers(read.texts)).toEqual([2, 3, 4]);
    expect(read.last).toBe(START + 9n);
    expect(numbers(shard.read(START - 1n, 100, 1 << 20).texts)).toHaveLength(10);
    expect(shard.read(shard.lastSequence, 100, 1 << 20)).toEqual({ texts: [], last: undefined });
  });

  it('stops before the byte limit but always returns at least one record', () => {
    const shard = shardWith(10, 400);
    expect(shard.read(START - 1n, 100, 1000).texts).toHaveLength(2);
    expect(shard.read(START - 1n, 100, 100).texts).toHaveLength(1);
  });

  it('keeps positions exact after trimming releases the front of a long shard', () => {
    const shard = shardWith(5000);
    // Records were written at instants 0…4999: everything before 3000 passes retention.
    expect(shard.trimBefore(3000)).toBe(3000);
    expect(shard.size).toBe(2000);
    expect(shard.trimHorizon).toBe(START + 1n + 2n * 3000n - 1n);
    // A position inside the trimmed part would skip records; one at the horizon would not.
    expect(shard.isTrimmedAfter(START + 2n)).toBe(true);
    expect(shard.isTrimmedAfter(shard.trimHorizon)).toBe(false);
    expect(numbers(shard.read(shard.trimHorizon, 2, 1 << 20).texts)).toEqual([3000, 3001]);
    expect(shard.lastSequence).toBe(START + 1n + 2n * 4999n);
    shard.close(5000);
    expect(shard.endingSequence).toBe(shard.lastSequence);
  });

  it('closes empty with its starting number as the ending one', () => {
    const shard = shardWith(0);
    expect(shard.lastSequence).toBe(START - 1n);
    shard.close(1);
    expect(shard.endingSequence).toBe(START);
  });
});

describe('Shard.restoreStoredRecords (record texts kept as a snapshot line’s bytes)', () => {
  const texts = ['{"n":0}', '{"n":1,"s":"é ✓ 𝄞"}', '{"n":2}', '{"n":3}'];
  const restored = () => {
    const shard = new Shard({
      id: 'shardId-00000000000000000001-00000001',
      startingSequence: START,
      createdAt: 0,
      hashRange: { low: 0, high: 2 ** 32 },
    });
    shard.restoreStoredRecords(
      Buffer.from(texts.join('\x1e')),
      0x1e,
      [1, 3, 5, 7],
      [0, 1, 2, 3],
      [10, 10, 10, 10],
    );
    return shard;
  };

  it('reads back each text as it was written, multi-byte characters included, then appended ones', () => {
    const shard = restored();
    shard.append('{"n":4}', START + 9n, 4, 10);
    expect(shard.read(START - 1n, 100, 1 << 20).texts).toEqual([...texts, '{"n":4}']);
    expect(shard.read(START + 2n, 2, 1 << 20)).toEqual({ texts: texts.slice(1, 3), last: START + 5n });
    const view = shard.columns();
    expect(view.texts(view.start, view.end)).toEqual([...texts, '{"n":4}']);
  });

  it('keeps positions and texts after trimming past the restored records', () => {
    const shard = restored();
    for (let i = 4; i < 3000; i++) shard.append(JSON.stringify({ n: i }), START + 1n + 2n * BigInt(i), i, 10);
    expect(shard.trimBefore(2000)).toBe(2000);
    expect(numbers(shard.read(START - 1n, 2, 1 << 20).texts)).toEqual([2000, 2001]);
    expect(shard.isTrimmedAfter(START)).toBe(true);
  });
});

describe('Shard.adoptOnDisk: records a compaction wrote to a records file are read from there', () => {
  /** A chunk on disk as a loader that counts its reads: the texts joined by the record separator. */
  const chunkOf = (texts: readonly string[], name: string, reads: string[]) => ({
    ref: name,
    load: () => {
      reads.push(name);
      return Buffer.from(texts.join('\x1e'));
    },
  });
  const offsetsOf = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => 1 + 2 * (from + i));

  it('reads adopted records through the chunk, and the next snapshot sees the chunk to name again', () => {
    const shard = shardWith(5);
    const texts = shard.read(START - 1n, 100, 1 << 20).texts;
    const reads: string[] = [];
    shard.adoptOnDisk(offsetsOf(0, 5), chunkOf(texts, 'A', reads));
    expect(numbers(shard.read(START - 1n, 100, 1 << 20).texts)).toEqual([0, 1, 2, 3, 4]);
    expect(reads).toEqual(['A']);
    expect(shard.columns().chunkAt(0)).toEqual({ ref: 'A', count: 5 });
  });

  it('points records already read from an older chunk at the new one (the older file may be deleted)', () => {
    const shard = shardWith(5);
    const texts = shard.read(START - 1n, 100, 1 << 20).texts;
    const reads: string[] = [];
    shard.adoptOnDisk(offsetsOf(0, 5), chunkOf(texts, 'A', reads));
    // A later snapshot wrote records 2..4 again (the chunk was cut by trimming): they now come from B.
    shard.adoptOnDisk(offsetsOf(2, 5), chunkOf(texts.slice(2), 'B', reads));
    expect(numbers(shard.read(START + 4n, 100, 1 << 20).texts)).toEqual([2, 3, 4]);
    expect(reads).toEqual(['B']);
    expect(shard.columns().chunkAt(2)).toEqual({ ref: 'B', count: 3 });
  });
});
