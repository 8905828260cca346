import {
  CapacityUsage,
  consumedCapacityMember,
  type IndexRef,
  readCapacityUnits,
} from './consumedCapacity.js';

/** What a Query or Scan page read, in bytes as DynamoDB sizes items (`readPage`'s `reads`). */
interface PageReadBytes {
  /** The entries read from the table, or from the index the request names. */
  readonly entryBytes: number;
  /** Table items fetched for index entries (local indexes reading non-projected attributes). */
  readonly fetchedBytes: number;
}

/**
 * The `ConsumedCapacity` member of a Query or Scan page: the bytes it read, summed and then rounded up to 4 KB
 * (not item by item, as GetItem's are), half for an eventually consistent read, charged to the index it read (or
 * the table); the table items a local index read fetched are charged to the table. Nothing unless asked for.
 */
const pageReadCapacity = (
  mode: unknown,
  tableName: string,
  index: IndexRef | undefined,
  reads: PageReadBytes,
  consistentRead: boolean,
): Record<string, unknown> => {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  const consistency = consistentRead ? 'strong' : 'eventual';
  const usage = new CapacityUsage(tableName);
  usage.addRead(readCapacityUnits(reads.entryBytes, consistency), index);
  if (reads.fetchedBytes > 0) usage.addRead(readCapacityUnits(reads.fetchedBytes, consistency));
  return consumedCapacityMember(mode, usage);
};

export type { PageReadBytes };
export { pageReadCapacity };
