import type { Clock } from '../../src/time/clock.js';
import { systemClock } from '../../src/time/clock.js';
import { atomically } from './atomic/requestScope.js';
import { controlOperationFor } from './control/controlOperations.js';
import { EmulatorControl } from './control/EmulatorControl.js';
import { type AwsServiceError, unknownOperationException } from './errors.js';
import { outputText, outputValue } from './JsonText.js';
import type { Operation, OperationContext } from './operation.js';
import { operationFor } from './operations.js';
import type { FileJournal, JournalEntry } from './persistence/FileJournal.js';
import { isMutation } from './persistence/isMutation.js';
import { cryptoRandom, type RandomSource, seededRandom } from './persistence/RandomSource.js';
import { Region } from './Region.js';
import { newIteratorKey } from './streams/iteratorKey.js';
import { SequenceNumbers } from './streams/SequenceNumbers.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from './streams/streamSettings.js';
import { sweepTtlOperation } from './ttl/sweepTtlOperation.js';
import { TtlScheduler } from './ttl/TtlScheduler.js';
import { checkWireTypes } from './wire/checkWireTypes.js';

/** Told when a shard receives a record: the wake-up hint that lets local consumers skip timed polling. */
type RecordListener = (event: {
  region: string;
  accountId: string;
  streamArn: string;
  shardId: string;
}) => void;

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
   * writes has the same time), and with a journal its randomness is seeded, so a replay reproduces it.
   */
  #current: { readonly now: number; readonly random: RandomSource } | undefined;
  #journal: Pick<FileJournal, 'append'> | undefined;
  /** The clock operations and streams see: the current request's instant, the real clock between requests. */
  readonly requestClock: Clock = {
    now: () => this.#current?.now ?? this.clock.now(),
    sleep: (ms, signal) => this.clock.sleep(ms, signal),
  };
  readonly #random: RandomSource = (bytes) => (this.#current?.random ?? cryptoRandom)(bytes);

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
      region = new Region(name, accountId);
      this.#regions.set(key, region);
    }
    this.#lastRegion = region;
    return region;
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
  ): T {
    const operation = operationFor(target) ?? controlOperationFor(target);
    if (operation === undefined) throw unknownOperationException() satisfies AwsServiceError;
    // The wire types of AWS's service model, before any fault or effect (wire/checkWireTypes.ts).
    checkWireTypes(target, input);
    const fault = this.control.faults.take(target);
    if (fault !== undefined) throw fault;
    const now = this.clock.now();
    const journal = isMutation(target) ? this.#journal : undefined;
    const seed = journal === undefined ? undefined : cryptoRandom(8).toString('hex');
    return this.#atomically(() => {
      const random = seed === undefined ? cryptoRandom : seededRandom(seed);
      // The answer is encoded inside the request too: an answer that cannot be sent must not leave a change.
      const answer = encode(this.#run(operation, target, input, regionName, accountId, { now, random }));
      // Only committed mutations are journaled (a failed condition throws above), and before the answer leaves.
      if (journal !== undefined && seed !== undefined)
        journal.append({ t: target, a: accountId, r: regionName, n: now, s: seed, i: input });
      return answer;
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
   * - A journal of effects (item puts and deletes, stream records, table metadata) collects them at the
   *   mutation points that register their undo (Table.write, Shard.append, the UndoableMaps of Region): they
   *   all run inside this scope, so the line can be built from them just before it is appended.
   */
  #atomically<T>(run: () => T): T {
    return atomically(run);
  }

  /** Rebuilds state from journal entries, each run at its recorded instant with its recorded randomness. */
  replay(entries: Iterable<JournalEntry>): number {
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

  /** From now on, every committed mutation is appended to `journal`. */
  attachJournal(journal: Pick<FileJournal, 'append'>): void {
    this.#journal = journal;
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
