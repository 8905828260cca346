import type { DeletingTable, TableState } from './dynamodb/controlPlane/TableState.js';
import type { Table } from './dynamodb/Table.js';
import type { Stream } from './streams/Stream.js';

/**
 * Everything one account holds in one region. Regions are separate namespaces, taken from each request's
 * SigV4 credential scope, so two regions can run side by side (cross-region replication).
 */
class Region {
  readonly name: string;
  readonly accountId: string;
  readonly tables = new Map<string, Table>();
  /** Every stream by ARN, including disabled ones and those of deleted tables: they stay readable. */
  readonly streams = new Map<string, Stream>();
  /** Each table's newest stream (DescribeTable's LatestStreamArn), enabled or not. */
  readonly latestStreams = new Map<string, Stream>();
  /** Each table's control-plane state: billing, encryption, class, deletion protection, tags, TTL, status. */
  readonly tableStates = new Map<Table, TableState>();
  /** Deleted tables, by name, while DELETING lasts (EmulatorOptions.tableStatusDelayMs). */
  readonly deletingTables = new Map<string, DeletingTable>();

  constructor(name: string, accountId: string) {
    this.name = name;
    this.accountId = accountId;
  }

  /**
   * Points a table's one change listener at everything that follows its effective changes: its enabled stream
   * and, while TTL is on, its TTL index. Call it whenever either of them changes.
   */
  routeChanges(table: Table): void {
    const latest = this.latestStreams.get(table.name);
    const stream = latest?.status === 'ENABLED' ? latest : undefined;
    const ttl = this.tableStates.get(table)?.ttl;
    if (stream === undefined && ttl === undefined) {
      table.setChangeListener(undefined);
      return;
    }
    table.setChangeListener((change) => {
      stream?.append(change);
      ttl?.record(change);
    });
  }
}

export { Region };
