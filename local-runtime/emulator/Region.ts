import { UndoableMap } from './atomic/UndoableMap.js';
import type { DeletingTable, TableState } from './dynamodb/controlPlane/TableState.js';
import type { Table } from './dynamodb/Table.js';
import type { EffectSink } from './persistence/EffectSink.js';
import type { Stream } from './streams/Stream.js';

/**
 * Everything one account holds in one region. Regions are separate namespaces, taken from each request's
 * SigV4 credential scope, so two regions can run side by side (cross-region replication).
 */
class Region {
  readonly name: string;
  readonly accountId: string;
  // Undoable: a request that fails after creating or deleting a table or a stream takes that back too.
  // A change to any of them may change settings the journal writes (EffectSink.settingsTouched).
  readonly tables: Map<string, Table> = new UndoableMap(() => this.effects?.settingsTouched());
  /** Every stream by ARN, including disabled ones and those of deleted tables: they stay readable. */
  readonly streams: Map<string, Stream> = new UndoableMap(() => this.effects?.settingsTouched());
  /** Each table's newest stream (DescribeTable's LatestStreamArn), enabled or not. */
  readonly latestStreams: Map<string, Stream> = new UndoableMap(() => this.effects?.settingsTouched());
  /** Each table's control-plane state: billing, encryption, class, deletion protection, tags, TTL, status. */
  readonly tableStates: Map<Table, TableState> = new UndoableMap(() => this.effects?.settingsTouched());
  /** Deleted tables, by name, while DELETING lasts (EmulatorOptions.tableStatusDelayMs). */
  readonly deletingTables: Map<string, DeletingTable> = new UndoableMap(() =>
    this.effects?.settingsTouched(),
  );

  /** Where changes are reported for the data dir's journal (the emulator's sink). */
  readonly effects: EffectSink | undefined;

  constructor(name: string, accountId: string, effects?: EffectSink) {
    this.name = name;
    this.accountId = accountId;
    this.effects = effects;
  }

  /**
   * Points a table's one change listener at everything that follows its effective changes: its enabled stream
   * and, while TTL is on, its TTL index. Call it whenever either of them changes.
   */
  routeChanges(table: Table): void {
    const latest = this.latestStreams.get(table.name);
    const stream = latest?.status === 'ENABLED' ? latest : undefined;
    const ttl = this.tableStates.get(table)?.ttl;
    // With a journal, every item change is an effect to write; without one, tables with neither a stream nor
    // TTL skip building the change at all.
    const effects = this.effects?.journaling ? this.effects : undefined;
    if (stream === undefined && ttl === undefined && effects === undefined) {
      table.setChangeListener(undefined);
      return;
    }
    // Two-phase (see ChangeListener): every part prepares before any commits.
    if (ttl === undefined && effects === undefined) {
      table.setChangeListener((change) => (stream as Stream).prepare(change));
      return;
    }
    table.setChangeListener((change) => {
      const toStream = stream?.prepare(change);
      const toTtl = ttl?.prepare(change);
      return () => {
        // The item's effect before its record's: a journal replays them in this order.
        effects?.item(table, change);
        toStream?.();
        toTtl?.();
      };
    });
  }
}

export { Region };
