import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { workersItemKey } from '../../../leaseTable/leaseItem.js';
import { conditionalUpdate } from './conditionalUpdate.js';

/**
 * The workers sharing one mapping's stream: one item whose `workers` map holds, per worker id, the epoch ms
 * until which that worker counts as alive. A worker refreshes its entry with every renewal, so a worker that
 * holds no lease yet still counts when others compute their fair share. One item, not one per worker: the
 * heartbeat's own UpdateItem returns the whole registry (ALL_NEW), so no Query or Scan is needed.
 *
 * @example
 * const registry = new WorkerRegistry(client, 'eddy-leases', 'orders-projection');
 * const live = await registry.heartbeat('worker-1', now + 10_000, now);
 */
class WorkerRegistry {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #mappingId: string;

  constructor(client: DynamoDBClient, tableName: string, mappingId: string) {
    this.#client = client;
    this.#tableName = tableName;
    this.#mappingId = mappingId;
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
    let item: Record<string, AttributeValue> | undefined;
    // The map must exist before an entry can be set in it, and both cannot be one update: two steps, each
    // conditional, repeated if another worker created the map in between.
    for (let attempt = 0; item === undefined && attempt < 5; attempt++) {
      item =
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
    }
    const live = new Set<string>([workerId]);
    for (const [id, value] of Object.entries(item?.workers?.M ?? {})) {
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

export { WorkerRegistry };
