import type { Operation } from '../../operation.js';

/**
 * AWS's default provisioned-capacity quotas of an account in a region: 80 000 read and write capacity units
 * for the account, 40 000 per table (and per global secondary index).
 */
const describeLimits: Operation = () => ({
  AccountMaxReadCapacityUnits: 80_000,
  AccountMaxWriteCapacityUnits: 80_000,
  TableMaxReadCapacityUnits: 40_000,
  TableMaxWriteCapacityUnits: 40_000,
});

export { describeLimits };
