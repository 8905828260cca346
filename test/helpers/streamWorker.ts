/**
 * A consumer process for the multi-process tests: one EventSourceMapping on a stream of an emulator, whose
 * handler appends the sequence numbers it processed to a file (synchronously, before answering, so what the
 * file says was processed really was, even if the process is killed right after).
 *
 *   node --import tsx test/helpers/streamWorker.ts
 * env: EDDY_ENDPOINT, EDDY_STREAM_ARN, EDDY_OUTPUT, EDDY_WORKER_ID,
 *      EDDY_CHECKPOINTS=leases|file, EDDY_CHECKPOINT_FILE, EDDY_LEASE_MS, EDDY_BATCH_SIZE, EDDY_HANDLER_DELAY_MS
 */
import { appendFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { FileCheckpointStore } from '../../src/checkpoint/FileCheckpointStore.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../src/runtime/invocation/inProcessInvoker.js';
import { LeaseManager } from '../../src/runtime/sources/leases/LeaseManager.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const config = {
  endpoint: env('EDDY_ENDPOINT'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
};
const output = env('EDDY_OUTPUT');
const useLeases = process.env.EDDY_CHECKPOINTS === 'leases';
const leaseMs = Number(process.env.EDDY_LEASE_MS ?? 2000);
const leases = useLeases
  ? new LeaseManager({
      client: new DynamoDBClient(config),
      tableName: 'eddy-leases',
      mappingId: 'worker-mapping',
      workerId: env('EDDY_WORKER_ID'),
      leaseDurationMs: leaseMs,
      renewIntervalMs: Math.floor(leaseMs / 4),
    })
  : undefined;
await leases?.ensureTable();

const mapping = new EventSourceMapping({
  mappingId: 'worker-mapping',
  streamArn: env('EDDY_STREAM_ARN'),
  client: new DynamoDBStreamsClient(config),
  config: { StartingPosition: 'TRIM_HORIZON', BatchSize: Number(process.env.EDDY_BATCH_SIZE ?? 100) },
  checkpoints: leases?.checkpoints ?? new FileCheckpointStore(env('EDDY_CHECKPOINT_FILE')),
  ...(leases === undefined ? {} : { leases, leaseRenewIntervalMs: Math.floor(leaseMs / 4) }),
  pollIntervalMs: 20,
  discoveryIntervalMs: 200,
  invoker: inProcessInvoker(async (event) => {
    // A slow handler, for the memory benchmark: the runtime must not read ahead without bound meanwhile.
    const delay = Number(process.env.EDDY_HANDLER_DELAY_MS ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const lines = event.Records.map(
      (r) => `${r.dynamodb?.SequenceNumber} ${process.env.EDDY_WORKER_ID ?? ''}`,
    );
    appendFileSync(output, `${lines.join('\n')}\n`);
  }),
});
mapping.start();
console.log('worker ready');
process.on('SIGTERM', () => {
  void mapping.stop().then(() => process.exit(0));
});
