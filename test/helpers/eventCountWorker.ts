/**
 * A consumer process for the aggregateEvents multi-process test: one EventSourceMapping (leases shared with the
 * other workers, two lanes per shard, partial batch responses) whose handler counts the stream's events per
 * event name with `aggregateEvents`.
 *
 *   node --import tsx test/helpers/eventCountWorker.ts
 * env: EDDY_ENDPOINT, EDDY_STREAM_ARN, EDDY_WORKER_ID, EDDY_AGGREGATES_TABLE, EDDY_LEASE_MS
 */
import { defineStreamHandler } from '../../src/handler/defineStreamHandler.js';
import { aggregateEvents } from '../../src/operators/aggregates/aggregateEvents.js';
import { count, sum } from '../../src/operators/aggregates/measures.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../src/runtime/invocation/inProcessInvoker.js';
import { silentLogger } from '../../src/runtime/observability/logger.js';
import { emulatorClients, requiredEnv, runWorker, workerLeases } from './workerProcess.js';

const clients = emulatorClients();
const leaseMs = Number(process.env.EDDY_LEASE_MS ?? 1000);
const leases = await workerLeases(clients.dynamodb, 'event-counts', leaseMs);

const handler = defineStreamHandler<{ total?: number }>(
  aggregateEvents({
    client: clients.dynamodb,
    tableName: requiredEnv('EDDY_AGGREGATES_TABLE'),
    key: (record) => [record.eventName, 'all'],
    measures: { events: count(), total: sum((record) => record.newImage?.total) },
  }),
  { onRecordError: (error) => console.error('record failed:', error) },
);

runWorker(
  new EventSourceMapping({
    mappingId: 'event-counts',
    streamArn: requiredEnv('EDDY_STREAM_ARN'),
    client: clients.streams,
    config: {
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 7,
      ParallelizationFactor: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    },
    checkpoints: leases.checkpoints,
    leases,
    leaseRenewIntervalMs: Math.floor(leaseMs / 4),
    pollIntervalMs: 20,
    discoveryIntervalMs: 200,
    retryBackoff: { baseMs: 2, maxMs: 20 },
    logger: silentLogger,
    metricsLogIntervalMs: 0,
    invoker: inProcessInvoker(handler, { timeoutSeconds: 30 }),
  }),
);
