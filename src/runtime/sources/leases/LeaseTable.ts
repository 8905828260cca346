import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type LeaseItem, shardItemKey, TABLE_KEY, toLeaseItem } from '../../../leaseTable/leaseItem.js';
import { conditionalUpdate } from './conditionalUpdate.js';

/** Clears every lease attribute: the lease is free, the checkpoint attributes stay. */
const FREE = 'REMOVE #leaseOwner, #leaseToken, #leaseExpiresAt, #leaseHandoffTo ADD #leaseCounter :one';

/** Frees the lease for one worker only, until `leaseExpiresAt`; then for anyone. */
const RESERVED =
  'SET #leaseHandoffTo = :asker, #leaseExpiresAt = :until REMOVE #leaseOwner, #leaseToken ADD #leaseCounter :one';

/**
 * The lease half of one mapping's shard items (schema in `leaseItem.ts`). Every write is one conditional
 * UpdateItem, so two workers can never both succeed at taking the same lease:
 * - take: conditioned on `leaseCounter` being what the taker read, which every take, renewal and release bumps,
 *   so a lease seen free or expired is still so when it is taken;
 * - renew and release: conditioned on owner and token, so only the holder of this very take can do them;
 * - handoff request: conditioned on the holder being the one the asker saw; it does not bump the counter.
 *
 * @example
 * const table = new LeaseTable(client, 'eddy-leases', 'orders-projection');
 * const lease = await table.read('shardId-000001');
 * if (lease.owner === undefined) await table.take(lease, 'worker-1', randomUUID(), clock.now() + 10_000);
 */
class LeaseTable {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #mappingId: string;

  constructor(client: DynamoDBClient, tableName: string, mappingId: string) {
    this.#client = client;
    this.#tableName = tableName;
    this.#mappingId = mappingId;
  }

  async read(shardId: string): Promise<LeaseItem> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#tableName,
        Key: { [TABLE_KEY]: { S: shardItemKey(this.#mappingId, shardId) } },
        ConsistentRead: true,
      }),
    );
    return toLeaseItem(shardId, Item);
  }

  /** Takes a lease read as free or expired, if nobody changed it since. */
  async take(seen: LeaseItem, workerId: string, token: string, expiresAt: number): Promise<boolean> {
    const after = await conditionalUpdate(this.#client, {
      tableName: this.#tableName,
      key: shardItemKey(this.#mappingId, seen.shardId),
      update:
        'SET #mappingId = :mappingId, #shardId = :shardId, #leaseOwner = :owner, #leaseToken = :token, ' +
        '#leaseExpiresAt = :expiresAt REMOVE #leaseHandoffTo ADD #leaseCounter :one',
      condition: seen.counter === undefined ? 'attribute_not_exists(#leaseCounter)' : '#leaseCounter = :seen',
      values: {
        ':mappingId': { S: this.#mappingId },
        ':shardId': { S: seen.shardId },
        ':owner': { S: workerId },
        ':token': { S: token },
        ':expiresAt': { N: String(expiresAt) },
        ':one': { N: '1' },
        ...(seen.counter === undefined ? {} : { ':seen': { N: String(seen.counter) } }),
      },
    });
    return after !== undefined;
  }

  /**
   * Extends a held lease. Undefined when it is no longer this take's (taken over after expiring); otherwise the
   * lease as it is now, which tells whether another worker asked for it.
   */
  async renew(
    shardId: string,
    workerId: string,
    token: string,
    expiresAt: number,
  ): Promise<LeaseItem | undefined> {
    const after = await conditionalUpdate(this.#client, {
      tableName: this.#tableName,
      key: shardItemKey(this.#mappingId, shardId),
      update: 'SET #leaseExpiresAt = :expiresAt ADD #leaseCounter :one',
      condition: '#leaseOwner = :owner AND #leaseToken = :token',
      values: {
        ':owner': { S: workerId },
        ':token': { S: token },
        ':expiresAt': { N: String(expiresAt) },
        ':one': { N: '1' },
      },
      returnValues: 'ALL_NEW',
    });
    return after === undefined ? undefined : toLeaseItem(shardId, after);
  }

  /**
   * Frees a held lease so another worker can take it at once; false when it was not this take's any more.
   * With `reserveFor`, the lease was asked for: it stays reserved for the asker until `until`, so the asker, not
   * whoever claims first (the releasing worker included), gets it.
   */
  async release(
    shardId: string,
    workerId: string,
    token: string,
    reserveFor?: { readonly workerId: string; readonly until: number },
  ): Promise<boolean> {
    const after = await conditionalUpdate(this.#client, {
      tableName: this.#tableName,
      key: shardItemKey(this.#mappingId, shardId),
      update: reserveFor === undefined ? FREE : RESERVED,
      condition: '#leaseOwner = :owner AND #leaseToken = :token',
      values: {
        ':owner': { S: workerId },
        ':token': { S: token },
        ':one': { N: '1' },
        ...(reserveFor === undefined
          ? {}
          : { ':asker': { S: reserveFor.workerId }, ':until': { N: String(reserveFor.until) } }),
      },
    });
    return after !== undefined;
  }

  /** Asks the holder of `seen` to give it up at its next renewal; false when the lease changed hands since. */
  async requestHandoff(seen: LeaseItem, workerId: string): Promise<boolean> {
    if (seen.owner === undefined || seen.token === undefined) return false;
    const after = await conditionalUpdate(this.#client, {
      tableName: this.#tableName,
      key: shardItemKey(this.#mappingId, seen.shardId),
      update: 'SET #leaseHandoffTo = :asker',
      condition: '#leaseOwner = :owner AND #leaseToken = :token AND attribute_not_exists(#leaseHandoffTo)',
      values: { ':asker': { S: workerId }, ':owner': { S: seen.owner }, ':token': { S: seen.token } },
    });
    return after !== undefined;
  }
}

export { LeaseTable };
