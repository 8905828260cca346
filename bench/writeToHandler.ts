/**
 * Write-to-handler latency and drain throughput through the whole local path: SDK PutItem → emulator →
 * stream → EventSourceMapping (reading through the SDK over HTTP) → an in-process no-op handler.
 *
 * Prints figures next to Lambda's documented behaviour (it polls each shard four times a second, so a record
 * waits 125 ms on average before it is even read). Asserts nothing.
 *
 *   npm run bench
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { startEmulator } from '../local-runtime/emulator/startEmulator.js';
import { EventSourceMapping } from '../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../src/runtime/invocation/inProcessInvoker.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;

const running = await startEmulator({ port: 0 });
const dynamodb = new DynamoDBClient({ endpoint: running.endpoint, region: 'us-east-1', credentials });
const streams = new DynamoDBStreamsClient({ endpoint: running.endpoint, region: 'us-east-1', credentials });

let tableCount = 0;
const createTable = async () => {
  const TableName = `bench${++tableCount}`;
  await dynamodb.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
  return { TableName, streamArn: Table?.LatestStreamArn as string };
};

/** Latency from the start of PutItem to the handler seeing the record, one write at a time. */
const latency = async (useHint: boolean, writes: number) => {
  const { TableName, streamArn } = await createTable();
  const started = new Map<string, number>();
  const latencies: number[] = [];
  const mapping = new EventSourceMapping({
    mappingId: `latency-${useHint}`,
    streamArn,
    client: streams,
    config: { StartingPosition: 'LATEST' },
    invoker: inProcessInvoker(async (event) => {
      const now = performance.now();
      for (const r of event.Records)
        latencies.push(now - (started.get(r.dynamodb?.Keys?.id?.S ?? '') ?? now));
    }),
    ...(useHint
      ? {
          wakeUps: {
            subscribe: (listener: (shardId: string) => void) =>
              running.emulator.onRecords((e) => e.streamArn === streamArn && listener(e.shardId)),
          },
        }
      : {}),
  });
  mapping.start();
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (let i = 0; i < writes; i++) {
    const id = `k${i}`;
    started.set(id, performance.now());
    await dynamodb.send(new PutItemCommand({ TableName, Item: { id: { S: id }, v: { N: String(i) } } }));
    while (latencies.length < i + 1) await new Promise((resolve) => setTimeout(resolve, 1));
    // The next write comes at a random moment, independent of the consumer's poll cycle.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
  }
  await mapping.stop();
  return latencies.sort((a, b) => a - b);
};

/** Records per second through the runtime into a no-op handler, draining a pre-written stream. */
const drain = async (records: number, batchSize: number) => {
  const { TableName, streamArn } = await createTable();
  const writeStart = performance.now();
  for (let i = 0; i < records; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, records - i) }, (_, j) =>
        dynamodb.send(
          new PutItemCommand({
            TableName,
            Item: { id: { S: `k${i + j}` }, payload: { S: 'x'.repeat(100) } },
          }),
        ),
      ),
    );
  }
  const writeSeconds = (performance.now() - writeStart) / 1000;
  let seen = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const start = performance.now();
  const mapping = new EventSourceMapping({
    mappingId: 'drain',
    streamArn,
    client: streams,
    config: { StartingPosition: 'TRIM_HORIZON', BatchSize: batchSize },
    invoker: inProcessInvoker(async (event) => {
      seen += event.Records.length;
      if (seen >= records) done();
    }),
  });
  mapping.start();
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await mapping.stop();
  return { writesPerSecond: records / writeSeconds, recordsPerSecond: records / seconds };
};

const writes = Number(process.env.BENCH_WRITES ?? 100);
const hinted = await latency(true, writes);
const polled = await latency(false, writes);
const { writesPerSecond, recordsPerSecond } = await drain(Number(process.env.BENCH_RECORDS ?? 20_000), 1000);

console.log(
  `\nWrite-to-handler latency, ${writes} single writes (Node ${process.version}, ${new Date().toISOString()})`,
);
console.table({
  'eddy, emulator wake-up hint': {
    p50: ms(percentile(hinted, 50)),
    p99: ms(percentile(hinted, 99)),
    max: ms(hinted.at(-1) ?? NaN),
  },
  'eddy, polling 4/s like Lambda': {
    p50: ms(percentile(polled, 50)),
    p99: ms(percentile(polled, 99)),
    max: ms(polled.at(-1) ?? NaN),
  },
  'Lambda (documented: 4 polls/s/shard)': {
    p50: '≥ 125 ms wait to be read',
    p99: '≥ 250 ms wait to be read',
    max: '',
  },
});
console.log('Throughput, one shard, BatchSize 1000, no-op handler');
console.table({
  'PutItem through the SDK (50 in flight)': { perSecond: Math.round(writesPerSecond) },
  'records through the runtime': { perSecond: Math.round(recordsPerSecond) },
});

dynamodb.destroy();
streams.destroy();
await running.close();
