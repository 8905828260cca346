import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import { MemoryCheckpointStore } from '../checkpoint/MemoryCheckpointStore.js';
import { parseStreamArn } from '../records/arn.js';
import { backoffDelay, TRANSIENT_RETRY } from '../retry/RetryPolicy.js';
import { type Clock, systemClock } from '../time/clock.js';
import {
  type MappingConfigInput,
  type ResolvedMappingConfig,
  resolveMappingConfig,
} from './config/resolveMappingConfig.js';
import { ShardConsumer } from './consumer/ShardConsumer.js';
import type { OnFailureDestination } from './failures/destinations/OnFailureDestination.js';
import { compileFilterCriteria } from './filter/compileFilterCriteria.js';
import type { FunctionInvoker } from './invocation/FunctionInvoker.js';
import type { InvocationReport } from './observability/InvocationReport.js';
import { type Logger, silentLogger } from './observability/logger.js';
import { logMetricsEvery } from './observability/logMetricsEvery.js';
import { MappingMetrics, type MetricsSnapshot } from './observability/MappingMetrics.js';
import { type IdlePolling, idlePollDelay } from './sources/idlePollDelay.js';
import type { ShardLeases } from './sources/leases/ShardLeases.js';
import { LiveShardSource } from './sources/live/LiveShardSource.js';
import { ShardLineage } from './sources/live/ShardLineage.js';
import type { ShardWakeUps } from './sources/live/ShardWakeUps.js';
import type { RecordSource } from './sources/RecordSource.js';
import type { StartAt } from './sources/StartAt.js';
import { Waker } from './sources/Waker.js';

/**
 * What an `EventSourceMapping` reads, what it invokes, where it checkpoints, and its timings.
 *
 * @example
 * const mapping = new EventSourceMapping({
 *   mappingId: 'orders-view',
 *   streamArn,
 *   client: new DynamoDBStreamsClient({}),
 *   config: { StartingPosition: 'TRIM_HORIZON', BatchSize: 100, FunctionResponseTypes: ['ReportBatchItemFailures'] },
 *   invoker: inProcessInvoker(handler),
 *   checkpoints: new FileCheckpointStore('.eddy/checkpoints.json'),
 * });
 * mapping.start();
 * @example
 * // A finite source (a tape): the mapping drains it through the same stages, then stops.
 * const source = await TapeSource.load('orders.tape.ndjson.gz');
 * const replay = new EventSourceMapping({ mappingId: 'orders-view-replay', streamArn: source.streamArn, source,
 *   config: { StartingPosition: 'TRIM_HORIZON' }, invoker: inProcessInvoker(handler) });
 * replay.start();
 * await replay.drained();
 * await replay.stop();
 */
interface EventSourceMappingOptions {
  /** Identifies the mapping's checkpoints; keep it stable across restarts to resume. */
  readonly mappingId: string;
  /** The stream the records come from: read through `client`, or named in events and failure records with `source`. */
  readonly streamArn: string;
  /** Settings under SAM's names; validated, with AWS's defaults applied. */
  readonly config: MappingConfigInput | ResolvedMappingConfig;
  /** Reads the live stream at `streamArn`. Needed unless `source` is given. */
  readonly client?: DynamoDBStreamsClient;
  /**
   * ④ Where records come from instead of the live stream: a `TapeSource`, a bounded live range
   * (`liveRangeSource`), or any `RecordSource`. The stages after it (filters, batching, retries, bisect,
   * destinations, checkpoints) are the same. Give a replay its own `mappingId` and `checkpoints`, never the live
   * mapping's. With a finite source, `drained()` resolves once everything is processed.
   */
  readonly source?: RecordSource;
  readonly invoker: FunctionInvoker;
  /** @default a MemoryCheckpointStore. With `leases`, pass the lease-fenced store (`LeaseManager.checkpoints`). */
  readonly checkpoints?: CheckpointStore;
  /**
   * Share the stream's shards with other workers (other processes running the same mapping): each shard is
   * consumed by one worker at a time, taken over when its worker dies. See LeaseManager.
   */
  readonly leases?: ShardLeases;
  /** How often the metrics are written to the logger as one JSON line (0: never). @default 60000, CloudWatch's minute */
  readonly metricsLogIntervalMs?: number;
  /** How often leases are renewed (well under their duration). @default 3000 */
  readonly leaseRenewIntervalMs?: number;
  /** DestinationConfig.OnFailure, resolved to where records go (an SQS queue, an SNS topic, a local file). */
  readonly onFailure?: OnFailureDestination;
  /** FilterCriteria as a matcher: records it rejects are checkpointed without being sent. */
  readonly filter?: (record: DynamoDBRecord) => boolean;
  /** The function's ARN in failure records. @default derived from the invoker's name and the stream's region */
  readonly functionArn?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * The embedded emulator's hint that a shard got a record (`running.wakeUps(streamArn)`). With it, an idle
   * shard and the shard listing are polled less and less often (up to `idlePollMaxMs`), and a record is read as
   * soon as its hint arrives; a record in a shard the mapping does not consume yet wakes the discovery and the
   * consumers of its possible parents. Without it, polling is Lambda's fixed rate.
   */
  readonly wakeUps?: ShardWakeUps;
  /** @default 250 — Lambda polls each shard four times a second. */
  readonly pollIntervalMs?: number;
  /** @default 5000 — how often the shard list is read to find new shards. */
  readonly discoveryIntervalMs?: number;
  /**
   * With `wakeUps`: the longest wait between two polls of an idle shard, or two listings of the stream, when
   * the hint says nothing: a safety net for a lost hint, and how soon a shard split or rolled over without a new
   * record is seen. @default 30000
   */
  readonly idlePollMaxMs?: number;
  /** @default { baseMs: 200, maxMs: 10000 } */
  readonly retryBackoff?: { readonly baseMs: number; readonly maxMs: number };
  readonly onInvocation?: (report: InvocationReport) => void;
}

const isResolved = (config: EventSourceMappingOptions['config']): config is ResolvedMappingConfig =>
  typeof (config as ResolvedMappingConfig).ReportBatchItemFailures === 'boolean';

/**
 * A Lambda-style event source mapping for one DynamoDB stream: it discovers the stream's shards, starts one
 * consumer per shard, children only after their parents are read to the end, and keeps looking for new shards.
 *
 * @example
 * const mapping = new EventSourceMapping({ mappingId: 'orders-projection', streamArn, client, invoker,
 *   config: { StartingPosition: 'TRIM_HORIZON', BatchSize: 100 } });
 * mapping.start();
 * // …
 * await mapping.stop();
 */
class EventSourceMapping {
  readonly config: ResolvedMappingConfig;
  readonly #o: EventSourceMappingOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #checkpoints: CheckpointStore;
  readonly #abort = new AbortController();
  readonly #discovery = new Waker();
  readonly #consumers = new Map<
    string,
    { consumer: ShardConsumer; waker: Waker; done: Promise<void>; abort: AbortController }
  >();
  /** Parents before children: which listed shards may start, and from where. */
  readonly #lineage: ShardLineage;
  readonly #metrics = new MappingMetrics();
  readonly #filter: ((record: DynamoDBRecord) => boolean) | undefined;
  /** ④ Where records come from: the live stream through the SDK client, or the `source` given. */
  readonly #source: RecordSource;
  #running: Promise<void> | undefined;
  #drainedResolve: (drained: boolean) => void = () => undefined;
  readonly #drained = new Promise<boolean>((resolve) => {
    this.#drainedResolve = resolve;
  });
  #renewing: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;
  /** Listings in a row that started no consumer: with the hint, the next one waits longer. */
  #quietListings = 0;

  constructor(options: EventSourceMappingOptions) {
    this.config = isResolved(options.config) ? options.config : resolveMappingConfig(options.config);
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#checkpoints = options.checkpoints ?? new MemoryCheckpointStore();
    this.#lineage = new ShardLineage({
      mappingId: options.mappingId,
      checkpoints: this.#checkpoints,
      startingPosition: this.config.StartingPosition,
      shared: options.leases !== undefined,
    });
    if (options.source === undefined && options.client === undefined)
      throw new TypeError(
        `event source mapping ${options.mappingId}: give a client (to read the stream ${options.streamArn}) or a source`,
      );
    this.#source =
      options.source ??
      new LiveShardSource({
        client: options.client as DynamoDBStreamsClient,
        streamArn: options.streamArn,
        mappingId: options.mappingId,
        clock: this.#clock,
        logger: this.#logger,
        metrics: this.#metrics,
      });
    const source = this.#source;
    if (source.metrics !== undefined) this.#metrics.reportSource(() => source.metrics?.() ?? {});
    this.#filter =
      options.filter ??
      (this.config.FilterCriteria === undefined
        ? undefined
        : compileFilterCriteria(this.config.FilterCriteria));
  }

  get mappingId(): string {
    return this.#o.mappingId;
  }

  /**
   * IteratorAge and the EventCount metrics, per shard and in total, and the record source's own figures
   * (`source`: a bootstrap's progress) when it reports some.
   */
  metrics(): MetricsSnapshot {
    return this.#metrics.snapshot();
  }

  /**
   * Where the mapping is now: the shards it consumes, the records it has read and not yet finished with
   * (processed, filtered out or discarded), and the batches being processed (retries and backoff included).
   *
   * @example
   * const { recordsBehind, inFlight, byShard } = mapping.progress();
   */
  progress(): {
    readonly shards: number;
    readonly recordsBehind: number;
    readonly inFlight: number;
    /** The same, for each shard being consumed now (the dashboard charts it). */
    readonly byShard: Readonly<Record<string, { readonly recordsBehind: number; readonly inFlight: number }>>;
  } {
    let recordsBehind = 0;
    let inFlight = 0;
    const byShard: Record<string, { recordsBehind: number; inFlight: number }> = {};
    for (const [shardId, { consumer }] of this.#consumers) {
      const progress = consumer.progress;
      recordsBehind += progress.recordsBehind;
      inFlight += progress.inFlight;
      byShard[shardId] = { recordsBehind: progress.recordsBehind, inFlight: progress.inFlight };
    }
    return { shards: this.#consumers.size, recordsBehind, inFlight, byShard };
  }

  // Promise.withResolvers is Node 22+; the package runs on Node 20 too.
  #firstPassResolve: () => void = () => undefined;
  readonly #firstPass = new Promise<void>((resolve) => {
    this.#firstPassResolve = resolve;
  });

  /**
   * Resolves once the mapping's first look at the stream is done and each shard it consumes holds its first
   * iterator: from then on, a record written is one the mapping reads, even with `StartingPosition: LATEST`
   * (LATEST is fixed when the iterator is taken). `eddy dev` says "ready" only after this. A disabled mapping
   * resolves at once.
   *
   * @example
   * mapping.start();
   * await mapping.started();
   * await client.send(new PutItemCommand({ TableName: 'orders', Item })); // read, whatever the StartingPosition
   */
  async started(): Promise<void> {
    if (!this.config.Enabled) return;
    await this.#firstPass;
    await Promise.all([...this.#consumers.values()].map(({ consumer }) => consumer.positioned));
  }

  /**
   * Resolves `true` once every shard the source lists has ended and all its records are done (processed,
   * filtered out or discarded, and checkpointed): a finite source (a tape, a bounded range) is drained, and
   * the mapping can be stopped. Resolves `false` if the mapping is stopped first. A live stream drains only
   * when all its shards are closed and read (a disabled stream); a disabled mapping resolves `true` at once.
   *
   * @example
   * mapping.start();
   * if (await mapping.drained()) console.log('every record of the tape is processed');
   * await mapping.stop();
   */
  drained(): Promise<boolean> {
    if (!this.config.Enabled) return Promise.resolve(true);
    return this.#drained;
  }

  /** Starts consuming in the background. A disabled mapping (Enabled: false) does nothing. */
  start(): void {
    if (this.#running !== undefined || !this.config.Enabled) return;
    this.#unsubscribe = this.#o.wakeUps?.subscribe((shardId) => {
      const consumer = this.#consumers.get(shardId);
      if (consumer !== undefined) {
        consumer.waker.wake();
        return;
      }
      // A record in a shard not consumed yet: a new shard (split, rollover) whose parent may have ended
      // unseen by its idle consumer. The parents read to their end first, then discovery starts the child.
      this.#discovery.wake();
      for (const other of this.#consumers.values()) other.waker.wake();
    });
    this.#running = this.#discover(this.#abort.signal);
    if (this.#o.leases !== undefined) this.#renewing = this.#renewLeases(this.#o.leases, this.#abort.signal);
    void logMetricsEvery(
      this.#o.metricsLogIntervalMs ?? 60_000,
      { mappingId: this.#o.mappingId, metrics: this.#metrics, logger: this.#logger, clock: this.#clock },
      this.#abort.signal,
    );
  }

  /** Stops gracefully: in-flight invocations finish and their checkpoints are written before this resolves. */
  async stop(): Promise<void> {
    const reason = new Error('event source mapping stopped');
    this.#abort.abort(reason);
    for (const { abort } of this.#consumers.values()) abort.abort(reason);
    this.#firstPassResolve();
    this.#drainedResolve(false);
    this.#unsubscribe?.();
    await this.#running;
    await this.#renewing;
    await Promise.all([...this.#consumers.values()].map((c) => c.done));
    // Final checkpoints are written: hand every lease back so other workers take over at once.
    await this.#o.leases?.shutdown();
  }

  async #discover(signal: AbortSignal): Promise<void> {
    let initial = true;
    /** Listings that failed in a row: the next one comes after the retry policy's backoff, not a whole interval. */
    let failures = 0;
    const polling = this.#polling(this.#o.discoveryIntervalMs ?? 5_000);
    while (!signal.aborted) {
      try {
        const shards = await this.#source.listShards();
        const ready = await this.#lineage.ready(shards, initial);
        initial = false;
        // With leases, only the shards this worker holds (or may take) are consumed here.
        const mine =
          this.#o.leases === undefined
            ? new Set(ready.map((r) => r.shardId))
            : new Set(await this.#o.leases.claim(ready.map((r) => r.shardId)));
        // stop() may have come while the shards were listed, and stopped consumers leave #consumers: start none
        // after it, or stop() would wait for a consumer that nothing stops.
        if (signal.aborted) break;
        let started = 0;
        for (const { shardId, startAt } of ready) {
          if (mine.has(shardId) && !this.#consumers.has(shardId)) {
            this.#startConsumer(shardId, startAt);
            started += 1;
          }
        }
        this.#quietListings = started === 0 ? this.#quietListings + 1 : 0;
        this.#firstPassResolve();
        failures = 0;
        if (this.#consumers.size === 0 && shards.every((s) => this.#lineage.finished(s.shardId)))
          this.#drainedResolve(true);
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        this.#logger.error("could not list the stream's shards; retrying", {
          mappingId: this.#o.mappingId,
          attempt: failures,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      try {
        await this.#discovery.wait(
          this.#clock,
          failures === 0
            ? idlePollDelay(this.#quietListings, polling)
            : Math.min(polling.intervalMs, backoffDelay(TRANSIENT_RETRY, failures, Math.random)),
          signal,
        );
      } catch {
        break;
      }
    }
  }

  /** Keeps this worker's leases alive; stops the consumers of leases it lost or was asked to hand over. */
  async #renewLeases(leases: ShardLeases, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.#clock.sleep(this.#o.leaseRenewIntervalMs ?? 3_000, signal);
      } catch {
        return;
      }
      try {
        for (const shardId of await leases.renew()) {
          const consumer = this.#consumers.get(shardId);
          if (consumer === undefined) continue;
          this.#logger.info('lease lost or handed over; stopping the shard consumer', {
            mappingId: this.#o.mappingId,
            shardId,
          });
          consumer.abort.abort(new Error('lease handed over'));
          void consumer.done.then(() => leases.release(shardId).catch(() => undefined));
        }
      } catch (error) {
        this.#logger.error('could not renew leases; retrying', {
          mappingId: this.#o.mappingId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  #startConsumer(shardId: string, startAt: StartAt): void {
    const waker = new Waker();
    const consumer = new ShardConsumer({
      mappingId: this.#o.mappingId,
      streamArn: this.#o.streamArn,
      shardId,
      startAt,
      config: this.config,
      reader: this.#source.reader(shardId, startAt),
      invoker: this.#o.invoker,
      functionArn: this.#functionArn(),
      checkpoints: this.#checkpoints,
      metrics: this.#metrics,
      ...(this.#filter === undefined ? {} : { filter: this.#filter }),
      ...(this.#o.onFailure === undefined ? {} : { onFailure: this.#o.onFailure }),
      clock: this.#clock,
      waker,
      logger: this.#logger,
      pollIntervalMs: this.#o.pollIntervalMs ?? 250,
      idlePolling: this.#polling(this.#o.pollIntervalMs ?? 250),
      retryBackoff: this.#o.retryBackoff ?? { baseMs: 200, maxMs: 10_000 },
      ...(this.#o.onInvocation === undefined ? {} : { onInvocation: this.#o.onInvocation }),
      ...(this.#source.finite === true ? { windowsCloseOnRecords: true } : {}),
    });
    this.#logger.debug('shard consumer started', {
      mappingId: this.#o.mappingId,
      shardId,
      startAt: startAt.type,
    });
    // Each consumer can be stopped alone (a lease handed over), and `stop()` aborts each one: not a listener per
    // consumer on the mapping's signal, which past ten shards makes Node warn of a leak
    // (MaxListenersExceededWarning; test/integration/runtime/manyShardsNoWarnings.test.ts).
    const abort = new AbortController();
    const done = consumer.run(abort.signal).then(
      (result) => {
        this.#consumers.delete(shardId);
        if (result === 'ended') {
          this.#lineage.finish(shardId);
          // Read to its end and done: its counts stay in the totals, not as a shard kept forever.
          this.#metrics.retire(shardId);
          void this.#o.leases?.release(shardId).catch(() => undefined);
          this.#discovery.wake(); // its children may start now
        }
      },
      (error: unknown) => {
        // One shard's failure never stops the others; the shard is picked up again at the next discovery (whose
        // idle backoff starts over, so a failing shard is retried at the discovery interval).
        this.#consumers.delete(shardId);
        this.#quietListings = 0;
        this.#logger.error('shard consumer failed; it restarts from its checkpoint', {
          mappingId: this.#o.mappingId,
          shardId,
          error: error instanceof Error ? error.message : String(error),
        });
      },
    );
    this.#consumers.set(shardId, { consumer, waker, done, abort });
  }

  /** Lambda's fixed rate at `intervalMs`, or with the hint a backoff up to `idlePollMaxMs`. */
  #polling(intervalMs: number): IdlePolling {
    return {
      intervalMs,
      hinted: this.#o.wakeUps !== undefined,
      hintedMaxMs: Math.max(intervalMs, this.#o.idlePollMaxMs ?? 30_000),
    };
  }

  #functionArn(): string {
    if (this.#o.functionArn !== undefined) return this.#o.functionArn;
    const stream = parseStreamArn(this.#o.streamArn);
    return `arn:aws:lambda:${stream?.region ?? 'us-east-1'}:${stream?.accountId ?? '000000000000'}:function:${this.#o.invoker.functionName}`;
  }
}

export type { EventSourceMappingOptions };
export { EventSourceMapping };
