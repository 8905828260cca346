import type { Tape } from '../../src/tape/tapeFormat.js';
import type { Clock } from '../../src/time/clock.js';
import { systemClock } from '../../src/time/clock.js';
import { atomically } from './atomic/requestScope.js';
import { controlOperationFor } from './control/controlOperations.js';
import { EmulatorControl } from './control/EmulatorControl.js';
import { type AwsServiceError, unknownOperationException } from './errors.js';
import { outputText, outputValue } from './JsonText.js';
import type { Operation, OperationContext } from './operation.js';
import { operationFor } from './operations.js';
import { captureSnapshot } from './persistence/captureSnapshot.js';
import type { Effect, EffectLine, StreamMeta } from './persistence/Effect.js';
import type { EffectSink } from './persistence/EffectSink.js';
import { encodeLine } from './persistence/journalLine.js';
import { shardMeta } from './persistence/persistedState.js';
import { cryptoRandom, type RandomSource, randomHex, seededRandom } from './persistence/RandomSource.js';
import type { ChunkRef, ChunkWriter } from './persistence/RecordFiles.js';
import type { JournalEntryV1 } from './persistence/readJournalV1.js';
import { SettingsTracker } from './persistence/SettingsTracker.js';
import { StateRestorer } from './persistence/StateRestorer.js';
import { Region } from './Region.js';
import { disableStream, enableStream } from './streams/enableStream.js';
import { newIteratorKey } from './streams/iteratorKey.js';
import { SequenceNumbers } from './streams/SequenceNumbers.js';
import { Stream } from './streams/Stream.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from './streams/streamSettings.js';
import { type LoadedTape, loadTapeInto, type TapeLoadOptions } from './tape/loadTapeInto.js';
import { sweepTtlOperation } from './ttl/sweepTtlOperation.js';
import { TtlScheduler } from './ttl/TtlScheduler.js';
import { checkWireTypes } from './wire/checkWireTypes.js';

/** The reads `Emulator.inspect` runs: none of them changes state. */
const INSPECT_TARGETS: ReadonlySet<string> = new Set([
  'DynamoDB_20120810.ListTables',
  'DynamoDB_20120810.DescribeTable',
  'DynamoDB_20120810.Scan',
  'DynamoDB_20120810.Query',
  'DynamoDBStreams_20120810.DescribeStream',
]);

/**
 * Told when a shard receives a record: the wake-up hint that lets local consumers skip timed polling.
 *
 * @example
 * const unsubscribe = running.emulator.onRecords(({ streamArn, shardId }) => console.log(streamArn, shardId));
 */
type RecordListener = (event: {
  region: string;
  accountId: string;
  streamArn: string;
  shardId: string;
}) => void;

/**
 * The emulator's behaviour: its clock, default account, stream shape and table timings (all `startEmulator` options).
 *
 * @example
 * const running = await startEmulator({ port: 0, clock: new ManualClock(0), streams: { shardCount: 4 } });
 */
interface EmulatorOptions {
  readonly clock?: Clock;
  /** The default account: requests whose access key names none act in it (ARNs). @default '000000000000' */
  readonly accountId?: string;
  /** Shards per stream, rollover and retention; AWS's behaviour by default. */
  readonly streams?: Partial<StreamSettings>;
  /**
   * How long tables stay CREATING, UPDATING and DELETING (AWS: seconds to minutes). At 0 a table is ACTIVE
   * at once, though the responses still say CREATING / UPDATING / DELETING as AWS's do. @default 0
   */
  readonly tableStatusDelayMs?: number;
  /**
   * How often expired TTL items are deleted, in the emulator clock's time. AWS takes up to 48 hours; locally
   * a second keeps development quick. @default 1000
   */
  readonly ttlSweepIntervalMs?: number;
  /**
   * The key shard iterators are signed with (32 bytes). `startEmulator` keeps it in the data dir, so iterators
   * outlive a restart. @default a random key per emulator
   */
  readonly iteratorKey?: Buffer;
}

/**
 * The emulator's state and its dispatch, without any HTTP: DynamoDB and DynamoDB Streams for any number of
 * regions. `startEmulator` puts a server in front of it; tests may call `dispatch` directly.
 *
 * @example
 * const { emulator } = await startEmulator({ port: 0 });
 * emulator.control.expireIterators();
 * emulator.sweepTtl();
 */
class Emulator {
  readonly clock: Clock;
  readonly accountId: string;
  /** By `account/region`: data is separate per account and per region, as on AWS. */
  readonly #regions = new Map<string, Region>();
  /** The region the last request acted in: most requests act in the same one. */
  #lastRegion: Region | undefined;
  readonly #sequenceNumbers = new SequenceNumbers();
  readonly #listeners = new Set<RecordListener>();
  readonly streamSettings: StreamSettings;
  readonly tableStatusDelayMs: number;
  readonly #ttl: TtlScheduler;
  readonly #iteratorKey: Buffer;
  /** The test control surface: clock, shards, iterators, faults. */
  readonly control = new EmulatorControl(this);
  /**
   * The request being run: its instant and its randomness. A request happens at one instant (every record it
   * writes has the same time); its randomness is seeded only when a format 1 journal (requests) is replayed.
   */
  #current: { readonly now: number; readonly random: RandomSource } | undefined;
  /** Where each committed request's effect line goes (the data dir), when there is one. */
  #journal: { append(line: string): void } | undefined;
  /** The running request's effects and the record texts they attach (see persistence/Effect.ts). */
  #effects: Effect[] | undefined;
  #attachments: string[] = [];
  /** Whether the running request may have changed a table's or stream's settings (EffectSink.settingsTouched). */
  #settingsTouched = false;
  readonly #settings = new SettingsTracker();
  /** What the state layers report changes to: the running request's effects, while a journal is attached. */
  readonly #sink: EffectSink = {
    journaling: false,
    item: (table, change) => {
      const effects = this.#effects;
      if (effects === undefined) return;
      if (change.newImage === undefined) effects.push(['del', table.name, change.keys]);
      else effects.push(['put', table.name, change.newImage]);
    },
    record: (stream, shard, text, sequence, writtenAt, sizeBytes) => {
      const effects = this.#effects;
      if (effects === undefined) return;
      const index = this.#attachments.push(text) - 1;
      effects.push(['rec', stream.arn, shard.id, sequence.toString(), writtenAt, sizeBytes, index]);
    },
    shardOpened: (stream, shard) => {
      this.#effects?.push(['shard', stream.arn, shardMeta(shard)]);
    },
    shardClosed: (stream, shard) => {
      this.#effects?.push(['close', stream.arn, shard.id, shard.closedAt as number]);
    },
    settingsTouched: () => {
      if (this.#effects !== undefined) this.#settingsTouched = true;
    },
  };
  /** The clock operations and streams see: the current request's instant, the real clock between requests. */
  readonly requestClock: Clock = {
    now: () => this.#current?.now ?? this.clock.now(),
    sleep: (ms, signal) => this.clock.sleep(ms, signal),
  };
  readonly #random: RandomSource = Object.assign(
    (bytes: number) => (this.#current?.random ?? cryptoRandom)(bytes),
    { hex: (bytes: number) => randomHex(this.#current?.random ?? cryptoRandom, bytes) },
  );

  constructor(options: EmulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.accountId = options.accountId ?? '000000000000';
    this.streamSettings = { ...DEFAULT_STREAM_SETTINGS, ...options.streams };
    this.tableStatusDelayMs = options.tableStatusDelayMs ?? 0;
    this.#iteratorKey = options.iteratorKey ?? newIteratorKey();
    this.#ttl = new TtlScheduler({
      clock: this.clock,
      intervalMs: options.ttlSweepIntervalMs ?? 1000,
      sweep: () => this.sweepTtl(),
      active: () => [...this.#regions.values()].some((r) => [...r.tableStates.values()].some((t) => t.ttl)),
    });
  }

  region(name: string, accountId = this.accountId): Region {
    const last = this.#lastRegion;
    if (last !== undefined && last.name === name && last.accountId === accountId) return last;
    const key = `${accountId}/${name}`;
    let region = this.#regions.get(key);
    if (region === undefined) {
      region = new Region(name, accountId, this.#sink);
      this.#regions.set(key, region);
    }
    this.#lastRegion = region;
    return region;
  }

  /** Every account's regions that requests have reached, in the order they were first reached. */
  regions(): readonly Region[] {
    return [...this.#regions.values()];
  }

  /**
   * Runs a read-only operation (one of `INSPECT_TARGETS`) for the dashboard: like `dispatch`, but it takes no
   * injected fault (a fault a test queued for its own Scan must not be spent on a page's refresh).
   *
   * @throws Error - for a target that is not a read the dashboard may run
   */
  inspect(
    target: string,
    input: Record<string, unknown>,
    regionName: string,
    accountId = this.accountId,
  ): unknown {
    if (!INSPECT_TARGETS.has(target))
      throw new Error(`eddy emulator: ${target} is not a read the dashboard runs`);
    // Through the one request path, so that what a read brings up to date (a shard rolled over on its age, a
    // table become ACTIVE) is journaled as for any client's request.
    return this.#dispatch(target, input, regionName, accountId, outputValue, false);
  }

  /** Runs one operation for an account's region. Throws AwsServiceError for anything the client did wrong. */
  dispatch(
    target: string,
    input: Record<string, unknown>,
    regionName: string,
    accountId = this.accountId,
  ): unknown {
    return this.#dispatch(target, input, regionName, accountId, outputValue);
  }

  /** As {@link dispatch}, with the output as the JSON text of a response body. */
  dispatchJson(
    target: string,
    input: Record<string, unknown>,
    regionName: string,
    accountId = this.accountId,
  ): string {
    return this.#dispatch(target, input, regionName, accountId, outputText);
  }

  #dispatch<T>(
    target: string,
    input: Record<string, unknown>,
    regionName: string,
    accountId: string,
    encode: (output: unknown) => T,
    takeFault = true,
  ): T {
    const operation = operationFor(target) ?? controlOperationFor(target);
    if (operation === undefined) throw unknownOperationException() satisfies AwsServiceError;
    // The wire types of AWS's service model, before any fault or effect (wire/checkWireTypes.ts).
    checkWireTypes(target, input);
    const fault = takeFault ? this.control.faults.take(target) : undefined;
    if (fault !== undefined) throw fault;
    const now = this.clock.now();
    const current = { now, random: cryptoRandom };
    // Inside a request that already collects (a nested dispatch), just run: the outer request journals.
    if (this.#effects !== undefined) {
      return encode(this.#run(operation, target, input, regionName, accountId, current));
    }
    return this.#atomically(() => {
      const journal = this.#journal;
      // The answer is encoded inside the request too: an answer that cannot be sent must not leave a change.
      if (journal === undefined) {
        return encode(this.#run(operation, target, input, regionName, accountId, current));
      }
      this.#effects = [];
      this.#attachments = [];
      this.#settingsTouched = false;
      try {
        const answer = encode(this.#run(operation, target, input, regionName, accountId, current));
        const line = this.#effectLine(regionName, accountId, now);
        // The request's one journal write, after it took effect and before its answer leaves. A request that
        // changed nothing (a read, a PartiQL SELECT, a failed condition) writes no line.
        if (line !== undefined) journal.append(line);
        return answer;
      } finally {
        this.#effects = undefined;
        this.#attachments = [];
      }
    });
  }

  /**
   * Runs one request so that it takes full effect or none: if `run` throws (an operation's later step, an
   * emulator bug such as a stack overflow, the journal append), every change the request made is taken back
   * (items, indexes, table sizes, stream records, shards, sequence numbers, tables and streams created or
   * deleted, table settings, tags, TTL, client request tokens) before the error propagates, so an answer of
   * 500 means nothing changed. See `atomically` for how changes register their undo.
   *
   * The contract for what runs inside:
   * - The journal line is written inside the scope, as the last step that can fail: if writing it throws,
   *   the request rolls back. Appending must therefore either write the whole line or leave the file as it
   *   was (a line on disk for a rolled-back request would be replayed on the next start).
   * - Nothing after the journal append may throw; the response is encoded before it.
   * - The journal of effects (item puts and deletes, stream records, shards, table settings) collects them
   *   while the request runs (the EffectSink); the line is built in full inside this scope and appended as its
   *   last step, and `DataDir.append` cuts a failed or short write back off the file.
   */
  #atomically<T>(run: () => T): T {
    return atomically(run);
  }

  /**
   * The running request's effects as one encoded journal line, or undefined when it changed nothing. Built in
   * full before anything is written, so a failure to build it (a value JSON cannot encode) writes nothing.
   */
  #effectLine(regionName: string, accountId: string, now: number): string | undefined {
    const collected = this.#effects ?? [];
    let settings: Effect[] = [];
    if (this.#settingsTouched) {
      const region = this.region(regionName, accountId);
      settings = this.#settings.changes(region);
      // A new table reports its item changes from its first write on, stream or not (Region.routeChanges).
      for (const effect of settings) {
        const table = effect[0] === 'table' ? region.tables.get(effect[1].definition.name) : undefined;
        if (table !== undefined) region.routeChanges(table);
      }
    }
    if (collected.length === 0 && settings.length === 0) return undefined;
    const e = settings.length === 0 ? collected : [...settings, ...collected];
    return encodeLine(
      JSON.stringify({ n: now, a: accountId, r: regionName, e } satisfies EffectLine),
      this.#attachments,
    );
  }

  /**
   * Rebuilds state from a data dir's effect lines: a snapshot's (`timeDriven` false), then the journal's,
   * each at its line's instant. No operation runs, so the state is what was written, whatever the operations
   * of this version do.
   */
  restore(
    lines: Iterable<{
      line: EffectLine;
      attachments: readonly string[];
      /** The attached texts left as the line's bytes (a snapshot's), instead of `attachments`. */
      texts?: Buffer;
      timeDriven: boolean;
    }>,
    sequence?: bigint,
    recordFiles?: { restored(ref: ChunkRef): () => Buffer },
  ): number {
    // The snapshot's counter: numbers were handed out that no record kept holds any more (trimmed ones).
    if (sequence !== undefined) this.#sequenceNumbers.advanceTo(sequence);
    const restorer = new StateRestorer({
      region: (name, accountId) => this.region(name, accountId),
      sequenceNumbers: this.#sequenceNumbers,
      restoredStream: (region, meta) => this.#shardlessStream(region, meta),
      ...(recordFiles === undefined ? {} : { recordFiles }),
    });
    let count = 0;
    const outer = this.#current;
    try {
      for (const { line, attachments, texts, timeDriven } of lines) {
        this.#current = { now: line.n, random: cryptoRandom };
        restorer.apply(line, texts ?? attachments, timeDriven);
        count += 1;
      }
    } finally {
      this.#current = outer;
    }
    restorer.finish();
    this.#ttl.start();
    return count;
  }

  /** A stream built as enableStream builds one, without shards, created at `meta.createdAt` (restore, loadTape). */
  #shardlessStream(
    region: Region,
    meta: Pick<StreamMeta, 'tableName' | 'keySchema' | 'viewType' | 'createdAt'>,
  ): Stream {
    return new Stream({
      region: region.name,
      accountId: region.accountId,
      tableName: meta.tableName,
      keySchema: meta.keySchema,
      viewType: meta.viewType,
      clock: this.requestClock,
      sequenceNumbers: this.#sequenceNumbers,
      settings: this.streamSettings,
      random: this.#random,
      onRecord: (stream, shard) => this.#notify(region, stream.arn, shard.id),
      effects: this.#sink,
      restored: true,
      createdAt: meta.createdAt,
    });
  }

  #notify(region: Region, streamArn: string, shardId: string): void {
    for (const listener of this.#listeners) {
      listener({ region: region.name, accountId: region.accountId, streamArn, shardId });
    }
  }

  /**
   * Loads a tape (`eddy record`, `tapeOf`, `loadTape` from `eddy/runtime`) so that the emulator holds what the
   * tape captured, as if it had just happened: `eddy dev --load TAPE` runs this before the mappings start.
   *
   * - **The table** (the tape's region and name) is created when missing: from `options.table` (the
   *   template's declaration, indexes and TTL included) or from the tape (its key schema, the key types of its
   *   records, on-demand). A table that exists, or that `options.table` declares, must have the tape's key
   *   schema and key types, and a stream it has must have the tape's StreamViewType: otherwise a
   *   `TapeLoadError` says which of the two disagrees and how.
   * - **The stream**: the table gets a new stream with the tape's StreamViewType (an enabled one it had is
   *   closed first and stays readable). Its ARN is the emulator's, not the tape's.
   * - **The shards** keep the tape's shard ids and lineage (ParentShardId), so logs and on-failure records of
   *   the capture name the same shards; closed ones are closed, open ones stay open and take later writes, and
   *   a closed shard without a child on the tape gets a new open child, so every key has an open shard.
   * - **The records** are the tape's as GetRecords returned them (eventID, eventName, Keys, images,
   *   ApproximateCreationDateTime as recorded, so handlers see the incident's times), in the tape's order per
   *   shard, except the SequenceNumber: they are renumbered from the emulator's counter, in order, because the
   *   emulator's numbers must keep growing across every stream (correlate by eventID). They count as written
   *   at the load for the 24 h retention
   *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.DataRetention),
   *   so a tape recorded days ago is readable for 24 h after loading.
   * - **The items** are each key's state as of its last record: the NewImage after INSERT or MODIFY, gone
   *   after REMOVE; they write no stream record. A KEYS_ONLY or OLD_IMAGE tape lacks new images: those keys
   *   are left out, and `warnings` says how many.
   *
   * The load is atomic, and is refused while the emulator journals to a data dir (a loaded tape is not
   * journaled).
   *
   * @example
   * import { startEmulator } from 'eddy/emulator';
   * import { loadTape } from 'eddy/runtime';
   *
   * const running = await startEmulator({ port: 0 });
   * const loaded = running.emulator.loadTape(await loadTape('orders.tape.ndjson'), { name: 'orders.tape.ndjson' });
   * console.log(`${loaded.records} records in ${loaded.shards} shards, ${loaded.items} items in ${loaded.tableName}`);
   */
  loadTape(tape: Tape, options: TapeLoadOptions = {}): LoadedTape {
    return loadTapeInto(
      {
        region: (name) => this.region(name),
        dispatch: (target, input, region) => this.dispatch(target, input, region),
        sequenceNumbers: this.#sequenceNumbers,
        journaling: this.#journal !== undefined,
        newStream: (region, spec) => this.#shardlessStream(region, spec),
        notify: (region, stream, shard) => this.#notify(region, stream.arn, shard.id),
        now: () => this.requestClock.now(),
      },
      tape,
      options,
    );
  }

  /**
   * Rebuilds state from a format 1 journal (requests), each run through the operations at its recorded
   * instant with its recorded randomness: only to migrate a data dir written before format 2.
   */
  replayRequests(entries: Iterable<JournalEntryV1>): number {
    let count = 0;
    for (const entry of entries) {
      const operation = operationFor(entry.t) ?? controlOperationFor(entry.t);
      if (operation === undefined)
        throw new Error(`journal entry ${count + 1}: unknown operation ${entry.t}`);
      this.#run(operation, entry.t, entry.i, entry.r, entry.a, {
        now: entry.n,
        random: seededRandom(entry.s),
      });
      count += 1;
    }
    return count;
  }

  /** The whole state now, as a data dir snapshot's lines (written lazily; see captureSnapshot). */
  captureSnapshot(generation: number, records: ChunkWriter): Iterable<string> {
    return captureSnapshot(
      this.#regions.values(),
      this.clock.now(),
      { generation, sequence: this.#sequenceNumbers.last.toString() },
      records,
    );
  }

  /** From now on, every committed request's effects are appended to `journal` as one line. */
  attachJournal(journal: { append(line: string): void }): void {
    this.#journal = journal;
    (this.#sink as { journaling: boolean }).journaling = true;
    for (const region of this.#regions.values()) {
      this.#settings.remember(region);
      for (const table of region.tables.values()) region.routeChanges(table);
    }
  }

  #run(
    operation: Operation,
    target: string,
    input: Record<string, unknown>,
    regionName: string,
    accountId: string,
    current: { readonly now: number; readonly random: RandomSource },
  ): unknown {
    const context: OperationContext = {
      region: this.region(regionName, accountId),
      clock: this.requestClock,
      random: this.#random,
      sequenceNumbers: this.#sequenceNumbers,
      streamSettings: this.streamSettings,
      tableStatusDelayMs: this.tableStatusDelayMs,
      iteratorsValidFrom: this.control.iteratorsValidFrom,
      iteratorKey: this.#iteratorKey,
      tableStreams: { enable: enableStream, disable: disableStream },
      onRecord: (stream, shard) => {
        for (const listener of this.#listeners) {
          listener({ region: regionName, accountId, streamArn: stream.arn, shardId: shard.id });
        }
      },
    };
    const outer = this.#current;
    this.#current = current;
    try {
      return operation(input, context);
    } finally {
      this.#current = outer;
      if (target === 'DynamoDB_20120810.UpdateTimeToLive') this.#ttl.start();
    }
  }

  /**
   * Deletes expired TTL items in every region now (the scheduler does this every ttlSweepIntervalMs), through
   * the dispatch so that a journal records it. Returns how many items were deleted.
   */
  sweepTtl(): number {
    let deleted = 0;
    for (const region of [...this.#regions.values()]) {
      if (![...region.tableStates.values()].some((state) => state.ttl)) continue;
      const target = 'EddyControl.SweepTtl';
      const output = (
        controlOperationFor(target) === undefined
          ? this.#run(sweepTtlOperation, target, {}, region.name, region.accountId, {
              now: this.clock.now(),
              random: cryptoRandom,
            })
          : this.dispatch(target, {}, region.name, region.accountId)
      ) as { DeletedItemCount: number };
      deleted += output.DeletedItemCount;
    }
    return deleted;
  }

  /** Stops the TTL scheduler, so that an emulator on the system clock holds no timer once closed. */
  close(): void {
    this.#ttl.stop();
  }

  /** Subscribes to the wake-up hint; returns the unsubscribe function. */
  onRecords(listener: RecordListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export type { EmulatorOptions, RecordListener };
export { Emulator };
