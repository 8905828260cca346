/**
 * What the consumer processes of the multi-process tests share (test/helpers/streamWorker.ts,
 * test/helpers/eventCountWorker.ts): settings from the environment the spawning test sets, SDK clients for its
 * emulator, a LeaseManager on the shared lease table, and the start and stop protocol `spawnWorker` expects.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { LeaseManager } from '../../src/runtime/sources/leases/LeaseManager.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The environment variable `name`, which the spawning test must set. */
const requiredEnv = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

/** SDK clients for the emulator at EDDY_ENDPOINT. */
const emulatorClients = (): { dynamodb: DynamoDBClient; streams: DynamoDBStreamsClient } => {
  const config = {
    endpoint: requiredEnv('EDDY_ENDPOINT'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  };
  return { dynamodb: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
};

/**
 * This worker's (EDDY_WORKER_ID) leases of `mappingId` in the shared table `eddy-leases`, created if missing:
 * leases of `leaseMs`, renewed four times per lease.
 */
const workerLeases = async (
  dynamodb: DynamoDBClient,
  mappingId: string,
  leaseMs: number,
): Promise<LeaseManager> => {
  const leases = new LeaseManager({
    client: dynamodb,
    tableName: 'eddy-leases',
    mappingId,
    workerId: requiredEnv('EDDY_WORKER_ID'),
    leaseDurationMs: leaseMs,
    renewIntervalMs: Math.floor(leaseMs / 4),
  });
  await leases.ensureTable();
  return leases;
};

/** Starts `mapping`, says `worker ready` (what spawnWorker waits for), and stops it gracefully on SIGTERM. */
const runWorker = (mapping: EventSourceMapping): void => {
  mapping.start();
  console.log('worker ready');
  process.on('SIGTERM', () => {
    void mapping.stop().then(() => process.exit(0));
  });
};

export { emulatorClients, requiredEnv, runWorker, workerLeases };
