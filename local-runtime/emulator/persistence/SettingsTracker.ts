import { onRollback } from '../atomic/requestScope.js';
import type { Table } from '../dynamodb/Table.js';
import type { Region } from '../Region.js';
import type { Stream } from '../streams/Stream.js';
import type { Effect } from './Effect.js';
import { streamMeta, tableMeta } from './persistedState.js';

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

  /**
   * The settings effects since the last call: streams first (a table names its latest stream), then tables.
   * What it remembers as written is taken back with the request if its journal line is not written after all.
   */
  changes(region: Region): Effect[] {
    const effects: Effect[] = [];
    for (const stream of region.streams.values()) {
      const meta = streamMeta(stream);
      const json = JSON.stringify(meta);
      if (this.#written.get(stream) !== json) {
        this.#remember(stream, json);
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
      onRollback(() => known.add(table));
      effects.push(['drop', table.name, region.deletingTables.get(table.name)?.goneAt ?? 0]);
    }
    for (const table of region.tables.values()) {
      const meta = tableMeta(region, table);
      const json = JSON.stringify(meta);
      if (this.#written.get(table) !== json) {
        this.#remember(table, json);
        if (!known.has(table)) {
          known.add(table);
          onRollback(() => known.delete(table));
        }
        effects.push(['table', meta]);
      }
    }
    return effects;
  }

  #remember(owner: Table | Stream, json: string): void {
    const previous = this.#written.get(owner);
    onRollback(() => {
      if (previous === undefined) this.#written.delete(owner);
      else this.#written.set(owner, previous);
    });
    this.#written.set(owner, json);
  }
}

export { SettingsTracker };
