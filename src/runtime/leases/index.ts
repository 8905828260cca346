export type { DynamoDBCheckpointStoreOptions, LeaseFence } from '../../checkpoint/DynamoDBCheckpointStore.js';
export { DynamoDBCheckpointStore } from '../../checkpoint/DynamoDBCheckpointStore.js';
export { LeaseLostError } from './LeaseLostError.js';
export type { LeaseManagerOptions } from './LeaseManager.js';
export { DEFAULT_LEASE_DURATION_MS, LeaseManager } from './LeaseManager.js';
export type { ShardLeases } from './ShardLeases.js';
