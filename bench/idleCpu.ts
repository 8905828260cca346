/**
 * Idle CPU of `eddy dev` with the example template in two regions (what `npm start` runs): measured with the
 * streams as they start (one open shard each), then again after splits and rollovers leave 24 open shards in one
 * region (365 shards in all there), the shape that took 24 % of a core before the mappings relied on the
 * emulator's wake-up hint. Uses `dist/` when it exists (`npm run build` first, as `npm start` does).
 *
 *   node --import tsx bench/idleCpu.ts            # BENCH_IDLE_SECONDS=30 by default
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, type Shard } from '@aws-sdk/client-dynamodb-streams';
import { ControlClient } from '../local-runtime/emulator/control/ControlClient.js';
import { cpuMillis, rssBytes } from './processMetrics.js';
import { startDevProcess } from './startDevProcess.js';

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 40);
const OPEN_SHARDS = 24;
const TOTAL_SHARDS = 365;
const credentials = { accessKeyId: 'eddy', secretAccessKey: 'eddy' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Share of one core the process used over `seconds` of doing nothing. */
const idleShare = async (pid: number, seconds: number): Promise<number> => {
  const before = cpuMillis(pid);
  await sleep(seconds * 1000);
  return (cpuMillis(pid) - before) / (seconds * 1000);
};

const allShards = async (streams: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> => {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({
        StreamArn: streamArn,
        ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
      }),
    );
    shards.push(...(StreamDescription?.Shards ?? []));
    start = StreamDescription?.LastEvaluatedShardId;
  } while (start !== undefined);
  return shards;
};

const isOpen = (shard: Shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined;

const main = async () => {
  const dev = await startDevProcess(['--template', 'template.yaml', '--regions', 'us-east-1,eu-west-1']);
  try {
    const region = 'us-east-1';
    const dynamodb = new DynamoDBClient({ endpoint: dev.endpoint, region, credentials });
    const streams = new DynamoDBStreamsClient({ endpoint: dev.endpoint, region, credentials });
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
    const streamArn = Table?.LatestStreamArn as string;
    // Start-up settles and the idle backoff reaches its longest wait (250 ms doubling to 30 s: about 32 s).
    await sleep(SETTLE_SECONDS * 1000);
    const few = await idleShare(dev.pid, IDLE_SECONDS);
    const fewRss = rssBytes(dev.pid);

    // Splits to 24 open shards, then rollovers of every open shard until the region's stream lists 365.
    const control = new ControlClient(dev.endpoint);
    for (let open = (await allShards(streams, streamArn)).filter(isOpen); open.length < OPEN_SHARDS; ) {
      for (const shard of open.slice(0, OPEN_SHARDS - open.length)) {
        await control.split({ streamArn, shardId: shard.ShardId as string });
      }
      open = (await allShards(streams, streamArn)).filter(isOpen);
    }
    for (let count = (await allShards(streams, streamArn)).length; count < TOTAL_SHARDS; count += 1) {
      const open = (await allShards(streams, streamArn)).filter(isOpen);
      await control.rollOver({ streamArn, shardId: open[count % open.length]?.ShardId as string });
    }
    const shards = await allShards(streams, streamArn);
    // The mappings find the new shards (a slow listing: no record names them), finish the closed ones, and the
    // new consumers back off in turn.
    await sleep(SETTLE_SECONDS * 2000);
    const many = await idleShare(dev.pid, IDLE_SECONDS);
    const manyRss = rssBytes(dev.pid);
    const pct = (share: number) => `${(share * 100).toFixed(2)} %`;
    const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
    console.log(
      `idle CPU of eddy dev (template.yaml, regions us-east-1 and eu-west-1), ${IDLE_SECONDS} s each:`,
    );
    console.log(
      `  few shards (1 open per stream):                       ${pct(few)} of a core, RSS ${mb(fewRss)}`,
    );
    console.log(
      `  many shards (${shards.filter(isOpen).length} open, ${shards.length} in all in ${region}): ` +
        `${pct(many)} of a core, RSS ${mb(manyRss)}`,
    );
    console.log('  anchors: before this change 5.9 % (few) and 24 % (24 open, 365 in all); target <= 1 %');
    dynamodb.destroy();
    streams.destroy();
  } finally {
    await dev.close();
  }
};

await main();
