import {
  type DynamoDBClient,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { CheckpointStore } from '../../../checkpoint/CheckpointStore.js';
import { itemKeyOf } from '../../../pipeline/StreamItem.js';
import type { AttributeMap } from '../../../records/attributeValue.js';
import { sendTakingJson } from '../../../records/sendTakingJson.js';
import { toSdkMap, toWireMap } from '../../../records/wireRecord.js';
import { isTransientError } from '../../../retry/isTransientError.js';
import { TRANSIENT_RETRY } from '../../../retry/RetryPolicy.js';
import { retrying } from '../../../retry/retrying.js';
import type { Clock } from '../../../time/clock.js';
import type { RecordSource, ShardPage, ShardReader, SourceShard } from '../RecordSource.js';
import type { StartAt } from '../StartAt.js';
import { rowVerdict, scanMayStartAt, windowEndSecond } from './bootstrapDecisions.js';
import { readState, writeState } from './bootstrapState.js';
import type { StreamTracker } from './StreamTracker.js';
import { pageOfSequence, snapshotRecordOf, snapshotSequence } from './snapshotRecord.js';

/**
 * Pages a segment reads ahead of the stream side while earlier ones wait for it to pass their window: each
 * waits a second or more (whole-second stamps, the grace), so reading ahead keeps the scan going meanwhile.
 * Eight pages of 1000 items keep a segment's invocations busy through a page's wait of about 2.5 s
 * (bench/bootstrap.ts, 100k items, 8 segments: 4 pages ahead 17.8 s, 8 pages ahead 12.8 s) and hold at most
 * 8000 items per segment in memory.
 */
const PAGES_AHEAD = 8;

/** The virtual shard that carries the bases found in the stream (old images of items changed since the cut). */
const STREAM_BASES_SHARD = 'eddy-snapshot-stream';
/** The virtual shard of scan segment `i`. */
const segmentShardId = (segment: number): string => `eddy-snapshot-segment-${segment}`;

/**
 * What the bootstrap has done so far: rows scanned, emitted, superseded by the stream, and bases taken from it.
 *
 * @example
 * const { scanned, emitted, superseded } = source.progress;
 */
interface SnapshotProgress {
  scanned: number;
  emitted: number;
  superseded: number;
  streamBases: number;
  pages: number;
  segmentsDone: number;
}

/** A bootstrap that has done nothing yet. */
const noProgress = (): SnapshotProgress => ({
  scanned: 0,
  emitted: 0,
  superseded: 0,
  streamBases: 0,
  pages: 0,
  segmentsDone: 0,
});

interface SnapshotSourceOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly keyAttributes: readonly string[];
  readonly streamArn: string;
  readonly streamViewType: string;
  readonly mappingId: string;
  readonly checkpoints: CheckpointStore;
  readonly tracker: StreamTracker;
  readonly segments: number;
  readonly cutSecond: number;
  /** Scan `Limit` (items per page). */
  readonly pageSize: number;
  readonly graceMs: number;
  /** Seconds ApproximateCreationDateTime is floored to by the source (1; DynamoDB Local: 60). */
  readonly granularity: number;
  readonly clock: Clock;
  /** Segments a previous run finished (their virtual shard's checkpoint says ended): not read again. */
  readonly endedSegments?: readonly number[];
}

/** Where each page a segment read started and where its next page starts (`null`: the segment's last page). */
interface SegmentPages {
  readonly nextCounter: number;
  readonly pages: Record<
    string,
    { readonly start?: Record<string, unknown>; readonly next: Record<string, unknown> | null }
  >;
}

/**
 * ④ A table snapshot reconciled per key with the table's stream, as a record source (`bootstrap`,
 * `eddy bootstrap`): one virtual shard per parallel Scan segment, whose records are the table's rows, and one
 * (`eddy-snapshot-stream`) whose records are the states the stream gives for items it changed. Every record is
 * an INSERT of an item's whole state *at the cut*, marked as a snapshot record (`isSnapshotRecord`,
 * `StreamItem.snapshot`).
 *
 * **The algorithm.** Before scanning, a `StreamTracker` reads every shard of the stream, with lineage, and
 * fixes the *cut*: the first whole second after the bootstrap started. A record created at or after the cut
 * (and everything after it in its shard) is *tracked*: a change after the snapshot, processed by the live
 * mapping once the snapshot is, from the checkpoints `StreamTracker.handover` gives (right before each
 * shard's first tracked record). The scan starts once every pre-cut write is made (the cut plus a grace for
 * clock skew). Each Scan page (ConsistentRead) is a window from its request to its response; its rows wait
 * until every shard has been read past the window's end (widened to whole seconds, since
 * ApproximateCreationDateTime is whole seconds, plus the grace); a segment reads at most eight pages ahead
 * of the stream side, so the scan and the stream's reading pace each other. A row is then emitted only if its item has no
 * tracked record at or before the window's end; otherwise the stream carries the truth: the item's first tracked
 * record's old image (its state at the cut) is emitted on `eddy-snapshot-stream` instead.
 *
 * **Why it is exact per key.** Every emitted record of an item is the item's state at the cut: a row emitted
 * had no tracked change before its read (a change before the read has a record created at or before the
 * window's end, and every shard was read past it), so the row is the state after every pre-cut record; an old
 * image of a first tracked record is, by definition, the state before it. So an item's snapshot records all
 * say the same, and applying one of them, then the item's tracked records in stream order, telescopes to the
 * item's current state. Items not changed since the cut and present during the whole scan are returned by the
 * Scan (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html); items it may miss were
 * deleted or re-created during it, so they have tracked records, and their state at the cut comes from the stream.
 *
 * **Ordering.** A snapshot record's `SequenceNumber` is digits, unique and growing within its virtual shard
 * (so the runtime checkpoints it like a real shard), but it is not a position in the stream: operators order
 * a snapshot record before every record the stream has (`sequenceOrderOf` gives it the lowest order), so a
 * repeated snapshot record, or one that arrives after the item's newer state, changes nothing. The snapshot is
 * processed whole before the tracked records (the live mapping starts after it), so every item's state at
 * the cut lands before its changes since.
 *
 * **Assumptions.** The stream has NEW_AND_OLD_IMAGES (for `aggregate`; NEW_IMAGE is enough for projections and
 * `replicate`, whose tracked records carry the whole item); within a shard, ApproximateCreationDateTime does not
 * go backwards; the clocks of this process and DynamoDB differ by less than the grace, and a stream record is
 * readable within the grace of its write; a GetRecords that returns nothing is at the shard's tip; the snapshot
 * and the tracked records are processed within the stream's 24 h retention (`bootstrap` checks it).
 *
 * **Resuming.** Segment progress is kept in the mapping's checkpoint store: each page's start key is written
 * before its rows are handed out, and the runtime checkpoints the virtual shard; a page's last row carries
 * index 999999, so a checkpoint on it means the page is done and a resumed bootstrap scans on from the next
 * page (a page only partly done is scanned again and emitted whole, which changes nothing).
 *
 * `bootstrap` builds one with its `StreamTracker` and runs it through an `EventSourceMapping`; use `bootstrap`.
 *
 * @example
 * import { bootstrap } from 'eddy/runtime';
 * const { scanned, emitted, superseded } = await bootstrap({ tableName: 'orders', mappingId: 'orders-view',
 *   dynamodb, streams, handler, checkpoints }); // runs a SnapshotSource, then writes the live checkpoints
 */
class SnapshotSource implements RecordSource {
  /** The snapshot ends: tumbling windows close on its records, not on the clock. */
  readonly finite = true;
  readonly progress: SnapshotProgress = noProgress();
  readonly #o: SnapshotSourceOptions;
  readonly #segmentsEnded = new Set<number>();

  constructor(options: SnapshotSourceOptions) {
    this.#o = options;
    for (const segment of options.endedSegments ?? []) this.#segmentsEnded.add(segment);
    this.progress.segmentsDone = this.#segmentsEnded.size;
  }

  async listShards(): Promise<SourceShard[]> {
    return [
      ...Array.from({ length: this.#o.segments }, (_, i) => ({ shardId: segmentShardId(i), closed: true })),
      { shardId: STREAM_BASES_SHARD, closed: true },
    ];
  }

  reader(shardId: string, startAt: StartAt): ShardReader {
    if (shardId === STREAM_BASES_SHARD) return this.#basesReader(startAt);
    const segment = Number(shardId.slice('eddy-snapshot-segment-'.length));
    return this.#segmentReader(segment, startAt);
  }

  /**
   * The bootstrap's progress as the mapping's metrics report it (`mapping.metrics().source`, and the metrics
   * log lines), in the style of Lambda's event source mapping metrics
   * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html): counts, and the stream
   * side's lag in ms.
   */
  metrics(): Readonly<Record<string, number>> {
    const p = this.progress;
    return {
      BootstrapSegments: this.#o.segments,
      BootstrapSegmentsDone: p.segmentsDone,
      BootstrapScannedItemCount: p.scanned,
      BootstrapEmittedEventCount: p.emitted,
      BootstrapSupersededItemCount: p.superseded,
      BootstrapStreamBaseCount: p.streamBases,
      BootstrapStreamLag: this.#o.tracker.lagMs(),
    };
  }

  /** Whether every segment has been scanned and all its rows handed out. */
  get scanDone(): boolean {
    return this.#segmentsEnded.size === this.#o.segments;
  }

  #record(keys: AttributeMap, image: AttributeMap, sequenceNumber: string, origin: string): DynamoDBRecord {
    return snapshotRecordOf({
      keys,
      image,
      sequenceNumber,
      origin,
      eventSourceARN: this.#o.streamArn,
      approximateCreationDateTime: this.#o.cutSecond,
      streamViewType: this.#o.streamViewType,
    });
  }

  #basesReader(startAt: StartAt): ShardReader {
    let next = startAt.type === 'AFTER_SEQUENCE_NUMBER' ? BigInt(startAt.sequenceNumber) + 1n : 1n;
    const buffer: DynamoDBRecord[] = [];
    return {
      open: async () => undefined,
      read: async (limit: number): Promise<ShardPage> => {
        this.#o.tracker.check();
        // Whether the scan was done is read before the bases are taken: bases found up to then are all there is.
        const done = this.scanDone;
        for (const base of this.#o.tracker.takeBases()) {
          buffer.push(this.#record(base.keys, base.image, next.toString().padStart(21, '0'), 'stream'));
          next += 1n;
          this.progress.streamBases += 1;
        }
        const records = buffer.splice(0, limit);
        return { records, ended: done && buffer.length === 0 };
      },
    };
  }

  #segmentReader(segment: number, startAt: StartAt): ShardReader {
    const shardId = segmentShardId(segment);
    const pagesKey = `${shardId}#pages`;
    const { client, clock } = this.#o;
    let state: SegmentPages = { nextCounter: 0, pages: {} };
    /** The next page's start key; `null` once the last page was read. */
    let startKey: Record<string, unknown> | null | undefined;
    /** Pages read and waiting for the stream side to pass their window, oldest first (at most PAGES_AHEAD). */
    const pending: { counter: number; items: AttributeMap[]; windowEnd: number }[] = [];
    const buffer: DynamoDBRecord[] = [];
    /** A page being read ahead while the buffer's rows are processed (one at a time: pages are numbered in order). */
    let fetching: Promise<void> | undefined;
    let fetchError: unknown;
    const waitForScanStart = async (signal: AbortSignal) => {
      const at = scanMayStartAt(this.#o.cutSecond, this.#o.graceMs);
      const now = clock.now();
      if (now < at) await clock.sleep(at - now, signal);
    };
    const fetchPage = async (signal: AbortSignal): Promise<void> => {
      const counter = state.nextCounter;
      const from = startKey ?? undefined;
      const response = await retrying(
        () =>
          scanAsSent(
            client,
            {
              TableName: this.#o.tableName,
              Segment: segment,
              TotalSegments: this.#o.segments,
              Limit: this.#o.pageSize,
              ConsistentRead: true,
              // Checkpointed in wire form (binary as base64, which JSON keeps), sent as the SDK takes it.
              ...(from === undefined ? {} : { ExclusiveStartKey: toSdkMap(from as AttributeMap) }),
            },
            signal,
          ),
        { policy: TRANSIENT_RETRY, clock, retryOn: isTransientError, signal },
      );
      const respondedAt = clock.now();
      // A page read ahead for a reader that was stopped meanwhile is dropped: its successor owns the state.
      signal.throwIfAborted();
      const next = response.lastEvaluatedKey ?? null;
      // Where this page started is written before any of its rows is handed out, so a checkpoint on one of
      // them can always be resumed from.
      const done = await this.#o.checkpoints.get(this.#o.mappingId, shardId);
      const donePage = done?.sequenceNumber === undefined ? -1 : pageOfSequence(done.sequenceNumber).page;
      const pages: SegmentPages['pages'] = {};
      for (const [key, page] of Object.entries(state.pages)) if (Number(key) >= donePage) pages[key] = page;
      pages[String(counter)] = { ...(from === undefined ? {} : { start: from }), next };
      state = { nextCounter: counter + 1, pages };
      await writeState(this.#o.checkpoints, this.#o.mappingId, pagesKey, state);
      startKey = next;
      this.progress.pages += 1;
      this.progress.scanned += response.items.length;
      pending.push({
        counter,
        items: response.items,
        windowEnd: windowEndSecond(respondedAt, this.#o.graceMs, this.#o.granularity),
      });
    };
    const decide = (page: { counter: number; items: AttributeMap[]; windowEnd: number }) => {
      const emitted: AttributeMap[] = [];
      for (const item of page.items) {
        const keys = this.#keysOf(item);
        if (rowVerdict(this.#o.tracker.firstTrackedSecond(itemKeyOf(keys)), page.windowEnd) === 'emit')
          emitted.push(item);
        else this.progress.superseded += 1;
      }
      emitted.forEach((item, i) => {
        const sequence = snapshotSequence(page.counter, i, i === emitted.length - 1);
        buffer.push(this.#record(this.#keysOf(item), item, sequence, `segment-${segment}`));
      });
      this.progress.emitted += emitted.length;
    };
    return {
      open: async (signal: AbortSignal) => {
        state = (await readState<SegmentPages>(this.#o.checkpoints, this.#o.mappingId, pagesKey)) ?? state;
        if (startAt.type === 'AFTER_SEQUENCE_NUMBER') {
          const { page, pageDone } = pageOfSequence(startAt.sequenceNumber);
          const known = state.pages[String(page)];
          // A page that is not known (state lost) is scanned from the segment's start: it only repeats rows.
          if (known !== undefined) startKey = pageDone ? known.next : (known.start ?? undefined);
        }
        await waitForScanStart(signal);
      },
      read: async (limit: number, signal: AbortSignal): Promise<ShardPage> => {
        this.#o.tracker.check();
        if (fetchError !== undefined) throw fetchError;
        while (buffer.length === 0) {
          const front = pending[0];
          if (front !== undefined && this.#o.tracker.passed(front.windowEnd)) {
            decide(front);
            pending.shift();
          } else if (fetching !== undefined) {
            await fetching;
            if (fetchError !== undefined) throw fetchError;
          } else if (startKey !== null && pending.length < PAGES_AHEAD) await fetchPage(signal);
          else break;
        }
        // Read the next page while this one's rows are processed, so its window (a second or more of waiting
        // for the stream side) runs meanwhile instead of after them.
        if (buffer.length > 0 && fetching === undefined && startKey !== null && pending.length < PAGES_AHEAD)
          fetching = fetchPage(signal)
            .catch((error: unknown) => {
              fetchError = error;
            })
            .finally(() => {
              fetching = undefined;
            });
        if (buffer.length === 0 && pending.length > 0) {
          // Pacing: a segment scans at most PAGES_AHEAD pages ahead of the stream side.
          await clock.sleep(50, signal);
          return { records: [], ended: false };
        }
        const records = buffer.splice(0, limit);
        const ended = buffer.length === 0 && pending.length === 0 && startKey === null;
        if (ended && !this.#segmentsEnded.has(segment)) {
          this.#segmentsEnded.add(segment);
          this.progress.segmentsDone += 1;
        }
        return { records, ended };
      },
    };
  }

  #keysOf(item: AttributeMap): AttributeMap {
    const keys: AttributeMap = {};
    for (const name of this.#o.keyAttributes) {
      const value = item[name];
      if (value !== undefined) keys[name] = value;
    }
    return keys;
  }
}

export type { SnapshotProgress, SnapshotSourceOptions };

/**
 * A Scan page with its items and LastEvaluatedKey in the JSON form DynamoDB sent them (binary as base64): the
 * form snapshot records carry and checkpoints keep, taken from the response before the SDK's deserializer
 * (`sendTakingJson`). A client that runs no middleware gets the SDK's output converted.
 */
const scanAsSent = async (
  client: DynamoDBClient,
  input: ScanCommandInput,
  abortSignal: AbortSignal,
): Promise<{ readonly items: AttributeMap[]; readonly lastEvaluatedKey: AttributeMap | undefined }> => {
  let sent: { items: AttributeMap[]; lastEvaluatedKey: AttributeMap | undefined } | undefined;
  const output = await sendTakingJson<ScanCommandOutput>(
    client,
    new ScanCommand(input),
    ({ Items, LastEvaluatedKey, ...rest }) => {
      sent = {
        items: (Items as AttributeMap[] | undefined) ?? [],
        lastEvaluatedKey: LastEvaluatedKey as AttributeMap | undefined,
      };
      return rest;
    },
    { abortSignal },
  );
  return (
    sent ?? {
      items: (output.Items ?? []).map((item) => toWireMap(item)),
      lastEvaluatedKey:
        output.LastEvaluatedKey === undefined ? undefined : toWireMap(output.LastEvaluatedKey),
    }
  );
};

export { noProgress, SnapshotSource, STREAM_BASES_SHARD, segmentShardId };
