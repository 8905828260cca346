/**
 * DynamoDB Streams reading, Eddy's emulator next to DynamoDB Local in one run (issue: "The emulator's DynamoDB
 * Streams behave like AWS's"): GetRecords throughput and server CPU per 1000 records read, PutItem server CPU
 * per 1000 writes, and put-to-GetRecords visibility latency, each measured again as the stream grows.
 * Prints figures, asserts nothing.
 *
 *   npm run bench:streams                         # stream sizes 10k and 100k
 *   BENCH_STREAM_SIZES=10000,1000000 npm run bench:streams
 *   BENCH_DDB_LOCAL_MAX=100000 …                  # stop growing DynamoDB Local past this size (it slows down)
 *   BENCH_SERVERS=eddy npm run bench:streams      # one server only (eddy, dynamodb-local)
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { dynamoDbLocalUnavailable, startDynamoDbLocal } from '../test/helpers/dynamoDbLocal.js';
import { cpuMillis } from './processMetrics.js';
import { startEddyProcess } from './startEddyProcess.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const sizes = (process.env.BENCH_STREAM_SIZES ?? '10000,100000').split(',').map(Number);
const ddbLocalMax = Number(process.env.BENCH_DDB_LOCAL_MAX ?? 100_000);
const SERVERS = (process.env.BENCH_SERVERS ?? 'eddy,dynamodb-local').split(',');
const LATENCY_SAMPLES = 200;
const WRITE_SAMPLE = 2000;

interface Server {
  readonly name: string;
  readonly endpoint: string;
  readonly pid: number;
  readonly maxSize: number;
  close(): Promise<void>;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

const measure = async (server: Server) => {
  const config = {
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  };
  const dynamodb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  await dynamodb.send(
    new CreateTableCommand({
      TableName: 'bench',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const streamArn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'bench' }))).Table
    ?.LatestStreamArn as string;
  let written = 0;
  const write = async (count: number, concurrency = 32) => {
    const start = written;
    written += count;
    let next = start;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < start + count) {
          const i = next++;
          await dynamodb.send(
            new PutItemCommand({
              TableName: 'bench',
              Item: { pk: { S: `item-${i}` }, body: { S: 'x'.repeat(200) } },
            }),
          );
        }
      }),
    );
  };
  const shards = async () =>
    (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];

  const rows: Record<string, unknown>[] = [];
  for (const size of sizes) {
    if (size > server.maxSize) {
      rows.push({
        server: server.name,
        records: size,
        note: `skipped: capped at ${server.maxSize} (BENCH_DDB_LOCAL_MAX)`,
      });
      continue;
    }
    await write(size - written - WRITE_SAMPLE);
    // Server CPU per 1000 writes at this size.
    let cpu = cpuMillis(server.pid);
    let started = performance.now();
    await write(WRITE_SAMPLE);
    const writeCpu = ((cpuMillis(server.pid) - cpu) / WRITE_SAMPLE) * 1000;
    const writesPerSecond = WRITE_SAMPLE / ((performance.now() - started) / 1000);

    // Read the whole stream from TRIM_HORIZON.
    cpu = cpuMillis(server.pid);
    started = performance.now();
    let read = 0;
    for (const shard of await shards()) {
      let { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      while (ShardIterator !== undefined) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
        read += page.Records?.length ?? 0;
        if ((page.Records?.length ?? 0) === 0) break;
        ShardIterator = page.NextShardIterator;
      }
    }
    const readSeconds = (performance.now() - started) / 1000;
    const readCpu = cpuMillis(server.pid) - cpu;

    // Visibility: one write at a time, a reader polling GetRecords as fast as it can.
    const open = (await shards()).filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined);
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const iterators = await Promise.all(
        open.map(
          async (s) =>
            (
              await streams.send(
                new GetShardIteratorCommand({
                  StreamArn: streamArn,
                  ShardId: s.ShardId,
                  ShardIteratorType: 'LATEST',
                }),
              )
            ).ShardIterator as string,
        ),
      );
      const pk = `visible-${size}-${i}`;
      const t0 = performance.now();
      const put = dynamodb.send(new PutItemCommand({ TableName: 'bench', Item: { pk: { S: pk } } }));
      let seen = false;
      while (!seen) {
        for (let k = 0; k < iterators.length && !seen; k++) {
          const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterators[k] }));
          iterators[k] = page.NextShardIterator as string;
          seen = (page.Records ?? []).some((r) => r.dynamodb?.Keys?.pk?.S === pk);
        }
      }
      latencies.push(performance.now() - t0);
      await put;
    }
    written += LATENCY_SAMPLES;
    rows.push({
      server: server.name,
      records: size,
      'PutItem/s': Math.round(writesPerSecond),
      'server CPU ms / 1000 PutItem': Number(writeCpu.toFixed(1)),
      'GetRecords records/s': Math.round(read / readSeconds),
      'server CPU ms / 1000 records read': Number(((readCpu / read) * 1000).toFixed(2)),
      'records read / server CPU s': Math.round(read / Math.max(readCpu / 1000, 0.01)),
      'visibility p50 ms': Number(percentile(latencies, 50).toFixed(2)),
      'visibility p99 ms': Number(percentile(latencies, 99).toFixed(2)),
    });
    console.error(`${server.name}: ${size} records measured`);
  }
  dynamodb.destroy();
  streams.destroy();
  return rows;
};

const servers: (() => Promise<Server>)[] = [];
if (SERVERS.includes('eddy')) {
  servers.push(async () => ({
    name: 'eddy',
    maxSize: Number.POSITIVE_INFINITY,
    ...(await startEddyProcess()),
  }));
}
const unavailable = SERVERS.includes('dynamodb-local') ? dynamoDbLocalUnavailable() : 'not asked for';
if (unavailable === undefined) {
  servers.push(async () => ({
    name: 'DynamoDB Local',
    maxSize: ddbLocalMax,
    ...(await startDynamoDbLocal({ jvmOptions: ['-Xmx4g'] })),
  }));
} else {
  console.error(`DynamoDB Local skipped: ${unavailable}`);
}

const rows: Record<string, unknown>[] = [];
for (const start of servers) {
  const server = await start();
  try {
    rows.push(...(await measure(server)));
  } finally {
    await server.close();
  }
}
console.log(`\nDynamoDB Streams reads (Node ${process.version}, ${new Date().toISOString()})`);
console.table(rows);
console.log(
  "Targets (issue 4): ≥ 3× DynamoDB Local's records read per server CPU second; visibility p99 < 5 ms; costs within 1.5× from the smallest to the largest stream.",
);
