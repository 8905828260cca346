import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { workersItemKey } from '../../../leaseTable/leaseItem.js';
import type { RetryPolicy } from '../../../retry/RetryPolicy.js';
import { retrying } from '../../../retry/retrying.js';
import { type Clock, systemClock } from '../../../time/clock.js';
import { conditionalUpdate } from './conditionalUpdate.js';

/**
 * How a heartbeat tries again when another worker created the workers map between its two steps: after 10 ms
 * doubling up to 100 ms, with full jitter, so that workers starting together spread out, 5 tries in all. One
 * retry is enough unless the map is removed meanwhile, which nothing does.
 */
const REGISTRY_RACE_RETRY: RetryPolicy = { baseMs: 10, maxMs: 100, maxAttempts: 5, jitter: 'full' };

/** Both steps of a heartbeat found the map otherwise than they were conditional on. */
class RegistryRaceLost extends Error {}

/**
 * The workers sharing one mapping's stream: one item whose `workers` map holds, per worker id, the epoch ms
 * until which that worker counts as alive. A worker refreshes its entry with every renewal, so a worker that
 * holds no lease yet still counts when others compute their fair share. One item, not one per worker: the
 * heartbeat's own UpdateItem returns the whole registry (ALL_NEW), so no Query or Scan is needed.
 *
 * @example
 * const registry = new WorkerRegistry(client, 'eddy-leases', 'orders-projection', systemClock);
 * const live = await registry.heartbeat('worker-1', now + 10_000, now);
 */
class WorkerRegistry {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #mappingId: string;
  readonly #clock: Clock;

  /** `clock`: what the backoff between a heartbeat's tries sleeps on (the LeaseManager's). */
  constructor(client: DynamoDBClient, tableName: string, mappingId: string, clock: Clock = systemClock) {
    this.#client = client;
    this.#tableName = tableName;
    this.#mappingId = mappingId;
    this.#clock = clock;
  }

  /**
   * Marks `workerId` alive until `aliveUntil` and returns the workers alive at `now` (this one included).
   * Entries dead since before `forgetBefore` are removed, best effort, so the item does not grow forever.
   */
  async heartbeat(
    workerId: string,
    aliveUntil: number,
    now: number,
    forgetBefore = now,
  ): Promise<Set<string>> {
    const request = {
      tableName: this.#tableName,
      key: workersItemKey(this.#mappingId),
      aliases: { '#worker': workerId },
      returnValues: 'ALL_NEW' as const,
    };
    const until = { N: String(aliveUntil) };
    // The map must exist before an entry can be set in it, and both cannot be one update: two steps, each
    // conditional, repeated after a backoff if another worker created the map in between.
    const register = async (): Promise<Record<string, AttributeValue>> => {
      const item =
        (await conditionalUpdate(this.#client, {
          ...request,
          update: 'SET #workers.#worker = :until',
          condition: 'attribute_exists(#workers)',
          values: { ':until': until },
        })) ??
        (await conditionalUpdate(this.#client, {
          ...request,
          update: 'SET #workers = :workers, #mappingId = :mappingId',
          condition: 'attribute_not_exists(#workers)',
          values: { ':workers': { M: { [workerId]: until } }, ':mappingId': { S: this.#mappingId } },
        }));
      if (item === undefined) throw new RegistryRaceLost();
      return item;
    };
    const item = await retrying(register, {
      policy: REGISTRY_RACE_RETRY,
      clock: this.#clock,
      retryOn: (error) => error instanceof RegistryRaceLost,
    }).catch((error: unknown) => {
      if (!(error instanceof RegistryRaceLost)) throw error;
      throw new Error(
        `worker ${workerId} could not register in the workers item of mapping ${this.#mappingId} in table ` +
          `${this.#tableName}: other writers changed it ${REGISTRY_RACE_RETRY.maxAttempts} times in a row`,
      );
    });
    const live = new Set<string>([workerId]);
    for (const [id, value] of Object.entries(item.workers?.M ?? {})) {
      const until = Number(value.N);
      if (until > now) live.add(id);
      else if (until < forgetBefore) await this.#forget(id, value);
    }
    return live;
  }

  /** Removes this worker's entry on a graceful stop, so the others count without it at once. */
  async leave(workerId: string): Promise<void> {
    await conditionalUpdate(this.#client, {
      tableName: this.#tableName,
      key: workersItemKey(this.#mappingId),
      aliases: { '#worker': workerId },
      update: 'REMOVE #workers.#worker',
      condition: 'attribute_exists(#workers)',
    });
  }

  /** Removes a dead worker's entry unless it came back in the meantime. */
  async #forget(workerId: string, seen: AttributeValue): Promise<void> {
    await conditionalUpdate(this.#client, {
      tableName: this.#tableName,
      key: workersItemKey(this.#mappingId),
      aliases: { '#worker': workerId },
      update: 'REMOVE #workers.#worker',
      condition: '#workers.#worker = :seen',
      values: { ':seen': seen },
    });
  }
}

export { REGISTRY_RACE_RETRY, WorkerRegistry };
