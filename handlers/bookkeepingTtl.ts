import type { CollectionTtl } from '../src/index.js';

/**
 * How long the examples keep the rows that exist only for bookkeeping (view and replication tombstones, the
 * aggregate's applied-sequence ledger) before the table's TTL collects them: `BOOKKEEPING_TTL_DAYS` days
 * (template.yaml sets it for every function in Globals; at least 1, the stream's 24-hour retention), on the
 * attribute every example table names in its `TimeToLiveSpecification`.
 */
const bookkeepingTtl = (): CollectionTtl => {
  const days = Number(process.env.BOOKKEEPING_TTL_DAYS ?? '7');
  // The operators refuse less than a day, with a message that says why.
  return { attribute: 'expiresAt', seconds: Math.round(days * 24 * 60 * 60) };
};

export { bookkeepingTtl };
