export type { Checkpoint } from './CheckpointStore.js';
export { CheckpointStore } from './CheckpointStore.js';
export { FileCheckpointStore } from './FileCheckpointStore.js';
export { MemoryCheckpointStore } from './MemoryCheckpointStore.js';
