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
import { FileCheckpointStore } from '../../src/checkpoint/FileCheckpointStore.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../src/runtime/invocation/inProcessInvoker.js';
import { emulatorClients, requiredEnv, runWorker, workerLeases } from './workerProcess.js';

const clients = emulatorClients();
const output = requiredEnv('EDDY_OUTPUT');
const leaseMs = Number(process.env.EDDY_LEASE_MS ?? 2000);
const leases =
  process.env.EDDY_CHECKPOINTS === 'leases'
    ? await workerLeases(clients.dynamodb, 'worker-mapping', leaseMs)
    : undefined;

runWorker(
  new EventSourceMapping({
    mappingId: 'worker-mapping',
    streamArn: requiredEnv('EDDY_STREAM_ARN'),
    client: clients.streams,
    config: { StartingPosition: 'TRIM_HORIZON', BatchSize: Number(process.env.EDDY_BATCH_SIZE ?? 100) },
    checkpoints: leases?.checkpoints ?? new FileCheckpointStore(requiredEnv('EDDY_CHECKPOINT_FILE')),
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
  }),
);
