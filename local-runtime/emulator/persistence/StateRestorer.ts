import type { AttributeMap } from '../../../src/records/attributeValue.js';
import { TableState } from '../dynamodb/controlPlane/TableState.js';
import { keyOf } from '../dynamodb/keySchema.js';
import { Table } from '../dynamodb/Table.js';
import type { Region } from '../Region.js';
import type { SequenceNumbers } from '../streams/SequenceNumbers.js';
import { Shard } from '../streams/Shard.js';
import type { Stream } from '../streams/Stream.js';
import { restoreStreamTags } from '../tags/taggedResource.js';
import { TtlIndex } from '../ttl/TtlIndex.js';
import type { Effect, EffectLine, StreamMeta, TableMeta } from './Effect.js';
import { SEPARATOR_BYTE } from './journalLine.js';
import type { ChunkRef } from './RecordFiles.js';

/** Texts kept as a line's bytes (journalLine.ts), as strings. */
const splitTexts = (texts: Buffer): string[] =>
  texts.toString('utf8').split(String.fromCharCode(SEPARATOR_BYTE));

/** What the restorer needs of the emulator. */
interface RestoreHost {
  region(name: string, accountId: string): Region;
  readonly sequenceNumbers: SequenceNumbers;
  /** A stream built as enableStream builds one, without shards, created at `meta.createdAt`. */
  restoredStream(region: Region, meta: StreamMeta): Stream;
  /** Where a snapshot's records files are: how to read a chunk a `recsAt` effect names (RecordFiles.ts). */
  readonly recordFiles?: { restored(ref: ChunkRef): () => Buffer };
}

/** A line that cannot apply to the state built so far: the data dir does not describe one history. */
class InconsistentJournalError extends Error {}

/**
 * Applies effect lines (Effect.ts) to an emulator's state: a snapshot's, then the journal's. It never runs an
 * operation. While it works, tables have no change listener (a restored item change must not write a stream
 * record again); `finish` rebuilds the TTL indexes and routes every table's changes as a running emulator does.
 */
class StateRestorer {
  readonly #host: RestoreHost;
  readonly #regions = new Set<Region>();
  /**
   * The item writes of tables that were empty when their first restored write came: a snapshot's items (its
   * `puts` lines), then the journal's item changes, gathered and stored at once when something needs the
   * table's items (`#flush`), so the table is built as one tree (Table.restoreItems) instead of one insert per
   * write.
   */
  readonly #pending = new Map<Table, PendingItems>();

  constructor(host: RestoreHost) {
    this.#host = host;
  }

  /**
   * Applies one line. Journal lines (`timeDriven`) first bring each stream they touch up to the line's
   * instant, so the rollovers by age that happened before the request happen again; snapshot lines describe
   * every shard and need none.
   */
  apply(line: EffectLine, texts: readonly string[] | Buffer, timeDriven: boolean): void {
    const region = this.#host.region(line.r, line.a);
    this.#regions.add(region);
    let attachments = Buffer.isBuffer(texts) ? undefined : texts;
    const now = timeDriven ? line.n : undefined;
    for (const effect of line.e) {
      if (effect[0] === 'recs' && Buffer.isBuffer(texts)) {
        this.#restoreStoredRecords(region, effect, texts);
        continue;
      }
      if (effect[0] === 'putsText' && Buffer.isBuffer(texts)) {
        const [, name, keys, sizes] = effect;
        const table = this.#table(region, name);
        const base = table.addItemTexts(texts, SEPARATOR_BYTE, keys.length, sizes);
        if (base !== undefined) {
          this.#gather(
            table,
            keys,
            Array.from({ length: keys.length }, (_, i) => base + i),
            sizes,
          );
          continue;
        }
      }
      // Texts kept as bytes are needed as strings by every other effect that has any (a journal line's `rec`).
      attachments ??= splitTexts(texts as Buffer);
      this.#applyEffect(region, effect, attachments, now);
    }
  }

  #restoreStoredRecords(
    region: Region,
    effect: Extract<Effect, readonly ['recs', ...unknown[]]>,
    texts: Buffer,
  ): void {
    const [, arn, shardId, offsets, writtenAt, sizes] = effect;
    const shard = this.#shard(this.#stream(region, arn), shardId);
    if (writtenAt.length !== offsets.length || sizes.length !== offsets.length) {
      throw new InconsistentJournalError(`record columns of ${shardId} differ in length`);
    }
    shard.restoreStoredRecords(texts, SEPARATOR_BYTE, offsets, writtenAt, sizes);
    const last = offsets.at(-1);
    if (last !== undefined) this.#host.sequenceNumbers.advanceTo(shard.startingSequence + BigInt(last));
  }

  /** The pending writes of `table`, if it was empty when its first restored write came. */
  #pendingOf(table: Table): PendingItems | undefined {
    let pending = this.#pending.get(table);
    if (pending === undefined && table.itemCount === 0) {
      pending = { keys: [], values: [], sizes: [], changes: [] };
      this.#pending.set(table, pending);
    }
    return pending;
  }

  /** Items to store: by their keys, and their attributes or the numbers of their texts (`Table.addItemTexts`). */
  #gather(
    table: Table,
    keys: readonly AttributeMap[],
    values: readonly (AttributeMap | number)[],
    sizes: readonly number[] | undefined,
  ): void {
    if ((sizes !== undefined && sizes.length !== keys.length) || values.length !== keys.length) {
      throw new InconsistentJournalError(`item sizes of ${table.name} do not match its items`);
    }
    const pending = this.#pendingOf(table);
    if (pending === undefined || pending.changes.length > 0) {
      this.#flush(table);
      table.restoreStoredItems(keys, values, sizes);
      return;
    }
    for (const key of keys) pending.keys.push(key);
    for (const value of values) pending.values.push(value);
    if (sizes === undefined) pending.sizes = undefined;
    else if (pending.sizes !== undefined) for (const size of sizes) pending.sizes.push(size);
  }

  #change(table: Table, key: AttributeMap, item: AttributeMap | undefined): void {
    const pending = this.#pendingOf(table);
    if (pending === undefined) table.write(key, item);
    else pending.changes.push({ key, item });
  }

  /** Stores the pending writes of `table`, or of every table when none is named. */
  #flush(table?: Table): void {
    for (const [pendingTable, pending] of table === undefined
      ? this.#pending
      : [[table, this.#pending.get(table)] as const]) {
      if (pending === undefined) continue;
      this.#pending.delete(pendingTable);
      pendingTable.restoreStoredItems(pending.keys, pending.values, pending.sizes, pending.changes);
    }
  }

  #applyEffect(
    region: Region,
    effect: Effect,
    attachments: readonly string[],
    now: number | undefined,
  ): void {
    switch (effect[0]) {
      case 'put': {
        const item = effect[2];
        this.#change(this.#table(region, effect[1]), item, item);
        return;
      }
      case 'puts':
        this.#gather(this.#table(region, effect[1]), effect[2], effect[2], effect[3]);
        return;
      case 'putsText': {
        // Texts given as strings (not a snapshot's bytes): parsed now.
        const [, name, keys, sizes] = effect;
        const items = keys.map((_, i) => JSON.parse(this.#text(attachments, i)) as AttributeMap);
        this.#gather(this.#table(region, name), keys, items, sizes);
        return;
      }
      case 'del':
        this.#change(this.#table(region, effect[1]), effect[2], undefined);
        return;
      case 'rec': {
        const [, arn, shardId, sequence, writtenAt, sizeBytes, text] = effect;
        const stream = this.#stream(region, arn);
        if (now !== undefined) stream.maintain(now);
        const value = BigInt(sequence);
        this.#shard(stream, shardId).append(this.#text(attachments, text), value, writtenAt, sizeBytes);
        this.#host.sequenceNumbers.advanceTo(value);
        return;
      }
      case 'recs': {
        const [, arn, shardId, offsets, writtenAt, sizes] = effect;
        const shard = this.#shard(this.#stream(region, arn), shardId);
        if (attachments.length !== offsets.length || writtenAt.length !== offsets.length) {
          throw new InconsistentJournalError(`records of ${shardId} do not match their texts`);
        }
        shard.restoreRecords(attachments, offsets, writtenAt, sizes);
        const last = offsets.at(-1);
        if (last !== undefined) this.#host.sequenceNumbers.advanceTo(shard.startingSequence + BigInt(last));
        return;
      }
      case 'recsAt': {
        const [, arn, shardId, offsets, writtenAt, sizes, ref] = effect;
        const shard = this.#shard(this.#stream(region, arn), shardId);
        if (writtenAt.length !== offsets.length || sizes.length !== offsets.length) {
          throw new InconsistentJournalError(`record columns of ${shardId} differ in length`);
        }
        const files = this.#host.recordFiles;
        if (files === undefined)
          throw new InconsistentJournalError(
            `records of ${shardId} are in ${ref.file}, and there is no data dir`,
          );
        shard.restoreRecordsOnDisk(
          { load: files.restored(ref), ref, separator: SEPARATOR_BYTE },
          offsets,
          writtenAt,
          sizes,
        );
        const last = offsets.at(-1);
        if (last !== undefined) this.#host.sequenceNumbers.advanceTo(shard.startingSequence + BigInt(last));
        return;
      }
      case 'shard': {
        const stream = this.#stream(region, effect[1]);
        if (now !== undefined) stream.maintain(now);
        const meta = effect[2];
        stream.restoreShard(
          new Shard({
            id: meta.id,
            startingSequence: BigInt(meta.start),
            createdAt: meta.createdAt,
            hashRange: { low: meta.low, high: meta.high },
            ...(meta.parentId === undefined ? {} : { parentId: meta.parentId }),
          }),
        );
        return;
      }
      case 'close':
        this.#shard(this.#stream(region, effect[1]), effect[2]).close(effect[3]);
        return;
      case 'stream':
        this.#applyStream(region, effect[1]);
        return;
      case 'table':
        this.#applyTable(region, effect[1]);
        return;
      case 'drop':
        this.#drop(region, effect[1], effect[2], now);
        return;
      default:
        throw new InconsistentJournalError(`unknown effect ${JSON.stringify((effect as unknown[])[0])}`);
    }
  }

  #applyStream(region: Region, meta: StreamMeta): void {
    let stream = region.streams.get(meta.arn);
    if (stream === undefined) {
      stream = this.#host.restoredStream(region, meta);
      region.streams.set(stream.arn, stream);
    }
    if (meta.status === 'DISABLED' && stream.status === 'ENABLED') stream.disable();
    restoreStreamTags(stream, meta.tags);
  }

  #applyTable(region: Region, meta: TableMeta): void {
    const name = meta.definition.name;
    let table = region.tables.get(name);
    // An index added by UpdateTable is built from the table's items: they are stored first.
    if (table !== undefined) this.#flush(table);
    if (table === undefined || table.id !== meta.id) {
      table = new Table(
        {
          ...meta.definition,
          region: region.name,
          accountId: region.accountId,
          ...(meta.indexes.length === 0 ? {} : { indexes: meta.indexes }),
        },
        meta.id,
      );
      region.tables.set(name, table);
    } else {
      // UpdateTable's index changes: a new index is built from the items the table has.
      const wanted = new Map(meta.indexes.map((d) => [d.name, d]));
      for (const index of [...table.indexes.values()]) {
        if (!wanted.has(index.name)) table.removeGlobalIndex(index.name);
      }
      for (const definition of meta.indexes) {
        const index = table.indexes.get(definition.name);
        if (index === undefined) table.addGlobalIndex(definition);
        else if (
          index.global &&
          JSON.stringify(index.provisionedThroughput) !== JSON.stringify(definition.provisionedThroughput)
        ) {
          table.updateGlobalIndexThroughput(definition.name, definition.provisionedThroughput);
        }
      }
    }
    const previous = region.tableStates.get(table);
    const state = TableState.fromPersisted(meta.state);
    // The index itself is rebuilt from the items by `finish`.
    if (meta.ttl !== null) {
      state.ttl = previous?.ttl?.attributeName === meta.ttl ? previous.ttl : new TtlIndex(meta.ttl);
    }
    region.tableStates.set(table, state);
    const latest = meta.latestStream === null ? undefined : region.streams.get(meta.latestStream);
    if (meta.latestStream !== null && latest === undefined) {
      throw new InconsistentJournalError(`table ${name} names an unknown stream ${meta.latestStream}`);
    }
    if (latest === undefined) region.latestStreams.delete(name);
    else region.latestStreams.set(name, latest);
  }

  #drop(region: Region, name: string, goneAt: number, now: number | undefined): void {
    const table = this.#table(region, name);
    this.#flush(table);
    const state = region.tableStates.get(table);
    const latest = region.latestStreams.get(name);
    if (latest?.status === 'ENABLED') latest.disable();
    region.latestStreams.delete(name);
    region.tables.delete(name);
    region.tableStates.delete(table);
    if (state !== undefined && goneAt > (now ?? Number.NEGATIVE_INFINITY)) {
      region.deletingTables.set(name, { table, state, goneAt });
    }
  }

  /** Rebuilds TTL indexes from the restored items and routes every table's changes. */
  finish(): void {
    this.#flush();
    for (const region of this.#regions) {
      for (const table of region.tables.values()) {
        const state = region.tableStates.get(table);
        if (state?.ttl !== undefined) {
          const index = new TtlIndex(state.ttl.attributeName);
          for (const item of table.items()) index.track(keyOf(table.definition.keySchema, item), item);
          state.ttl = index;
        }
        region.routeChanges(table);
      }
    }
  }

  #table(region: Region, name: string): Table {
    const table = region.tables.get(name);
    if (table === undefined) throw new InconsistentJournalError(`unknown table ${name} in ${region.name}`);
    return table;
  }

  #stream(region: Region, arn: string): Stream {
    const stream = region.streams.get(arn);
    if (stream === undefined) throw new InconsistentJournalError(`unknown stream ${arn}`);
    return stream;
  }

  #shard(stream: Stream, id: string): Shard {
    const shard = stream.shard(id);
    if (shard === undefined) throw new InconsistentJournalError(`unknown shard ${id} of ${stream.arn}`);
    return shard;
  }

  #text(attachments: readonly string[], index: number): string {
    const text = attachments[index];
    if (text === undefined) throw new InconsistentJournalError(`missing record text ${index}`);
    return text;
  }
}

/** A table's restored writes not stored yet (see `StateRestorer.#pending`). */
interface PendingItems {
  readonly keys: AttributeMap[];
  readonly values: (AttributeMap | number)[];
  /** The snapshot items' sizes, while every `puts` line had them. */
  sizes: number[] | undefined;
  readonly changes: { readonly key: AttributeMap; readonly item: AttributeMap | undefined }[];
}

export type { RestoreHost };
export { InconsistentJournalError, StateRestorer };
