/**
 * The undo log of the request being run: what makes a request atomic. DynamoDB applies a request in full or
 * not at all ("TransactWriteItems is an all-or-nothing operation",
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html), and a client
 * that gets an error retries on the assumption that nothing happened; so the emulator must never answer an
 * error after changing something.
 *
 * Two rules keep it so:
 * 1. **Prepare before mutate.** The item path builds everything that can fail (index entries, the stream
 *    record and its JSON text, TTL entries) before it changes anything (see `Table.write`).
 * 2. **Undo the rest.** Every primitive mutation of emulator state registers, with `onRollback`, the function
 *    that takes it back. When anything throws inside `atomically` (an operation's later step, an emulator bug,
 *    the journal append), the registered functions run newest first and the state is as it was before.
 *
 * The scope is dynamic (a module variable) rather than passed along: dispatch is synchronous, so exactly one
 * request runs at a time, and state classes (tables, shards, maps) stay free of a context parameter. Outside
 * a scope (unit tests that drive a Table directly, a journal replay) `onRollback` records nothing and costs
 * one comparison.
 */

type Undo = () => void;

/** The open scope's log, oldest change first; undefined outside any request. */
let log: Undo[] | undefined;

/** Registers the function that takes back a change just made, if a request scope is open. Must not throw. */
const onRollback = (undo: Undo): void => {
  if (log !== undefined) log.push(undo);
};

/** True inside a request scope: lets a caller skip building an undo that would not be kept. */
const recordingUndo = (): boolean => log !== undefined;

/** Runs the undo functions registered since `mark`, newest first, and forgets them. */
const rollBackTo = (entries: Undo[], mark: number): void => {
  // Undo functions put state back with the same primitives that changed it: nothing they do is recorded.
  const open = log;
  log = undefined;
  try {
    for (let i = entries.length - 1; i >= mark; i--) {
      try {
        (entries[i] as Undo)();
      } catch (undoError) {
        // A failing undo is an emulator bug; the others still run, so as much as possible is put back.
        console.error('eddy emulator: rolling back a failed request failed:', undoError);
      }
    }
  } finally {
    entries.length = mark;
    log = open;
  }
};

/**
 * Runs `run` as one atomic unit: if it throws, every change it made (everything registered with `onRollback`
 * since it started) is taken back before the error propagates. Nested calls are savepoints: an inner failure
 * takes back the inner changes only, and the outer scope may still take back everything on a later failure.
 */
const atomically = <T>(run: () => T): T => {
  const outer = log;
  const entries = outer ?? [];
  const mark = entries.length;
  log = entries;
  try {
    return run();
  } catch (error) {
    rollBackTo(entries, mark);
    throw error;
  } finally {
    // The outermost scope's log goes with it: a committed request cannot be taken back.
    log = outer;
  }
};

export type { Undo };
export { atomically, onRollback, recordingUndo };
