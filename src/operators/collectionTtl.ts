/**
 * Time to Live for rows an operator keeps only for bookkeeping: projection and replication tombstones, and the
 * aggregates' applied-sequence ledger. Rows that carry the attribute are collected by DynamoDB's TTL once it
 * has passed; rows that hold data never carry it.
 *
 * A bookkeeping row is what tells a redelivered or replayed record that it is old news, so it must outlive
 * every record that could still arrive: the stream keeps records for 24 hours, hence the minimum. Allow for
 * how far behind your consumers may fall (and, for replication, how long a region may be cut off) on top.
 *
 * @example
 * const sevenDays: CollectionTtl = { attribute: 'expiresAt', seconds: 7 * 24 * 60 * 60 };
 * project({ client, tableName: 'order-view', view, tombstoneTtl: sevenDays });
 */
interface CollectionTtl {
  /** The table's TTL attribute (`TimeToLiveSpecification.AttributeName`, or UpdateTimeToLive). */
  readonly attribute: string;
  /** How long after the change the row may be collected, in seconds; at least 86 400 (24 hours). */
  readonly seconds: number;
}

/** The stream's retention: no record older than this can be redelivered. */
const MIN_COLLECTION_SECONDS = 24 * 60 * 60;

/**
 * Refuses a TTL that could collect a bookkeeping row while a record it guards against can still arrive.
 * @internal
 */
const checkCollectionTtl = (ttl: CollectionTtl | undefined, option: string): void => {
  if (ttl === undefined) return;
  if (typeof ttl.attribute !== 'string' || ttl.attribute === '') {
    throw new TypeError(`${option}.attribute must name the table's TTL attribute`);
  }
  if (!Number.isInteger(ttl.seconds) || ttl.seconds < MIN_COLLECTION_SECONDS) {
    throw new RangeError(
      `${option}.seconds must be a whole number of at least ${MIN_COLLECTION_SECONDS} (the stream's 24-hour ` +
        `retention), so a redelivered or replayed record still finds the row; got ${ttl.seconds}`,
    );
  }
};

/**
 * The TTL attribute of a bookkeeping row for a change made at `epochSeconds`: derived from the change, never
 * from the clock, so replaying the stream writes the same row.
 * @internal
 */
const collectionAttributes = (
  ttl: CollectionTtl | undefined,
  epochSeconds: number,
): Record<string, number> =>
  ttl === undefined ? {} : { [ttl.attribute]: Math.floor(epochSeconds) + ttl.seconds };

export type { CollectionTtl };
export { checkCollectionTtl, collectionAttributes, MIN_COLLECTION_SECONDS };
