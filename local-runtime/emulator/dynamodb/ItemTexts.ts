import type { AttributeMap } from '../../../src/records/attributeValue.js';

/** One snapshot line's items, as their JSON texts one after another, each followed by `separator` but the last. */
interface Chunk {
  readonly bytes: Buffer;
  readonly separator: number;
  readonly count: number;
  readonly sizes: readonly number[];
  /** Where each text starts, and where the last ends (as if a separator followed): found at the first read. */
  bounds: Uint32Array | undefined;
}

/** Texts per chunk a number can name: `chunk * PER_CHUNK + place` stays a small integer for a billion items. */
const PER_CHUNK = 1024;

/**
 * Items restored from a data dir snapshot, kept as the snapshot's JSON text until a request reads them. A table
 * holds each such item as one small integer (its chunk and its place) instead of its object tree: a restart
 * parses only the keys, not a million items and their attribute values (most of its time, and of the garbage
 * collector's), and an item is parsed when a read or a write reaches it (about a microsecond).
 */
class ItemTexts {
  readonly #chunks: Chunk[] = [];

  /** True until a snapshot's texts are kept: a table that never restored any reads its items as they are. */
  get empty(): boolean {
    return this.#chunks.length === 0;
  }

  /**
   * Keeps `count` texts and their `itemSize`s; returns the number that names the first (the others follow it),
   * or undefined when the chunk is too large to be named so (the caller parses its items instead).
   */
  add(bytes: Buffer, separator: number, count: number, sizes: readonly number[]): number | undefined {
    if (count > PER_CHUNK || sizes.length !== count) return undefined;
    this.#chunks.push({ bytes, separator, count, sizes, bounds: undefined });
    return (this.#chunks.length - 1) * PER_CHUNK;
  }

  /** The item `ref` names, parsed (a new object each time: stored items are never changed in place). */
  item(ref: number): AttributeMap {
    return JSON.parse(this.text(ref)) as AttributeMap;
  }

  /** The JSON text of the item `ref` names, as the snapshot held it. */
  text(ref: number): string {
    const chunk = this.#chunk(ref);
    const place = ref % PER_CHUNK;
    const bounds = boundsOf(chunk);
    return chunk.bytes.toString('utf8', bounds[place], (bounds[place + 1] as number) - 1);
  }

  /** The `itemSize` of the item `ref` names. */
  size(ref: number): number {
    return this.#chunk(ref).sizes[ref % PER_CHUNK] as number;
  }

  #chunk(ref: number): Chunk {
    const chunk = this.#chunks[Math.floor(ref / PER_CHUNK)];
    if (chunk === undefined) throw new Error(`eddy: no stored item text ${ref}`);
    return chunk;
  }
}

/** Splits a chunk's bytes at its separators, once. */
const boundsOf = (chunk: Chunk): Uint32Array => {
  if (chunk.bounds !== undefined) return chunk.bounds;
  const bounds = new Uint32Array(chunk.count + 1);
  let at = 0;
  for (let i = 0; i < chunk.count; i++) {
    bounds[i] = at;
    const end = i === chunk.count - 1 ? chunk.bytes.length : chunk.bytes.indexOf(chunk.separator, at);
    if (end < 0) throw new Error('eddy: a snapshot line has fewer item texts than keys');
    at = end + 1;
  }
  bounds[chunk.count] = chunk.bytes.length + 1;
  chunk.bounds = bounds;
  return bounds;
};

export { ItemTexts };
