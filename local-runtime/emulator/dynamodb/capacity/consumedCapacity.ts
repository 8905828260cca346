import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';

/**
 * DynamoDB's capacity arithmetic and the `ConsumedCapacity` it reports (DynamoDB developer guide, "Read/write
 * capacity mode" and "Capacity unit consumption"). Pure: sizes in, units out.
 *
 * - A write consumes 1 WCU per 1 KB, rounded up, of the larger of the item before and after it: even a write
 *   that changes nothing, or deletes an item that is not there, consumes 1 WCU.
 * - A strongly consistent read consumes 1 RCU per 4 KB, rounded up; an eventually consistent one half that. A
 *   read of an item that does not exist still consumes the minimum (1 RCU, or 0.5).
 * - Transactional reads and writes cost double: DynamoDB reads or writes every item twice (prepare, commit).
 * - Writes to secondary indexes consume capacity on the index too, reported apart under `INDEXES`.
 */

const RETURN_CONSUMED_CAPACITY = ['INDEXES', 'TOTAL', 'NONE'] as const;
type ReturnConsumedCapacity = (typeof RETURN_CONSUMED_CAPACITY)[number];

/** How a read is served, which sets its price per 4 KB. */
type ReadConsistency = 'eventual' | 'strong' | 'transactional';

const READ_UNIT_BYTES = 4 * 1024;
const WRITE_UNIT_BYTES = 1024;

/**
 * Read capacity units for reading `sizeBytes` in one go: one item (GetItem, each key of BatchGetItem) or the
 * sum of the items a Query or Scan page read. Zero bytes (no item) still costs the minimum.
 */
const readCapacityUnits = (sizeBytes: number, consistency: ReadConsistency): number => {
  const units = Math.max(1, Math.ceil(sizeBytes / READ_UNIT_BYTES));
  if (consistency === 'eventual') return units / 2;
  return consistency === 'transactional' ? units * 2 : units;
};

/** Read capacity units for reading one item (GetItem, a key of BatchGetItem or TransactGetItems); none: the minimum. */
const itemReadUnits = (item: AttributeMap | undefined, consistency: ReadConsistency): number =>
  readCapacityUnits(item === undefined ? 0 : itemSize(item), consistency);

/** Write capacity units for writing `sizeBytes` (the larger of the item before and after the write). */
const writeCapacityUnits = (sizeBytes: number, transactional = false): number =>
  Math.max(1, Math.ceil(sizeBytes / WRITE_UNIT_BYTES)) * (transactional ? 2 : 1);

/** Units consumed on one table or index; a kind is undefined until something of that kind was charged. */
interface Units {
  read?: number;
  write?: number;
}

const NO_INDEXES: ReadonlyMap<string, Units> = new Map();

/** Names a secondary index an amount is charged to. */
interface IndexRef {
  readonly name: string;
  readonly global: boolean;
}

/**
 * What one request consumed on one table: on the table itself and on each of its secondary indexes. Batch and
 * transaction operations keep one per table, in the order the tables first appear in the request.
 */
class CapacityUsage {
  readonly tableName: string;
  readonly table: Units = {};
  // Made on first use: most requests charge no index, and every request has a usage.
  #globalIndexes: Map<string, Units> | undefined;
  #localIndexes: Map<string, Units> | undefined;

  constructor(tableName: string) {
    this.tableName = tableName;
  }

  /** Units charged to each global secondary index, by name. */
  get globalIndexes(): ReadonlyMap<string, Units> {
    return this.#globalIndexes ?? NO_INDEXES;
  }

  /** Units charged to each local secondary index, by name. */
  get localIndexes(): ReadonlyMap<string, Units> {
    return this.#localIndexes ?? NO_INDEXES;
  }

  /** Charges read units to the table, or to one of its indexes. */
  addRead(units: number, index?: IndexRef): void {
    const target = this.#target(index);
    target.read = (target.read ?? 0) + units;
  }

  /** Charges write units to the table, or to one of its indexes. */
  addWrite(units: number, index?: IndexRef): void {
    const target = this.#target(index);
    target.write = (target.write ?? 0) + units;
  }

  #target(index: IndexRef | undefined): Units {
    if (index === undefined) return this.table;
    let indexes: Map<string, Units>;
    if (index.global) {
      this.#globalIndexes ??= new Map();
      indexes = this.#globalIndexes;
    } else {
      this.#localIndexes ??= new Map();
      indexes = this.#localIndexes;
    }
    let units = indexes.get(index.name);
    if (units === undefined) {
      units = {};
      indexes.set(index.name, units);
    }
    return units;
  }
}

/** The usage of `tableName` in a per-table map (batches, transactions), created on first use. */
const usageFor = (usages: Map<string, CapacityUsage>, tableName: string): CapacityUsage => {
  let usage = usages.get(tableName);
  if (usage === undefined) {
    usage = new CapacityUsage(tableName);
    usages.set(tableName, usage);
  }
  return usage;
};

/** `{ CapacityUnits, ReadCapacityUnits?, WriteCapacityUnits? }` for some units. */
const capacityOf = (units: Units): Record<string, number> => ({
  CapacityUnits: (units.read ?? 0) + (units.write ?? 0),
  ...(units.read === undefined ? {} : { ReadCapacityUnits: units.read }),
  ...(units.write === undefined ? {} : { WriteCapacityUnits: units.write }),
});

const sumUnits = (all: Iterable<Units>): Units => {
  const total: Units = {};
  for (const units of all) {
    if (units.read !== undefined) total.read = (total.read ?? 0) + units.read;
    if (units.write !== undefined) total.write = (total.write ?? 0) + units.write;
  }
  return total;
};

const capacityMap = (indexes: ReadonlyMap<string, Units>): Record<string, Record<string, number>> =>
  Object.fromEntries([...indexes].map(([name, units]) => [name, capacityOf(units)]));

/**
 * One table's `ConsumedCapacity` for ReturnConsumedCapacity: TOTAL gives the table name and the units of the
 * table and its indexes together; INDEXES adds the table's own units and each index's. NONE (or no value) gives
 * undefined, and the response carries no ConsumedCapacity.
 */
const consumedCapacity = (mode: unknown, usage: CapacityUsage): Record<string, unknown> | undefined => {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const total = sumUnits([usage.table, ...usage.globalIndexes.values(), ...usage.localIndexes.values()]);
  return {
    TableName: usage.tableName,
    ...capacityOf(total),
    ...(mode === 'INDEXES'
      ? {
          Table: capacityOf(usage.table),
          ...(usage.localIndexes.size > 0 ? { LocalSecondaryIndexes: capacityMap(usage.localIndexes) } : {}),
          ...(usage.globalIndexes.size > 0
            ? { GlobalSecondaryIndexes: capacityMap(usage.globalIndexes) }
            : {}),
        }
      : {}),
  };
};

/** The `ConsumedCapacity` member of a single-table response: `{ ConsumedCapacity }` or nothing. */
const consumedCapacityMember = (mode: unknown, usage: CapacityUsage): Record<string, unknown> => {
  const capacity = consumedCapacity(mode, usage);
  return capacity === undefined ? {} : { ConsumedCapacity: capacity };
};

/** The `ConsumedCapacity` member of a batch or transaction response: one entry per table, or nothing. */
const consumedCapacitiesMember = (
  mode: unknown,
  usages: Iterable<CapacityUsage>,
): Record<string, unknown> => {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  return { ConsumedCapacity: [...usages].map((usage) => consumedCapacity(mode, usage)) };
};

export type { IndexRef, ReadConsistency, ReturnConsumedCapacity, Units };
export {
  CapacityUsage,
  consumedCapacitiesMember,
  consumedCapacity,
  consumedCapacityMember,
  itemReadUnits,
  RETURN_CONSUMED_CAPACITY,
  readCapacityUnits,
  usageFor,
  writeCapacityUnits,
};
