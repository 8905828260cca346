import { onRollback, recordingUndo } from './requestScope.js';

/**
 * A Map whose `set`, `delete` and `clear` are taken back when the request that made them fails (see
 * `atomically`). Iteration order is restored too: ListTables and ListStreams list in insertion order, and a
 * rolled-back DeleteTable must not move its table to the end. For the emulator's namespaces (a region's
 * tables, streams, table states), which change on control-plane requests, never on an item write.
 */
class UndoableMap<K, V> extends Map<K, V> {
  readonly #onChange: (() => void) | undefined;

  /** `onChange` is told of every set, delete and clear (not of their undoing). */
  constructor(onChange?: () => void) {
    super();
    this.#onChange = onChange;
  }

  override set(key: K, value: V): this {
    this.#onChange?.();
    if (recordingUndo()) {
      if (super.has(key)) {
        const previous = super.get(key) as V;
        // Replacing a value keeps the key's position.
        onRollback(() => super.set(key, previous));
      } else {
        onRollback(() => super.delete(key));
      }
    }
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.#onChange?.();
    if (recordingUndo() && super.has(key)) {
      const value = super.get(key) as V;
      let position = 0;
      for (const other of super.keys()) {
        if (other === key) break;
        position += 1;
      }
      onRollback(() => this.#insertAt(position, key, value));
    }
    return super.delete(key);
  }

  override clear(): void {
    this.#onChange?.();
    if (recordingUndo() && super.size > 0) {
      const entries = [...super.entries()];
      onRollback(() => {
        super.clear();
        for (const [key, value] of entries) super.set(key, value);
      });
    }
    super.clear();
  }

  /** Puts an entry back at the position it had (undo runs newest first, so positions match). */
  #insertAt(position: number, key: K, value: V): void {
    const entries = [...super.entries()];
    entries.splice(position, 0, [key, value]);
    super.clear();
    for (const [k, v] of entries) super.set(k, v);
  }
}

export { UndoableMap };
