import type { AttributeMap } from '../../../src/records/attributeValue.js';
import { itemSize } from '../../../src/records/itemSize.js';
import type { Region } from '../Region.js';
import type { Effect, EffectLine, FileHeader } from './Effect.js';
import { encodeLine } from './journalLine.js';
import { shardMeta, streamMeta, tableMeta } from './persistedState.js';

/** Items per snapshot line, and records per snapshot line: large enough to keep parsing cheap. */
const ITEMS_PER_LINE = 1000;
const RECORDS_PER_LINE = 2000;

/**
 * The state of the emulator at one instant as snapshot lines (the effect vocabulary of Effect.ts), produced
 * lazily: everything is captured when this is called (settings as JSON, items as O(1) copy-on-write clones of
 * the tables' trees, shards as views of their append-only columns), so the lines can be written in chunks
 * while the emulator keeps serving and they still describe that instant.
 */
const captureSnapshot = (
  regions: Iterable<Region>,
  now: number,
  header: Omit<FileHeader, 'format' | 'version'>,
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
          for (let from = view.start; from < view.end; from += RECORDS_PER_LINE) {
            const to = Math.min(view.end, from + RECORDS_PER_LINE);
            const effect: Effect = [
              'recs',
              stream.arn,
              shard.id,
              view.offsets.slice(from, to),
              view.writtenAt.slice(from, to),
              view.sizes.slice(from, to),
            ];
            yield line(region, [effect], view.texts(from, to));
          }
        });
      }
    }
    const streamsLine = opened.length === 0 ? undefined : line(region, opened);
    const closedLine = closed.length === 0 ? undefined : line(region, closed);
    const tables = [...region.tables.values()].map((table) => ({
      name: table.name,
      meta: line(region, [['table', tableMeta(region, table)]]),
      items: table.itemsSnapshot(),
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
        // With each item its size, so a restart does not measure every item again (Table.restoreItems).
        let chunk: AttributeMap[] = [];
        let sizes: number[] = [];
        for (const item of table.items) {
          chunk.push(item);
          sizes.push(itemSize(item));
          if (chunk.length === ITEMS_PER_LINE) {
            yield line(region, [['puts', table.name, chunk, sizes]]);
            chunk = [];
            sizes = [];
          }
        }
        if (chunk.length > 0) yield line(region, [['puts', table.name, chunk, sizes]]);
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
