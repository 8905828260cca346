import type { TtlIndex } from '../../ttl/TtlIndex.js';
import type { Table } from '../Table.js';

type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';
type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
type TableStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'UPDATING';

interface Capacity {
  readonly read: number;
  readonly write: number;
}

/** What a PAY_PER_REQUEST table reports as WarmThroughput: AWS's on-demand initial throughput. */
const ON_DEMAND_WARM_THROUGHPUT: Capacity = { read: 12_000, write: 4_000 };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Everything the control plane changes on a table after CreateTable: billing mode and capacity, encryption,
 * table class, deletion protection, tags, TTL, and the CREATING / UPDATING transitions.
 *
 * It lives beside the table (Region.tableStates) rather than in it: the data plane never reads it, and the
 * table's definition stays what CreateTable was given.
 *
 * Statuses are derived from timestamps and the emulator's clock (`status(now, delayMs)`), never from timers:
 * a table is CREATING until `createdAt + delayMs`, UPDATING until `updatingUntil`.
 */
class TableState {
  readonly createdAt: number;
  billingMode: BillingMode;
  /** Provisioned read and write capacity units; 0/0 while PAY_PER_REQUEST. */
  capacity: Capacity;
  lastIncreaseAt: number | undefined;
  lastDecreaseAt: number | undefined;
  /** Provisioned-capacity decreases during the UTC day `#decreaseDay`. */
  #decreases = 0;
  #decreaseDay = -1;
  /** Set once the table has been PAY_PER_REQUEST: BillingModeSummary appears from then on. */
  lastPayPerRequestAt: number | undefined;
  /** The highest capacity ever provisioned, or on-demand's initial throughput (DescribeTable's WarmThroughput). */
  warm: Capacity;
  /** A KMS key, when the table is encrypted with one (SSEDescription); undefined for the AWS owned key. */
  kmsMasterKeyArn: string | undefined;
  /** The key in use before the latest SSE change, and until when that change is in progress. */
  sseChange: { readonly previousKeyArn: string | undefined; readonly until: number } | undefined;
  /** Undefined until a TableClass is given: DescribeTable then has no TableClassSummary (STANDARD). */
  tableClass: { readonly value: TableClass; readonly updatedAt?: number } | undefined;
  deletionProtectionEnabled: boolean;
  /** Attribute definitions UpdateTable added with new global secondary indexes (DescribeTable lists them). */
  readonly addedAttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[] = [];
  /** Tags by key, in the order they were first set. */
  readonly tags = new Map<string, string>();
  /** The TTL attribute and its index while TTL is enabled. */
  ttl: TtlIndex | undefined;
  /** When UpdateTimeToLive last changed TTL; a second change within the hour after it is refused. */
  ttlChangedAt: number | undefined;
  /** The end of the running UpdateTable job; -Infinity when none ran. */
  updatingUntil = Number.NEGATIVE_INFINITY;

  constructor(options: {
    createdAt: number;
    billingMode: BillingMode;
    capacity?: Capacity;
    kmsMasterKeyArn?: string;
    tableClass?: TableClass;
    deletionProtectionEnabled?: boolean;
  }) {
    this.createdAt = options.createdAt;
    this.billingMode = options.billingMode;
    const payPerRequest = options.billingMode === 'PAY_PER_REQUEST';
    this.capacity = payPerRequest ? { read: 0, write: 0 } : (options.capacity ?? { read: 0, write: 0 });
    this.lastIncreaseAt = undefined;
    this.lastDecreaseAt = undefined;
    this.lastPayPerRequestAt = payPerRequest ? options.createdAt : undefined;
    this.warm = payPerRequest ? ON_DEMAND_WARM_THROUGHPUT : this.capacity;
    this.kmsMasterKeyArn = options.kmsMasterKeyArn;
    this.sseChange = undefined;
    this.tableClass = options.tableClass === undefined ? undefined : { value: options.tableClass };
    this.deletionProtectionEnabled = options.deletionProtectionEnabled ?? false;
    this.ttl = undefined;
    this.ttlChangedAt = undefined;
  }

  /** A copy of the settings as they are now: UpdateTable's response echoes some of them from before the update. */
  snapshot(): TableState {
    const copy = new TableState({ createdAt: this.createdAt, billingMode: this.billingMode });
    copy.capacity = this.capacity;
    copy.lastIncreaseAt = this.lastIncreaseAt;
    copy.lastDecreaseAt = this.lastDecreaseAt;
    copy.#decreases = this.#decreases;
    copy.#decreaseDay = this.#decreaseDay;
    copy.lastPayPerRequestAt = this.lastPayPerRequestAt;
    copy.warm = this.warm;
    copy.kmsMasterKeyArn = this.kmsMasterKeyArn;
    copy.sseChange = this.sseChange;
    copy.tableClass = this.tableClass;
    copy.deletionProtectionEnabled = this.deletionProtectionEnabled;
    copy.updatingUntil = this.updatingUntil;
    return copy;
  }

  /**
   * A function that puts every setting back as it is now, tags, TTL and added attribute definitions included:
   * what a failed request's rollback runs (see `findTable`).
   */
  restorer(): () => void {
    const saved = this.snapshot();
    const { ttl, ttlChangedAt } = this;
    const tags = [...this.tags];
    const added = this.addedAttributeDefinitions.length;
    return () => {
      this.billingMode = saved.billingMode;
      this.capacity = saved.capacity;
      this.lastIncreaseAt = saved.lastIncreaseAt;
      this.lastDecreaseAt = saved.lastDecreaseAt;
      this.#decreases = saved.#decreases;
      this.#decreaseDay = saved.#decreaseDay;
      this.lastPayPerRequestAt = saved.lastPayPerRequestAt;
      this.warm = saved.warm;
      this.kmsMasterKeyArn = saved.kmsMasterKeyArn;
      this.sseChange = saved.sseChange;
      this.tableClass = saved.tableClass;
      this.deletionProtectionEnabled = saved.deletionProtectionEnabled;
      this.updatingUntil = saved.updatingUntil;
      this.ttl = ttl;
      this.ttlChangedAt = ttlChangedAt;
      this.tags.clear();
      for (const [key, value] of tags) this.tags.set(key, value);
      this.addedAttributeDefinitions.length = added;
    };
  }

  /** The settings as plain JSON (see PersistedTableState). */
  persisted(): PersistedTableState {
    return {
      createdAt: this.createdAt,
      billingMode: this.billingMode,
      capacity: this.capacity,
      ...(this.lastIncreaseAt === undefined ? {} : { lastIncreaseAt: this.lastIncreaseAt }),
      ...(this.lastDecreaseAt === undefined ? {} : { lastDecreaseAt: this.lastDecreaseAt }),
      decreases: this.#decreases,
      decreaseDay: this.#decreaseDay,
      ...(this.lastPayPerRequestAt === undefined ? {} : { lastPayPerRequestAt: this.lastPayPerRequestAt }),
      warm: this.warm,
      ...(this.kmsMasterKeyArn === undefined ? {} : { kmsMasterKeyArn: this.kmsMasterKeyArn }),
      ...(this.sseChange === undefined ? {} : { sseChange: this.sseChange }),
      ...(this.tableClass === undefined ? {} : { tableClass: this.tableClass }),
      deletionProtectionEnabled: this.deletionProtectionEnabled,
      addedAttributeDefinitions: this.addedAttributeDefinitions,
      tags: [...this.tags],
      updatingUntil: Number.isFinite(this.updatingUntil) ? this.updatingUntil : null,
      ...(this.ttlChangedAt === undefined ? {} : { ttlChangedAt: this.ttlChangedAt }),
    };
  }

  /** The settings `persisted()` returned, as a TableState again (without TTL). */
  static fromPersisted(p: PersistedTableState): TableState {
    const state = new TableState({ createdAt: p.createdAt, billingMode: p.billingMode });
    state.capacity = p.capacity;
    state.lastIncreaseAt = p.lastIncreaseAt;
    state.lastDecreaseAt = p.lastDecreaseAt;
    state.#decreases = p.decreases;
    state.#decreaseDay = p.decreaseDay;
    state.lastPayPerRequestAt = p.lastPayPerRequestAt;
    state.warm = p.warm;
    state.kmsMasterKeyArn = p.kmsMasterKeyArn;
    state.sseChange =
      p.sseChange === undefined
        ? undefined
        : { previousKeyArn: p.sseChange.previousKeyArn, until: p.sseChange.until };
    state.tableClass = p.tableClass;
    state.deletionProtectionEnabled = p.deletionProtectionEnabled;
    state.addedAttributeDefinitions.push(...p.addedAttributeDefinitions);
    for (const [key, value] of p.tags) state.tags.set(key, value);
    state.updatingUntil = p.updatingUntil ?? Number.NEGATIVE_INFINITY;
    state.ttlChangedAt = p.ttlChangedAt;
    return state;
  }

  /** The table's status at `now` when transitions take `delayMs` (EmulatorOptions.tableStatusDelayMs). */
  status(now: number, delayMs: number): Exclude<TableStatus, 'DELETING'> {
    if (now < this.createdAt + delayMs) return 'CREATING';
    if (now < this.updatingUntil) return 'UPDATING';
    return 'ACTIVE';
  }

  /** True while an encryption change is in progress (SSEDescription.Status UPDATING, TableStatus ACTIVE). */
  sseUpdating(now: number): boolean {
    return this.sseChange !== undefined && now < this.sseChange.until;
  }

  /** Starts an UpdateTable job that ends `delayMs` from now. */
  startUpdate(now: number, delayMs: number): void {
    this.updatingUntil = Math.max(this.updatingUntil, now + delayMs);
  }

  /** NumberOfDecreasesToday: decreases since 00:00 UTC, as AWS counts them. */
  decreasesToday(now: number): number {
    return Math.floor(now / DAY_MS) === this.#decreaseDay ? this.#decreases : 0;
  }

  /** Applies new provisioned capacity, keeping AWS's increase/decrease bookkeeping and warm throughput. */
  provision(capacity: Capacity, now: number): void {
    const before = this.capacity;
    const wasProvisioned = this.billingMode === 'PROVISIONED';
    if (wasProvisioned && (capacity.read > before.read || capacity.write > before.write)) {
      this.lastIncreaseAt = now;
    }
    if (wasProvisioned && (capacity.read < before.read || capacity.write < before.write)) {
      const today = Math.floor(now / DAY_MS);
      this.#decreases = this.decreasesToday(now) + 1;
      this.#decreaseDay = today;
      this.lastDecreaseAt = now;
    }
    this.billingMode = 'PROVISIONED';
    this.capacity = capacity;
    this.warm = {
      read: Math.max(this.warm.read, capacity.read),
      write: Math.max(this.warm.write, capacity.write),
    };
  }

  /** Switches to on-demand: capacity reads 0/0 and warm throughput rises to on-demand's initial values. */
  payPerRequest(now: number): void {
    if (this.billingMode === 'PAY_PER_REQUEST') return;
    this.billingMode = 'PAY_PER_REQUEST';
    this.capacity = { read: 0, write: 0 };
    this.lastPayPerRequestAt = now;
    this.warm = {
      read: Math.max(this.warm.read, ON_DEMAND_WARM_THROUGHPUT.read),
      write: Math.max(this.warm.write, ON_DEMAND_WARM_THROUGHPUT.write),
    };
  }
}

/** A TableState as plain JSON, for the data dir (TTL aside: it is kept as the table's TTL attribute). */
interface PersistedTableState {
  readonly createdAt: number;
  readonly billingMode: BillingMode;
  readonly capacity: Capacity;
  readonly lastIncreaseAt?: number;
  readonly lastDecreaseAt?: number;
  readonly decreases: number;
  readonly decreaseDay: number;
  readonly lastPayPerRequestAt?: number;
  readonly warm: Capacity;
  readonly kmsMasterKeyArn?: string;
  readonly sseChange?: { readonly previousKeyArn?: string; readonly until: number };
  readonly tableClass?: { readonly value: TableClass; readonly updatedAt?: number };
  readonly deletionProtectionEnabled: boolean;
  readonly addedAttributeDefinitions: readonly { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  readonly tags: readonly (readonly [string, string])[];
  /** null for -Infinity (JSON has no infinities). */
  readonly updatingUntil: number | null;
  /** When TTL was last changed (DynamoDB refuses a second change within the hour). */
  readonly ttlChangedAt?: number;
}

/** A table between DeleteTable and its disappearance: DescribeTable and ListTables still show it. */
interface DeletingTable {
  readonly table: Table;
  readonly state: TableState;
  /** When the table is gone for good. */
  readonly goneAt: number;
}

/**
 * The table's control-plane state, made from its definition the first time it is asked for (tables built
 * outside CreateTable, as tests do, have none yet).
 */
const tableStateOf = (region: { readonly tableStates: Map<Table, TableState> }, table: Table): TableState => {
  let state = region.tableStates.get(table);
  if (state === undefined) {
    const d = table.definition;
    state = new TableState({
      createdAt: d.createdAt,
      billingMode: d.billingMode,
      ...(d.provisionedThroughput === undefined
        ? {}
        : {
            capacity: {
              read: d.provisionedThroughput.ReadCapacityUnits,
              write: d.provisionedThroughput.WriteCapacityUnits,
            },
          }),
    });
    region.tableStates.set(table, state);
  }
  return state;
};

export type { BillingMode, Capacity, DeletingTable, PersistedTableState, TableClass, TableStatus };
export { ON_DEMAND_WARM_THROUGHPUT, TableState, tableStateOf };
