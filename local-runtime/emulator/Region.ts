import { UndoableMap } from './atomic/UndoableMap.js';
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
  // Undoable: a request that fails after creating or deleting a table or a stream takes that back too.
  readonly tables: Map<string, Table> = new UndoableMap();
  /** Every stream by ARN, including disabled ones and those of deleted tables: they stay readable. */
  readonly streams: Map<string, Stream> = new UndoableMap();
  /** Each table's newest stream (DescribeTable's LatestStreamArn), enabled or not. */
  readonly latestStreams: Map<string, Stream> = new UndoableMap();
  /** Each table's control-plane state: billing, encryption, class, deletion protection, tags, TTL, status. */
  readonly tableStates: Map<Table, TableState> = new UndoableMap();
  /** Deleted tables, by name, while DELETING lasts (EmulatorOptions.tableStatusDelayMs). */
  readonly deletingTables: Map<string, DeletingTable> = new UndoableMap();

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
    // Two-phase (see ChangeListener): both prepare before either commits.
    if (ttl === undefined) {
      table.setChangeListener((change) => (stream as Stream).prepare(change));
      return;
    }
    table.setChangeListener((change) => {
      const toStream = stream?.prepare(change);
      const toTtl = ttl.prepare(change);
      return () => {
        toStream?.();
        toTtl?.();
      };
    });
  }
}

export { Region };
