import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * The schema of the table that holds checkpoints and leases (KCL keeps both in one item too, so a checkpoint
 * write can be conditioned on the lease in the same request).
 *
 * Key: `leaseKey` (S, HASH), nothing else; PAY_PER_REQUEST. Two kinds of items:
 *
 * **Shard items**, `leaseKey = "<mappingId>#<shardId>"` (shard ids never contain `#`):
 *
 * | attribute         | type | written by    | meaning                                                             |
 * |-------------------|------|---------------|---------------------------------------------------------------------|
 * | `mappingId`       | S    | both          | for people reading the table                                        |
 * | `shardId`         | S    | both          | for people reading the table                                        |
 * | `checkpoint`      | S    | checkpoints   | sequence number of the last record handled, as AWS wrote it        |
 * | `checkpointOrder` | S    | checkpoints   | the same, zero-padded to 40 digits: text order = numeric order      |
 * | `shardEnded`      | BOOL | checkpoints   | the shard was read to its end                                       |
 * | `leaseOwner`      | S    | leases        | worker id of the holder; absent when the lease is free              |
 * | `leaseToken`      | S    | leases        | new for every take: fences writes from an earlier holding           |
 * | `leaseCounter`    | N    | leases        | +1 on every take, renewal and release: takes are conditioned on it  |
 * | `leaseExpiresAt`  | N    | leases        | epoch ms (holder's clock) after which others may take the lease     |
 * | `leaseHandoffTo`  | S    | leases        | a worker below its fair share asked the holder to give the lease up;|
 * |                   |      |               | on a free lease: reserved for that worker until `leaseExpiresAt`    |
 *
 * **The worker registry**, `leaseKey = "<mappingId>#$workers"`: `workers` (M), worker id → N (epoch ms until
 * which the worker counts as alive). Workers refresh their entry with every renewal; it tells each worker how
 * many share the stream, so no one takes more than its fair share, even workers that hold no lease yet.
 *
 * Only GetItem and conditional UpdateItem are used, so the same code runs against the emulator, DynamoDB Local
 * and AWS.
 */
const TABLE_KEY = 'leaseKey';

const shardItemKey = (mappingId: string, shardId: string): string => `${mappingId}#${shardId}`;

const workersItemKey = (mappingId: string): string => `${mappingId}#$workers`;

/** A shard item as the lease logic sees it. `counter` is absent when the lease was never taken. */
interface LeaseItem {
  readonly shardId: string;
  readonly owner?: string;
  readonly token?: string;
  readonly counter?: number;
  readonly expiresAt?: number;
  readonly handoffTo?: string;
  readonly shardEnded: boolean;
}

type Item = Record<string, AttributeValue>;

const text = (item: Item | undefined, name: string): string | undefined => item?.[name]?.S;

const number = (item: Item | undefined, name: string): number | undefined => {
  const n = item?.[name]?.N;
  return n === undefined ? undefined : Number(n);
};

/** Reads a shard item (or its absence) into a LeaseItem. */
const toLeaseItem = (shardId: string, item: Item | undefined): LeaseItem => {
  const owner = text(item, 'leaseOwner');
  const token = text(item, 'leaseToken');
  const counter = number(item, 'leaseCounter');
  const expiresAt = number(item, 'leaseExpiresAt');
  const handoffTo = text(item, 'leaseHandoffTo');
  return {
    shardId,
    ...(owner === undefined ? {} : { owner }),
    ...(token === undefined ? {} : { token }),
    ...(counter === undefined ? {} : { counter }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(handoffTo === undefined ? {} : { handoffTo }),
    shardEnded: item?.shardEnded?.BOOL === true,
  };
};

/**
 * ExpressionAttributeNames for every `#name` in the expressions: `#leaseOwner` stands for `leaseOwner`, unless
 * `aliases` says otherwise (worker ids are no valid names). DynamoDB rejects unused names, so only used ones go.
 */
const namesIn = (
  expressions: readonly string[],
  aliases: Record<string, string> = {},
): Record<string, string> => {
  const names: Record<string, string> = {};
  for (const expression of expressions) {
    for (const [placeholder, name] of expression.matchAll(/#([A-Za-z0-9_]+)/g)) {
      names[placeholder] = Object.hasOwn(aliases, placeholder)
        ? (aliases[placeholder] as string)
        : (name as string);
    }
  }
  return names;
};

export type { LeaseItem };
export { namesIn, shardItemKey, TABLE_KEY, toLeaseItem, workersItemKey };
