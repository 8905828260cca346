import type { Table } from '../dynamodb/Table.js';
import type { Region } from '../Region.js';
import type { Stream } from '../streams/Stream.js';
import type { Effect } from './Effect.js';
import { streamMeta, tableMeta } from './persistedState.js';

/**
 * The control-plane operations: they change a table's or a stream's settings (never items). After one of
 * them commits, the journal writes the settings that changed; no other request can change them.
 */
const SETTINGS_OPERATIONS = new Set(
  ['CreateTable', 'UpdateTable', 'DeleteTable', 'UpdateTimeToLive', 'TagResource', 'UntagResource'].map(
    (name) => `DynamoDB_20120810.${name}`,
  ),
);

/**
 * Finds the settings effects of a control-plane request by comparing each table's and stream's settings with
 * those last written to the journal: the operations need no journaling code of their own, and the journal
 * gets the full settings after the change (Effect.ts), not the request.
 */
class SettingsTracker {
  readonly #written = new WeakMap<Table | Stream, string>();
  readonly #tables = new Map<Region, Set<Table>>();

  /** Records the settings as they are, without effects (after a restore). */
  remember(region: Region): void {
    this.changes(region);
  }

  /** The settings effects since the last call: streams first (a table names its latest stream), then tables. */
  changes(region: Region): Effect[] {
    const effects: Effect[] = [];
    for (const stream of region.streams.values()) {
      const meta = streamMeta(stream);
      const json = JSON.stringify(meta);
      if (this.#written.get(stream) !== json) {
        this.#written.set(stream, json);
        effects.push(['stream', meta]);
      }
    }
    let known = this.#tables.get(region);
    if (known === undefined) {
      known = new Set();
      this.#tables.set(region, known);
    }
    for (const table of known) {
      if (region.tables.get(table.name) === table) continue;
      known.delete(table);
      effects.push(['drop', table.name, region.deletingTables.get(table.name)?.goneAt ?? 0]);
    }
    for (const table of region.tables.values()) {
      const meta = tableMeta(region, table);
      const json = JSON.stringify(meta);
      if (this.#written.get(table) !== json) {
        this.#written.set(table, json);
        known.add(table);
        effects.push(['table', meta]);
      }
    }
    return effects;
  }
}

export { SETTINGS_OPERATIONS, SettingsTracker };
