import { createHash } from 'node:crypto';
import type { StreamViewType } from '../../../src/records/streamRecord.js';
import type { Tape, TapeRecord, TapeShard } from '../../../src/tape/tapeFormat.js';
import { atomically } from '../atomic/requestScope.js';
import { keyOf } from '../dynamodb/keySchema.js';
import type { Region } from '../Region.js';
import { HASH_SPACE } from '../streams/partitionHash.js';
import type { SequenceNumbers } from '../streams/SequenceNumbers.js';
import { type HashRange, Shard } from '../streams/Shard.js';
import type { Stream } from '../streams/Stream.js';
import { TtlIndex } from '../ttl/TtlIndex.js';
import { TapeLoadError } from './TapeLoadError.js';
import { tapeItems } from './tapeItems.js';
import { type TableShape, tableProblem, tapeCreateTableInput } from './tapeTable.js';

/**
 * How to load a tape (`Emulator.loadTape`).
 *
 * @example
 * const options: TapeLoadOptions = {
 *   name: 'orders.tape.ndjson',
 *   table: { createTableInput: { TableName: 'orders', KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
 *     AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
 *     declaredIn: 'template.yaml (OrdersTable)' },
 * };
 */
interface TapeLoadOptions {
  /** How messages name the tape (its path): `tape <name>`. @default 'the tape' */
  readonly name?: string;
  /**
   * The table as something else declares it (the template): created from this CreateTable input when the
   * emulator has no such table (its indexes and TTL included), and checked against the tape either way.
   */
  readonly table?: {
    /** CreateTable's input in wire JSON; its StreamSpecification is replaced by the tape's stream. */
    readonly createTableInput: Record<string, unknown>;
    readonly timeToLive?: { readonly AttributeName: string; readonly Enabled: boolean };
    /** Who declares it, for messages: e.g. `template.yaml (OrdersTable)`. */
    readonly declaredIn: string;
  };
}

/**
 * What `Emulator.loadTape` laid down.
 *
 * @example
 * const loaded: LoadedTape = running.emulator.loadTape(tape);
 * console.log(`${loaded.records} records in ${loaded.shards} shards of ${loaded.streamArn}`);
 */
interface LoadedTape {
  readonly region: string;
  readonly tableName: string;
  /** The table's new stream, holding the tape's records (not the tape's own stream ARN). */
  readonly streamArn: string;
  /** Whether the table was created by the load (else it existed and was kept). */
  readonly tableCreated: boolean;
  /** Shards laid down: the tape's, plus one open child for each tape shard that is closed without a child. */
  readonly shards: number;
  readonly records: number;
  /** Items stored (the last NewImage of each key). */
  readonly items: number;
  /** Keys whose last record is a REMOVE: deleted from the table if it had them. */
  readonly removed: number;
  /** The oldest record's ApproximateCreationDateTime (epoch seconds), if the tape has records. */
  readonly oldestRecordAt?: number;
  /** What the load could not do as a live run would have (images a KEYS_ONLY or OLD_IMAGE tape lacks). */
  readonly warnings: readonly string[];
}

/** What the loader needs of the emulator. */
interface TapeLoadHost {
  region(name: string): Region;
  /** Runs a DynamoDB operation in a region (CreateTable, DescribeTable, UpdateTimeToLive). */
  dispatch(target: string, input: Record<string, unknown>, region: string): unknown;
  readonly sequenceNumbers: SequenceNumbers;
  /** True when every change is journaled to a data dir: a load is not, so it is refused. */
  readonly journaling: boolean;
  /** A new ENABLED stream without shards (as a data dir's restore builds one), created `createdAt`. */
  newStream(
    region: Region,
    spec: {
      tableName: string;
      keySchema: readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
      viewType: StreamViewType;
      createdAt: number;
    },
  ): Stream;
  /** Tells the wake-up listeners a shard has records. */
  notify(region: Region, stream: Stream, shard: Shard): void;
  now(): number;
}

const DYNAMODB = 'DynamoDB_20120810';

/** AWS's shard id format, `shardId-<20-digit epoch ms>-<8 hex>`, derived (not drawn) as Stream.ts does. */
const childShardId = (streamArn: string, now: number, parentId: string): string =>
  `shardId-${String(now).padStart(20, '0')}-${createHash('sha256').update(`${streamArn}|${parentId}|${now}|tape`).digest('hex').slice(0, 8)}`;

/** The tape's shards, each after its parent when the parent is on the tape. */
const parentsFirst = (shards: readonly TapeShard[]): TapeShard[] => {
  const byId = new Map(shards.map((s) => [s.shardId, s]));
  const ordered: TapeShard[] = [];
  const placed = new Set<string>();
  const place = (shard: TapeShard, path: Set<string>) => {
    if (placed.has(shard.shardId) || path.has(shard.shardId)) return;
    path.add(shard.shardId);
    const parent = shard.parentShardId === undefined ? undefined : byId.get(shard.parentShardId);
    if (parent !== undefined) place(parent, path);
    placed.add(shard.shardId);
    ordered.push(shard);
  };
  for (const shard of shards) place(shard, new Set());
  return ordered;
};

const describeTable = (host: TapeLoadHost, region: string, name: string): TableShape => {
  const { Table } = host.dispatch(`${DYNAMODB}.DescribeTable`, { TableName: name }, region) as {
    Table: TableShape & { StreamSpecification?: { StreamViewType?: string } };
  };
  return { ...Table, StreamViewType: Table.StreamSpecification?.StreamViewType };
};

const declaredShape = (input: Record<string, unknown>): TableShape => ({
  KeySchema: (input.KeySchema ?? []) as TableShape['KeySchema'],
  AttributeDefinitions: (input.AttributeDefinitions ?? []) as TableShape['AttributeDefinitions'],
  StreamViewType: (
    input.StreamSpecification as { StreamEnabled?: boolean; StreamViewType?: string } | undefined
  )?.StreamViewType,
});

/**
 * Lays a tape into the emulator (see `Emulator.loadTape` for what it does and why). Atomic: a load that fails
 * part-way leaves the emulator as it was.
 */
const loadTapeInto = (host: TapeLoadHost, tape: Tape, options: TapeLoadOptions = {}): LoadedTape => {
  const name = options.name === undefined ? 'the tape' : `tape ${options.name}`;
  const { header } = tape;
  const fail = (message: string): never => {
    throw new TapeLoadError(message);
  };
  if (host.journaling) {
    fail(
      `cannot load ${name}: the emulator keeps a data dir, and a loaded tape is not written to its journal; ` +
        'load tapes into an emulator without --data-dir (eddy dev without --state-dir)',
    );
  }
  const region = host.region(header.region);
  const tableName = header.tableName;
  return atomically(() => {
    const declared = options.table;
    if (declared !== undefined) {
      const problem = tableProblem(tape, name, declared.declaredIn, declaredShape(declared.createTableInput));
      if (problem !== undefined) fail(problem);
    }
    let tableCreated = false;
    if (region.tables.has(tableName)) {
      const problem = tableProblem(
        tape,
        name,
        `the emulator (region ${header.region})`,
        describeTable(host, header.region, tableName),
      );
      if (problem !== undefined) fail(problem);
    } else {
      const { StreamSpecification: _ignored, ...input } =
        declared?.createTableInput ?? tapeCreateTableInput(tape);
      host.dispatch(`${DYNAMODB}.CreateTable`, input, header.region);
      if (declared?.timeToLive?.Enabled === true) {
        host.dispatch(
          `${DYNAMODB}.UpdateTimeToLive`,
          { TableName: tableName, TimeToLiveSpecification: declared.timeToLive },
          header.region,
        );
      }
      tableCreated = true;
    }
    const table = region.tables.get(tableName);
    if (table === undefined) return fail(`table ${tableName} was not created in ${header.region}`);

    // A stream the table has is closed (its records stay readable there): the tape's records go to a new one,
    // so the table's latest stream holds exactly the tape, as a mapping at TRIM_HORIZON will read it.
    const now = host.now();
    const previous = region.latestStreams.get(tableName);
    if (previous?.status === 'ENABLED') previous.disable();
    const stream = host.newStream(region, {
      tableName,
      keySchema: header.keySchema,
      viewType: header.streamViewType,
      createdAt: now,
    });
    region.streams.set(stream.arn, stream);
    region.latestStreams.set(tableName, stream);

    const shards = layShards(host, stream, tape, now);

    const { items, unknown } = tapeItems(tape);
    let stored = 0;
    let removed = 0;
    // The items are the state the records imply, not new changes: they write no stream record.
    table.setChangeListener(undefined);
    for (const { key, item } of items.values()) {
      table.write(key, item);
      if (item === undefined) removed += 1;
      else stored += 1;
    }
    const state = region.tableStates.get(table);
    if (state?.ttl !== undefined) {
      const index = new TtlIndex(state.ttl.attributeName);
      for (const item of table.items()) index.track(keyOf(table.definition.keySchema, item), item);
      state.ttl = index;
    }
    region.routeChanges(table);

    const warnings: string[] = [];
    if (unknown > 0) {
      warnings.push(
        `${name} is ${header.streamViewType}: its records do not hold the items' new images, so ${unknown} ` +
          `item${unknown === 1 ? '' : 's'} whose last record is an INSERT or MODIFY ${unknown === 1 ? 'is' : 'are'} ` +
          `not in table ${tableName} (only removals can be rebuilt); the stream holds every record`,
      );
    }
    for (const shard of shards.withRecords) host.notify(region, stream, shard);
    // A loop, not Math.min(...times): a tape of a million records would overflow the call stack.
    let oldest: number | undefined;
    for (const { record } of tape.records) {
      const time = record.dynamodb.ApproximateCreationDateTime;
      if (oldest === undefined || time < oldest) oldest = time;
    }
    return {
      region: header.region,
      tableName,
      streamArn: stream.arn,
      tableCreated,
      shards: shards.count,
      records: tape.records.length,
      items: stored,
      removed,
      ...(oldest === undefined ? {} : { oldestRecordAt: oldest }),
      warnings,
    };
  });
};

/**
 * The tape's shards with their ids and lineage, parents first, each with its records renumbered from the
 * emulator's counter in tape order (a child's numbers above its parent's), written at `now` so that retention
 * counts from the load; closed shards closed, open ones open. Every hash must have an open shard for later
 * writes, so a closed shard without a child on the tape gets one new open child; the open shards share the hash
 * space evenly (a tape does not say which keys each shard took).
 */
const layShards = (
  host: TapeLoadHost,
  stream: Stream,
  tape: Tape,
  now: number,
): { count: number; withRecords: Shard[] } => {
  const ordered = parentsFirst(tape.shards);
  const parents = new Set(ordered.map((s) => s.parentShardId));
  const isClosed = (s: TapeShard) => s.sequenceNumberRange.EndingSequenceNumber !== undefined;
  const newChildren = ordered.filter((s) => isClosed(s) && !parents.has(s.shardId)).map((s) => s.shardId);
  const openIds = [
    ...ordered.filter((s) => !isClosed(s)).map((s) => s.shardId),
    ...newChildren.map((parent) => childShardId(stream.arn, now, parent)),
  ];
  // A tape without shards still leaves a stream that takes writes.
  if (openIds.length === 0) openIds.push(childShardId(stream.arn, now, ''));
  const ranges = new Map<string, HashRange>(
    openIds.map((id, i) => [
      id,
      {
        low: Math.floor((HASH_SPACE * i) / openIds.length),
        high: Math.floor((HASH_SPACE * (i + 1)) / openIds.length),
      },
    ]),
  );
  const records = new Map<string, TapeRecord[]>();
  for (const line of tape.records) {
    const list = records.get(line.shardId);
    if (list === undefined) records.set(line.shardId, [line]);
    else list.push(line);
  }
  const sequenceNumbers = host.sequenceNumbers;
  const withRecords: Shard[] = [];
  const add = (id: string, parentId: string | undefined): Shard => {
    const shard = new Shard({
      id,
      startingSequence: sequenceNumbers.peek(),
      createdAt: now,
      hashRange: ranges.get(id) ?? { low: 0, high: HASH_SPACE },
      ...(parentId === undefined ? {} : { parentId }),
    });
    stream.restoreShard(shard);
    return shard;
  };
  for (const tapeShard of ordered) {
    const shard = add(tapeShard.shardId, tapeShard.parentShardId);
    const lines = records.get(tapeShard.shardId) ?? [];
    for (const { record } of lines) {
      let sequence = sequenceNumbers.peek();
      // As Stream.prepare: a shard's first record is numbered above its StartingSequenceNumber.
      if (sequence <= shard.startingSequence) sequence += 1n;
      const text = JSON.stringify({
        ...record,
        dynamodb: { ...record.dynamodb, SequenceNumber: sequence.toString() },
      });
      shard.append(text, sequence, now, record.dynamodb.SizeBytes);
      sequenceNumbers.advanceTo(sequence);
    }
    if (lines.length > 0) withRecords.push(shard);
    if (isClosed(tapeShard)) shard.close(now);
  }
  for (const [i, parent] of newChildren.entries())
    add(openIds[openIds.length - newChildren.length + i] as string, parent);
  if (ordered.length === 0) add(openIds[0] as string, undefined);
  return { count: ordered.length + Math.max(newChildren.length, ordered.length === 0 ? 1 : 0), withRecords };
};

export type { LoadedTape, TapeLoadHost, TapeLoadOptions };
export { loadTapeInto };
