import type { Region } from '../Region.js';

/** DynamoDB leaves alone items whose TTL lies more than five years in the past. */
const IGNORED_AFTER_MS = 5 * 365 * 24 * 60 * 60 * 1000;

/**
 * Deletes the region's expired items: items of TTL-enabled tables whose TTL attribute is a Number of epoch
 * seconds before `now`, unless it is more than five years before `now` (DynamoDB ignores those). Each delete is
 * a system delete, so the stream gets a REMOVE record with `userIdentity {type: Service, principalId:
 * dynamodb.amazonaws.com}`. Reads the tables' TTL indexes, never scans the tables. Returns how many items it
 * deleted.
 */
const sweepExpiredItems = (region: Region, now: number): number => {
  let deleted = 0;
  for (const [table, state] of region.tableStates) {
    const ttl = state.ttl;
    if (ttl === undefined || region.tables.get(table.name) !== table) continue;
    for (const { key, expiresAt } of ttl.takeExpired(now, now - IGNORED_AFTER_MS)) {
      const item = table.getItem(key);
      // The index follows every write, so this holds; checking costs one lookup and keeps a stale entry harmless.
      if (item === undefined || ttl.expiryOf(item) !== expiresAt) continue;
      table.write(key, undefined, { bySystem: true });
      deleted++;
    }
  }
  return deleted;
};

export { IGNORED_AFTER_MS, sweepExpiredItems };
