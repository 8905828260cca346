import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBCheckpointStore, type LeaseFence } from '../../../checkpoint/DynamoDBCheckpointStore.js';
import { type Clock, systemClock } from '../../../time/clock.js';
import { type Logger, silentLogger } from '../../observability/logger.js';
import { LeaseTable } from './LeaseTable.js';
import { planClaims } from './planClaims.js';
import type { ShardLeases } from './ShardLeases.js';
import { WorkerRegistry } from './WorkerRegistry.js';

/**
 * How long a lease lasts without renewal: a killed worker's shards are taken over this long after its last
 * renewal. KCL's `failoverTimeMillis` default.
 * @default 10000
 *
 * @example
 * new LeaseManager({ ...options, leaseDurationMs: 2 * DEFAULT_LEASE_DURATION_MS });
 */
const DEFAULT_LEASE_DURATION_MS = 10_000;

/**
 * Where leases are kept (a DynamoDB table), which mapping and worker they are for, and their timings.
 *
 * @example
 * const leases = new LeaseManager({
 *   client: new DynamoDBClient({}),
 *   tableName: 'eddy-leases',
 *   mappingId: 'orders-view',
 *   workerId: `${hostname()}-${process.pid}`,
 * });
 * await leases.ensureTable();
 * new EventSourceMapping({ ...options, leases, checkpoints: leases.checkpoints });
 */
interface LeaseManagerOptions {
  readonly client: DynamoDBClient;
  /** The table of checkpoints and leases (created by `ensureTable`); several mappings can share it. */
  readonly tableName: string;
  readonly mappingId: string;
  /** Unique per process. @default `<hostname>:<pid>:<random>` */
  readonly workerId?: string;
  readonly clock?: Clock;
  /** @default DEFAULT_LEASE_DURATION_MS */
  readonly leaseDurationMs?: number;
  /** How often `runRenewals` renews; well below the lease duration. @default leaseDurationMs / 3 */
  readonly renewIntervalMs?: number;
  readonly logger?: Logger;
}

interface HeldLease {
  readonly token: string;
  /** By this worker's clock: after it, the lease may be another worker's, so this one stops writing. */
  readonly expiresAt: number;
  /** Another worker asked for the lease: when that was reported, and to whom it goes on release. */
  readonly handover?: { readonly since: number; readonly to: string };
}

/**
 * Lets several worker processes share one mapping's shards, as Java's KCL does: each shard's lease is held by
 * one worker at a time, in a DynamoDB table that also holds the checkpoints (schema in `leaseItem.ts`).
 * - `claim` takes free and expired leases up to the fair share, ceil(shards / live workers); live workers are
 *   known from a registry item each worker refreshes, so one that holds nothing yet still counts. A worker below
 *   its share asks the most loaded one to hand a lease over; the holder gives it up after its final checkpoint.
 * - `renew` (or `runRenewals` in the background) extends the leases; a killed worker stops renewing and its
 *   leases expire after `leaseDurationMs`, when the others take them over.
 * - `checkpoints` is a checkpoint store whose writes are conditioned on holding the shard's lease, so a worker
 *   that lost a lease cannot move its checkpoint (LeaseLostError).
 * Every write is a conditional UpdateItem, so no lease is ever held by two workers. Timing follows the injected
 * Clock; expiry times are epoch ms of the holder's clock, so hosts' clocks must agree to well within the lease
 * duration (NTP does).
 *
 * @example
 * const leases = new LeaseManager({ client: new DynamoDBClient({}), tableName: 'eddy-leases',
 *   mappingId: 'orders-projection' });
 * await leases.ensureTable();
 * void leases.runRenewals(signal, (shardIds) => shardIds.forEach(stopConsumer));
 * for (const shardId of await leases.claim(readyShardIds)) startConsumer(shardId, leases.checkpoints);
 * // on stop: final checkpoints, then
 * await leases.shutdown();
 */
class LeaseManager implements ShardLeases {
  readonly workerId: string;
  readonly mappingId: string;
  readonly leaseDurationMs: number;
  readonly renewIntervalMs: number;
  /** Checkpoints in the same table, written only while this worker holds the shard's lease. */
  readonly checkpoints: DynamoDBCheckpointStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #table: LeaseTable;
  readonly #registry: WorkerRegistry;
  readonly #held = new Map<string, HeldLease>();
  /** Shards to report from the next `renew`. */
  readonly #toStop = new Set<string>();
  /** Claims run one at a time, so concurrent calls never count the same free lease twice. */
  #claiming: Promise<unknown> = Promise.resolve();

  constructor(options: LeaseManagerOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.mappingId = options.mappingId;
    this.leaseDurationMs = options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewIntervalMs = options.renewIntervalMs ?? Math.floor(this.leaseDurationMs / 3);
    if (!(this.leaseDurationMs > 0)) throw new RangeError('leaseDurationMs must be positive');
    if (!(this.renewIntervalMs > 0 && this.renewIntervalMs < this.leaseDurationMs)) {
      throw new RangeError('renewIntervalMs must be positive and shorter than leaseDurationMs');
    }
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#table = new LeaseTable(options.client, options.tableName, options.mappingId);
    this.#registry = new WorkerRegistry(options.client, options.tableName, options.mappingId, this.#clock);
    const fence: LeaseFence = {
      workerId: this.workerId,
      tokenFor: (mappingId, shardId) =>
        mappingId === this.mappingId && this.owns(shardId) ? this.#held.get(shardId)?.token : undefined,
    };
    this.checkpoints = new DynamoDBCheckpointStore(options.client, options.tableName, { leaseFence: fence });
  }

  /** Creates the table unless it exists (see DynamoDBCheckpointStore.ensureTable). */
  ensureTable(): Promise<void> {
    return this.checkpoints.ensureTable();
  }

  claim(readyShardIds: readonly string[]): Promise<string[]> {
    const run = this.#claiming.then(() => this.#claim([...new Set(readyShardIds)]));
    this.#claiming = run.catch(() => undefined);
    return run;
  }

  async renew(): Promise<string[]> {
    const now = this.#clock.now();
    try {
      await this.#registry.heartbeat(
        this.workerId,
        now + this.leaseDurationMs,
        now,
        now - this.leaseDurationMs,
      );
    } catch (error) {
      this.#warn('could not refresh this worker in the registry', undefined, error);
    }
    await Promise.all([...this.#held].map(([shardId, lease]) => this.#renewOne(shardId, lease)));
    const toStop = [...this.#toStop];
    this.#toStop.clear();
    return toStop;
  }

  async release(shardId: string): Promise<void> {
    const lease = this.#held.get(shardId);
    this.#toStop.delete(shardId);
    if (lease === undefined) return;
    this.#held.delete(shardId);
    await this.#release(shardId, lease);
  }

  owns(shardId: string): boolean {
    const lease = this.#held.get(shardId);
    return lease !== undefined && this.#clock.now() < lease.expiresAt;
  }

  /** The shards whose lease this worker holds now. */
  held(): string[] {
    return [...this.#held.keys()].filter((shardId) => this.owns(shardId));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.#held.keys()].map((shardId) => this.release(shardId)));
    await this.#registry.leave(this.workerId);
  }

  /**
   * Renews every `renewIntervalMs` of the clock until `signal` aborts, handing the shards to stop to `onStop`.
   * A failed renewal is logged and tried again at the next interval.
   */
  async runRenewals(signal: AbortSignal, onStop: (shardIds: string[]) => void): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.#clock.sleep(this.renewIntervalMs, signal);
      } catch {
        return;
      }
      try {
        const toStop = await this.renew();
        if (toStop.length > 0) onStop(toStop);
      } catch (error) {
        this.#warn('lease renewal failed; retrying', undefined, error);
      }
    }
  }

  async #claim(shardIds: readonly string[]): Promise<string[]> {
    const now = this.#clock.now();
    const liveWorkers = await this.#registry.heartbeat(
      this.workerId,
      now + this.leaseDurationMs,
      now,
      now - this.leaseDurationMs,
    );
    const leases = await Promise.all(shardIds.map((shardId) => this.#table.read(shardId)));
    for (const lease of leases) {
      const held = this.#held.get(lease.shardId);
      if (held !== undefined && (lease.owner !== this.workerId || lease.token !== held.token)) {
        this.#lose(lease.shardId, held.token);
      }
    }
    const heldTokens = new Map([...this.#held].map(([shardId, { token }]) => [shardId, token] as const));
    const plan = planClaims({ workerId: this.workerId, now, leases, liveWorkers, heldTokens });
    await Promise.all(
      plan.take.map(async (lease) => {
        const token = randomUUID();
        const expiresAt = this.#clock.now() + this.leaseDurationMs;
        if (await this.#table.take(lease, this.workerId, token, expiresAt)) {
          this.#held.set(lease.shardId, { token, expiresAt });
          this.#logger.info('lease taken', this.#fields(lease.shardId, { from: lease.owner ?? '(free)' }));
        }
      }),
    );
    if (plan.handoff !== undefined && (await this.#table.requestHandoff(plan.handoff, this.workerId))) {
      this.#logger.info(
        'lease handoff requested',
        this.#fields(plan.handoff.shardId, { from: plan.handoff.owner }),
      );
    }
    return shardIds.filter(
      (shardId) => this.owns(shardId) && this.#held.get(shardId)?.handover === undefined,
    );
  }

  async #renewOne(shardId: string, lease: HeldLease): Promise<void> {
    const now = this.#clock.now();
    const expiresAt = now + this.leaseDurationMs;
    try {
      if (lease.handover !== undefined && now - lease.handover.since >= this.leaseDurationMs) {
        // Asked for, reported, and still not released: give it up so the asker is not kept waiting.
        this.#held.delete(shardId);
        await this.#release(shardId, lease);
        return;
      }
      const after = await this.#table.renew(shardId, this.workerId, lease.token, expiresAt);
      if (this.#held.get(shardId)?.token !== lease.token) return; // released meanwhile
      if (after === undefined) {
        this.#lose(shardId, lease.token);
        return;
      }
      const to = lease.handover === undefined ? after.handoffTo : undefined;
      this.#held.set(shardId, {
        ...lease,
        expiresAt,
        ...(to === undefined ? {} : { handover: { since: now, to } }),
      });
      if (to !== undefined) {
        this.#toStop.add(shardId);
        this.#logger.info('lease asked for; handing it over', this.#fields(shardId, { to }));
      }
    } catch (error) {
      this.#warn('could not renew a lease', shardId, error);
      if (this.#clock.now() >= lease.expiresAt) this.#lose(shardId, lease.token);
    }
  }

  /** Frees a lease in the table; one asked for stays reserved for the asker for a lease duration. */
  async #release(shardId: string, lease: HeldLease): Promise<void> {
    const reserveFor =
      lease.handover === undefined
        ? undefined
        : { workerId: lease.handover.to, until: this.#clock.now() + this.leaseDurationMs };
    await this.#table.release(shardId, this.workerId, lease.token, reserveFor);
  }

  /** Forgets a lease that is no longer this worker's and reports it at the next renewal. */
  #lose(shardId: string, token: string): void {
    if (this.#held.get(shardId)?.token !== token) return;
    this.#held.delete(shardId);
    this.#toStop.add(shardId);
    this.#logger.warn('lease lost', this.#fields(shardId));
  }

  #fields(shardId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { mappingId: this.mappingId, workerId: this.workerId, shardId, ...extra };
  }

  #warn(message: string, shardId: string | undefined, error: unknown): void {
    this.#logger.warn(message, {
      ...this.#fields(shardId ?? '(all)'),
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

export type { LeaseManagerOptions };
export { DEFAULT_LEASE_DURATION_MS, LeaseManager };
