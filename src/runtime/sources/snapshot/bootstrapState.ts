import type { CheckpointStore } from '../../../checkpoint/CheckpointStore.js';

// The bootstrap keeps its own progress next to the mapping's checkpoints, in the same store (a file with
// --state-dir, a DynamoDB table, memory), under reserved shard ids. Checkpoint stores hold sequence numbers
// (digits), so the state is written as the decimal form of its JSON's bytes: every store keeps it unchanged.

/** The reserved shard id of the bootstrap's own state (its cut, its segments, whether it finished). */
const BOOTSTRAP_STATE_SHARD = 'eddy-bootstrap';

const encode = (value: unknown): string => {
  const hex = Buffer.from(JSON.stringify(value), 'utf8').toString('hex');
  return BigInt(`0x${hex}`).toString();
};

const decode = <T>(digits: string): T => {
  let hex = BigInt(digits).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return JSON.parse(Buffer.from(hex, 'hex').toString('utf8')) as T;
};

/** Reads a JSON value stored under `(mappingId, key)`; undefined if none. */
const readState = async <T>(
  store: CheckpointStore,
  mappingId: string,
  key: string,
): Promise<T | undefined> => {
  const checkpoint = await store.get(mappingId, key);
  return checkpoint?.sequenceNumber === undefined ? undefined : decode<T>(checkpoint.sequenceNumber);
};

/** Writes a JSON value under `(mappingId, key)` (overwriting: state, not a position that only moves forward). */
const writeState = (store: CheckpointStore, mappingId: string, key: string, value: unknown): Promise<void> =>
  store.reposition(mappingId, key, { sequenceNumber: encode(value) });

/** The bootstrap's state: its cut and segment count are fixed by its first run; `done` once handed over. */
interface BootstrapState {
  readonly cutSecond: number;
  readonly segments: number;
  readonly done: boolean;
}

export type { BootstrapState };
export { BOOTSTRAP_STATE_SHARD, readState, writeState };
