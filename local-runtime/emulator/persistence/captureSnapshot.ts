import type { Region } from '../Region.js';
import type { Effect, EffectLine, FileHeader } from './Effect.js';
import { encodeLine } from './journalLine.js';
import { shardMeta, streamMeta, tableMeta } from './persistedState.js';
import type { ChunkRef, ChunkWriter } from './RecordFiles.js';

/** Items per snapshot line, and records per snapshot line: large enough to keep parsing cheap. */
const ITEMS_PER_LINE = 1000;
const RECORDS_PER_LINE = 2000;

/**
 * The state of the emulator at one instant as snapshot lines (the effect vocabulary of Effect.ts), produced
 * lazily: everything is captured when this is called (settings as JSON, items as O(1) copy-on-write clones of
 * the tables' trees, shards as views of their append-only columns), so the lines can be written in chunks
 * while the emulator keeps serving and they still describe that instant.
 *
 * Stream record texts go to a records file beside the snapshot (`chunks`, see RecordFiles.ts), which the
 * snapshot's `recsAt` lines name: a chunk already on disk (restored from an earlier snapshot, whole) is named
 * again; the records written since are written as new chunks.
 */
const captureSnapshot = (
  regions: Iterable<Region>,
  now: number,
  header: Omit<FileHeader, 'format' | 'version'>,
  chunks: ChunkWriter,
): Iterable<string> => {
  const parts: (() => Iterable<string>)[] = [];
  const line = (region: Region, e: readonly Effect[], attachments?: readonly string[]) =>
    encodeLine(
      JSON.stringify({ n: now, a: region.accountId, r: region.name, e } satisfies EffectLine),
      attachments,
    );
  for (const region of regions) {
    const streams = [...region.streams.values()];
    const opened: Effect[] = [];
    const closed: Effect[] = [];
    const records: (() => Iterable<string>)[] = [];
    for (const stream of streams) {
      opened.push(['stream', streamMeta(stream)]);
      for (const shard of stream.shards) {
        opened.push(['shard', stream.arn, shardMeta(shard)]);
        if (shard.closedAt !== undefined) closed.push(['close', stream.arn, shard.id, shard.closedAt]);
        const view = shard.columns();
        records.push(function* () {
          const recsAt = (from: number, to: number, ref: ChunkRef): string =>
            line(region, [
              [
                'recsAt',
                stream.arn,
                shard.id,
                view.offsets.slice(from, to),
                view.writtenAt.slice(from, to),
                view.sizes.slice(from, to),
                ref,
              ],
            ]);
          let from = view.start;
          while (from < view.end) {
            const onDisk = view.chunkAt(from);
            if (onDisk !== undefined && from + onDisk.count <= view.end) {
              const ref = onDisk.ref as ChunkRef;
              chunks.keep(ref);
              yield recsAt(from, from + onDisk.count, ref);
              from += onDisk.count;
              continue;
            }
            // Records in memory (and the rest of a chunk trimmed at its start), up to the next chunk on disk.
            let to = from + 1;
            while (to < view.end && to - from < RECORDS_PER_LINE && view.chunkAt(to) === undefined) to += 1;
            const ref = chunks.write(view.texts(from, to));
            const offsets = view.offsets.slice(from, to);
            chunks.onCommitted(ref, (load) => shard.adoptOnDisk(offsets, { load, ref }));
            yield recsAt(from, to, ref);
            from = to;
          }
        });
      }
    }
    const streamsLine = opened.length === 0 ? undefined : line(region, opened);
    const closedLine = closed.length === 0 ? undefined : line(region, closed);
    const tables = [...region.tables.values()].map((table) => ({
      name: table.name,
      meta: line(region, [['table', tableMeta(region, table)]]),
      items: table.itemsSnapshot(ITEMS_PER_LINE),
    }));
    const deleting = [...region.deletingTables.values()]
      .filter((d) => d.goneAt > now)
      .map((d) =>
        line(region, [
          ['table', { ...tableMeta(region, d.table, d.state), latestStream: null }],
          ['drop', d.table.name, d.goneAt],
        ]),
      );
    parts.push(function* () {
      if (streamsLine !== undefined) yield streamsLine;
      for (const shardRecords of records) yield* shardRecords();
      if (closedLine !== undefined) yield closedLine;
      // Deleted tables first: a live table may have taken the name again.
      yield* deleting;
      for (const table of tables) {
        yield table.meta;
        // Each item's key and size in the line, its text as an attachment: a restart parses the keys and keeps
        // the texts until a read needs them (Table.restoreStoredItems, ItemTexts.ts).
        for (const { keys, sizes, texts } of table.items) {
          yield line(region, [['putsText', table.name, keys, sizes]], texts);
        }
      }
    });
  }
  const head = encodeLine(
    JSON.stringify({ format: 'eddy-snapshot', version: 2, ...header, at: now } satisfies FileHeader),
  );
  return (function* () {
    yield head;
    for (const part of parts) yield* part();
  })();
};

export { captureSnapshot };
