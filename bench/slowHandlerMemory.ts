/**
 * The consumer's memory while its handler is ten times slower than the writers (issue 5's target: under
 * 200 MB RSS). The runtime pulls: it reads at most one batch per lane ahead, whatever piles up in the stream.
 * The consumer runs in its own process (test/helpers/streamWorker.ts) so its memory is measured alone.
 * Prints figures, asserts nothing.
 *
 *   npm run bench:memory            # 20 s of writing at 1000 records/s
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startEmulator } from '../local-runtime/emulator/startEmulator.js';
import { readProcessed } from '../test/helpers/readProcessed.js';
import { kill, spawnWorker } from '../test/helpers/spawnWorker.js';
import { rssBytes } from './processMetrics.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WRITES_PER_SECOND = 1000;
const BATCH_SIZE = 100;
// 100 records per 1 s invocation = 100 records/s: ten times slower than the writers.
const HANDLER_DELAY_MS = 1000;

const running = await startEmulator({ port: 0 });
const dynamodb = new DynamoDBClient({
  endpoint: running.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
});
await dynamodb.send(
  new CreateTableCommand({
    TableName: 'firehose',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }),
);
const streamArn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'firehose' }))).Table
  ?.LatestStreamArn as string;
const folder = await mkdtemp(join(tmpdir(), 'eddy-memory-'));
const output = join(folder, 'processed.txt');
const worker = await spawnWorker({
  EDDY_ENDPOINT: running.endpoint,
  EDDY_STREAM_ARN: streamArn,
  EDDY_OUTPUT: output,
  EDDY_WORKER_ID: 'slow',
  EDDY_CHECKPOINTS: 'file',
  EDDY_CHECKPOINT_FILE: join(folder, 'checkpoints.json'),
  EDDY_BATCH_SIZE: String(BATCH_SIZE),
  EDDY_HANDLER_DELAY_MS: String(HANDLER_DELAY_MS),
});
const pid = worker.pid as number;
const startRss = rssBytes(pid);
let peakRss = startRss;
let written = 0;
const started = performance.now();
while (performance.now() - started < SECONDS * 1000) {
  const tickStart = performance.now();
  // 1000 records a second, 1 KB each, in BatchWriteItem calls of 25.
  const requests = [];
  for (let i = 0; i < WRITES_PER_SECOND / 25; i++) {
    const items = Array.from({ length: 25 }, () => ({
      PutRequest: { Item: { pk: { S: `r${written++}` }, payload: { S: 'x'.repeat(1000) } } },
    }));
    requests.push(dynamodb.send(new BatchWriteItemCommand({ RequestItems: { firehose: items } })));
  }
  await Promise.all(requests);
  peakRss = Math.max(peakRss, rssBytes(pid));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (performance.now() - tickStart))));
}
peakRss = Math.max(peakRss, rssBytes(pid));
const processed = readProcessed([output]).counts.size;
await kill(worker, 'SIGKILL');
dynamodb.destroy();
await running.close();
await rm(folder, { recursive: true, force: true });

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(
  `\nConsumer memory with a handler 10× slower than the writers (${SECONDS} s, Node ${process.version})`,
);
console.table({
  'records written (1 KB each)': { value: written },
  'records processed': { value: processed },
  'backlog left in the stream': { value: written - processed },
  'consumer RSS at start': { value: mb(startRss) },
  'consumer peak RSS': { value: mb(peakRss) },
  target: { value: '< 200 MB (issue 5)' },
});
