/**
 * A consumer process for the aggregateEvents multi-process test: one EventSourceMapping (leases shared with the
 * other workers, two lanes per shard, partial batch responses) whose handler counts the stream's events per
 * event name with `aggregateEvents`.
 *
 *   node --import tsx test/helpers/eventCountWorker.ts
 * env: EDDY_ENDPOINT, EDDY_STREAM_ARN, EDDY_WORKER_ID, EDDY_AGGREGATES_TABLE, EDDY_LEASE_MS
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { defineStreamHandler } from '../../src/handler/defineStreamHandler.js';
import { aggregateEvents } from '../../src/operators/aggregates/aggregateEvents.js';
import { count, sum } from '../../src/operators/aggregates/measures.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../src/runtime/invocation/inProcessInvoker.js';
import { silentLogger } from '../../src/runtime/observability/logger.js';
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
const leaseMs = Number(process.env.EDDY_LEASE_MS ?? 1000);
const leases = new LeaseManager({
  client: new DynamoDBClient(config),
  tableName: 'eddy-leases',
  mappingId: 'event-counts',
  workerId: env('EDDY_WORKER_ID'),
  leaseDurationMs: leaseMs,
  renewIntervalMs: Math.floor(leaseMs / 4),
});
await leases.ensureTable();

const handler = defineStreamHandler<{ total?: number }>(
  aggregateEvents({
    client: new DynamoDBClient(config),
    tableName: env('EDDY_AGGREGATES_TABLE'),
    key: (record) => [record.eventName, 'all'],
    measures: { events: count(), total: sum((record) => record.newImage?.total) },
  }),
  { onRecordError: (error) => console.error('record failed:', error) },
);

const mapping = new EventSourceMapping({
  mappingId: 'event-counts',
  streamArn: env('EDDY_STREAM_ARN'),
  client: new DynamoDBStreamsClient(config),
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
});
mapping.start();
console.log('worker ready');
process.on('SIGTERM', () => {
  void mapping.stop().then(() => process.exit(0));
});
