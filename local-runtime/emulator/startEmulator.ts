import type { ShardWakeUps } from '../../src/runtime/sources/live/ShardWakeUps.js';
import { Emulator, type EmulatorOptions } from './Emulator.js';
import { DataDir, effectLines } from './persistence/DataDir.js';
import { AccessKeys, type EmulatorCredential } from './server/AccessKeys.js';
import type { PageHandler } from './server/handlePageRequest.js';
import { listen } from './server/httpServer.js';
import { RequestGuards } from './server/RequestGuards.js';
import { loadIteratorKey } from './streams/iteratorKey.js';

/**
 * Where and how `startEmulator` serves: host and port, persistence, signature checking and browser access, besides the emulator's own options.
 *
 * @example
 * const running = await startEmulator({ port: 0, dataDir: '.eddy/data', streams: { shardCount: 2 } });
 */
interface StartEmulatorOptions extends EmulatorOptions {
  /** @default '127.0.0.1' — the emulator is for this machine unless told otherwise. */
  readonly host?: string;
  /** @default 8000; 0 picks a free port. */
  readonly port?: number;
  /**
   * Verify every DynamoDB and Streams request's SigV4 signature against `credentials`, answering AWS's
   * authentication errors otherwise. Off by default: any access key and secret are accepted, as with
   * DynamoDB Local. @default false
   */
  readonly requireSignature?: boolean;
  /**
   * The access keys the emulator knows, with the account each acts in. With `requireSignature` only these
   * keys are accepted; without it they only choose accounts. A key with no `accountId` uses its own value if
   * it is 12 digits (LocalStack's convention), else the default `accountId`. @default []
   */
  readonly credentials?: readonly EmulatorCredential[];
  /**
   * Keep tables, items and stream records in this folder: every acknowledged write survives a kill -9 and
   * a restart. In memory when absent. @default undefined
   */
  readonly dataDir?: string;
  /** With `dataDir`: also flush each write to the disk (survives a power cut; slower). @default false */
  readonly fsync?: boolean;
  /**
   * Browser origins (`https://admin.example:8443`) granted CORS besides pages on `localhost`, `127.0.0.1` and
   * `[::1]`; `'*'` grants every origin. Requests from any other origin are refused with 403. @default []
   */
  readonly allowOrigins?: readonly string[];
  /**
   * `Host` names served besides loopback names, IP addresses and `host` (DNS rebinding protection: a page
   * whose name was rebound to this machine sends its own name); `'*'` serves every name. @default []
   */
  readonly allowHosts?: readonly string[];
  /**
   * With `dataDir`: when a data dir file has a damaged entry, keep everything before it and move the rest
   * aside to a file next to it (the log names it) instead of refusing to start. @default false
   */
  readonly repairJournal?: boolean;
  /** With `dataDir`: compact once the journal has grown by this many bytes. @default 16 MiB */
  readonly compactAfterBytes?: number;
  /** Where the data dir's notices go (a dropped torn line, a repair, a migration). @default console.error */
  readonly log?: (line: string) => void;
  /**
   * Serves `/_eddy/…` (besides `/_eddy/control/…`) behind the same guards: `eddy emulator` and `eddy dev` give
   * the dashboard (`dashboardPages`). Without it those paths answer 404. @default undefined
   */
  readonly pages?: PageHandler;
}

/**
 * An emulator serving on a port: where to point AWS clients, its in-process state and control surface, the
 * wake-up hint for event source mappings, and how to stop it.
 *
 * @example
 * const running = await startEmulator({ port: 0 });
 * const client = new DynamoDBClient({ endpoint: running.endpoint, region: 'us-east-1' });
 * running.emulator.control.rollOver({ streamArn });
 * await running.close();
 */
interface RunningEmulator {
  /** Where AWS clients point: `http://127.0.0.1:8000`. */
  readonly endpoint: string;
  /** The emulator itself, in process: `emulator.control` moves its clock, rolls shards over and injects faults. */
  readonly emulator: Emulator;
  /**
   * The wake-up hint for one stream, as `EventSourceMapping`'s `wakeUps` option takes it: the mapping polls a
   * shard as soon as a record lands there instead of at its next poll (Lambda polls four times a second).
   *
   * @example
   * new EventSourceMapping({ ...options, streamArn, wakeUps: running.wakeUps(streamArn) });
   */
  wakeUps(streamArn: string): ShardWakeUps;
  /** With `dataDir`: writes a snapshot now and empties the journal (it also happens on its own). */
  compact(): Promise<void>;
  /** Stops serving, closes every connection and (with `dataDir`) flushes and closes the journal. */
  close(): Promise<void>;
}

/**
 * The emulator's hint that a shard of `streamArn` has new records, shaped as `EventSourceMapping`'s `wakeUps`
 * option (`ShardWakeUps` in `eddy/runtime`).
 *
 * @example
 * const mapping = new EventSourceMapping({ ...options, wakeUps: shardWakeUps(running.emulator, streamArn) });
 */
const shardWakeUps = (emulator: Emulator, streamArn: string): ShardWakeUps => ({
  subscribe: (listener) =>
    emulator.onRecords((event) => {
      if (event.streamArn === streamArn) listener(event.shardId);
    }),
});

/**
 * Starts the DynamoDB + DynamoDB Streams emulator on one port.
 *
 * @example
 * const { endpoint, close } = await startEmulator({ port: 0 });
 * const client = new DynamoDBClient({ endpoint, region: 'us-east-1' });
 */
const startEmulator = async (options: StartEmulatorOptions = {}): Promise<RunningEmulator> => {
  const accessKeys = new AccessKeys(options.credentials);
  const requireSignature = options.requireSignature ?? false;
  // Refused up front: with no key to check against, every request would fail.
  if (requireSignature && accessKeys.size === 0)
    throw new Error('eddy: requireSignature needs at least one access key in credentials');
  const host = options.host ?? '127.0.0.1';
  const guards = new RequestGuards({
    host,
    ...(options.allowOrigins === undefined ? {} : { allowOrigins: options.allowOrigins }),
    ...(options.allowHosts === undefined ? {} : { allowHosts: options.allowHosts }),
  });
  // Iterators are signed with a key kept next to the data, so they outlive a restart as AWS's would.
  const newEmulator = () =>
    new Emulator({
      ...options,
      ...(options.dataDir === undefined ? {} : { iteratorKey: loadIteratorKey(options.dataDir) }),
    });
  const { emulator, journal } =
    options.dataDir === undefined
      ? { emulator: newEmulator(), journal: undefined }
      : await openDataDir(newEmulator, options.dataDir, options);
  const { server, endpoint } = await listen(
    emulator,
    host,
    options.port ?? 8000,
    {
      requireSignature,
      accessKeys,
      guards,
    },
    options.pages,
  );
  return {
    endpoint,
    emulator,
    wakeUps: (streamArn) => shardWakeUps(emulator, streamArn),
    compact: () => journal?.compact() ?? Promise.resolve(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        emulator.close();
        server.close((error) => {
          const closed = journal?.close() ?? Promise.resolve();
          closed.then(() => (error ? reject(error) : resolve()), reject);
        });
        server.closeAllConnections();
      }),
  };
};

/**
 * Reads a data dir into the emulator (a snapshot and the journal after it; or a format 1 journal, replayed
 * once and migrated) and attaches its journal. Throws JournalDamageError for a damaged entry.
 */
/** Applies a data dir's snapshot and the journals after it to `emulator`. */
const restoreFrom = (emulator: Emulator, dataDir: DataDir): void => {
  const { snapshot, journals } = dataDir;
  const sequence = snapshot?.header.sequence;
  emulator.restore(
    (function* () {
      if (snapshot !== undefined) {
        for (const line of effectLines(snapshot)) yield { ...line, timeDriven: false };
      }
      for (const journal of journals) {
        for (const line of effectLines(journal)) yield { ...line, timeDriven: true };
      }
    })(),
    sequence === undefined || sequence === '' ? undefined : BigInt(sequence),
    dataDir.records,
  );
};

const openDataDir = async (
  newEmulator: () => Emulator,
  path: string,
  options: StartEmulatorOptions,
): Promise<{ emulator: Emulator; journal: DataDir }> => {
  for (;;) {
    const emulator = newEmulator();
    const dataDir = DataDir.open(path, {
      fsync: options.fsync === true,
      repair: options.repairJournal === true,
      ...(options.compactAfterBytes === undefined ? {} : { compactAfterBytes: options.compactAfterBytes }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    try {
      if (dataDir.v1 !== undefined) emulator.replayRequests(dataDir.v1.entries);
      else restoreFrom(emulator, dataDir);
    } catch (error) {
      // The records check may be running in its worker: it must not keep the process alive.
      dataDir.records.close();
      emulator.close();
      throw error;
    }
    // The snapshot's record texts were checked in a worker thread while the rest was restored.
    const damage = await dataDir.records.verify();
    if (damage !== undefined) {
      emulator.close();
      if (options.repairJournal !== true) {
        dataDir.records.close();
        throw dataDir.chunkDamage(damage);
      }
      dataDir.cutSnapshotAtChunk(damage);
      continue;
    }
    dataDir.attach((generation, records) => emulator.captureSnapshot(generation, records));
    emulator.attachJournal(dataDir);
    return { emulator, journal: dataDir };
  }
};

export type { RunningEmulator, StartEmulatorOptions };
export { shardWakeUps, startEmulator };
