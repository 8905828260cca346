import type { ItemChange } from '../changes/ItemChange.js';
import type { Table } from '../dynamodb/Table.js';
import type { StreamEffects } from '../streams/Stream.js';

/**
 * Where the state layers report the changes a request makes, so the journal can write them as effects (see
 * Effect.ts). The emulator's sink collects them only while a request runs with a data dir; otherwise every
 * call returns at once. What streams report (records, shards opened and closed) is `StreamEffects`, declared
 * in streams/ so that streams/ does not import persistence/.
 */
interface EffectSink extends StreamEffects {
  /** True while a journal is attached: tables then report every item change (see Region.routeChanges). */
  readonly journaling: boolean;
  item(table: Table, change: ItemChange): void;
  /**
   * A table's or stream's settings may have changed (a region's namespaces changed, the control plane looked a
   * table up to change it, a stream's tags changed): the journal then compares every setting with what it last
   * wrote (SettingsTracker). What changes settings is found where it happens, not in a list of operations.
   */
  settingsTouched(): void;
}

export type { EffectSink };
