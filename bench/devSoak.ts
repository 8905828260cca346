/**
 * Memory of `eddy dev` over a long session: the example template in two regions (what `npm start` runs), with
 * orders written in both regions at a steady rate, a shard split and a rollover of every open shard in each
 * region every few minutes, and idle stretches between bursts. Prints RSS (and the share of a core used) every
 * interval, then the minimum, maximum and last RSS next to the anchors (300 to 650 MB when the issue was filed; 352
 * to 614 MB, 494 MB at the end, before finished shards were retired and record texts kept flat).
 * Uses `dist/` when it exists (`npm run build` first, as `npm start` does).
 *
 *   BENCH_SOAK_MINUTES=30 node --import tsx bench/devSoak.ts
 *
 * BENCH_SOAK_MINUTES (default 30), BENCH_SOAK_WRITES_PER_SECOND (default 20, spread over both regions),
 * BENCH_SOAK_REPORT_SECONDS (default 30), BENCH_SOAK_RESHAPE_MINUTES (default 3: how often each region splits a
 * shard and rolls every open one over; shorter makes a short run accumulate the shards of a long one).
 */
import { DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ControlClient } from '../local-runtime/emulator/control/ControlClient.js';
import { stampForReplication } from '../src/index.js';
import { cpuMillis, rssBytes } from './processMetrics.js';
import { startDevProcess } from './startDevProcess.js';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 30);
const WRITES_PER_SECOND = Number(process.env.BENCH_SOAK_WRITES_PER_SECOND ?? 20);
const REPORT_SECONDS = Number(process.env.BENCH_SOAK_REPORT_SECONDS ?? 30);
/** Every this many minutes: a split and a rollover in each region. */
const RESHAPE_MINUTES = Number(process.env.BENCH_SOAK_RESHAPE_MINUTES ?? 3);
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const credentials = { accessKeyId: 'eddy', secretAccessKey: 'eddy' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

const main = async () => {
  const dev = await startDevProcess(['--template', 'template.yaml', '--regions', REGIONS.join(',')]);
  const control = new ControlClient(dev.endpoint);
  const regions = await Promise.all(
    REGIONS.map(async (region) => {
      const dynamodb = new DynamoDBClient({ endpoint: dev.endpoint, region, credentials });
      const streams = new DynamoDBStreamsClient({ endpoint: dev.endpoint, region, credentials });
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
      return { region, dynamodb, streams, streamArn: Table?.LatestStreamArn as string };
    }),
  );
  const started = Date.now();
  const end = started + MINUTES * 60_000;
  let written = 0;
  let failed = 0;
  let reshapes = 0;
  const samples: number[] = [];
  const writer = (async () => {
    // Bursts of a minute, then a quiet minute: the session idles between them as a developer's does.
    while (Date.now() < end) {
      const minute = Math.floor((Date.now() - started) / 60_000);
      if (minute % 2 === 1) {
        await sleep(1000);
        continue;
      }
      const tick = Date.now();
      await Promise.all(
        Array.from({ length: WRITES_PER_SECOND }, async () => {
          const target = regions[written % regions.length] as (typeof regions)[number];
          const n = written++;
          const order = {
            orderId: `o-${n % 5000}`,
            customerId: `c-${n % 97}`,
            status: 'PLACED',
            total: (n % 1000) / 10,
            lines: [{ sku: `sku-${n % 13}`, quantity: 1 + (n % 3) }],
          };
          await target.dynamodb
            .send(
              new PutItemCommand({
                TableName: 'orders',
                Item: marshall(stampForReplication(order, { region: target.region }), {
                  removeUndefinedValues: true,
                }),
              }),
            )
            .catch(() => {
              failed += 1;
            });
        }),
      );
      await sleep(Math.max(0, 1000 - (Date.now() - tick)));
    }
  })();
  const reshaper = (async () => {
    while (Date.now() < end) {
      await sleep(RESHAPE_MINUTES * 60_000);
      if (Date.now() >= end) break;
      for (const { streams, streamArn } of regions) {
        const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
        const open = (StreamDescription?.Shards ?? []).filter(
          (s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined,
        );
        const first = open[0]?.ShardId;
        if (first !== undefined) await control.split({ streamArn, shardId: first });
        await control.rollOver({ streamArn });
      }
      reshapes += 1;
    }
  })();
  console.log(
    `eddy dev soak: ${MINUTES} min, template.yaml in ${REGIONS.join(' and ')}, ${WRITES_PER_SECOND} writes/s ` +
      `in alternate minutes, a split and a rollover per region every ${RESHAPE_MINUTES} min`,
  );
  console.log('minute | RSS MB | CPU % of a core (interval) | writes | failed writes | reshapes');
  let lastCpu = cpuMillis(dev.pid);
  let lastAt = Date.now();
  while (Date.now() < end) {
    await sleep(Math.min(REPORT_SECONDS * 1000, Math.max(0, end - Date.now())));
    const rss = rssBytes(dev.pid);
    samples.push(rss);
    const cpu = cpuMillis(dev.pid);
    const now = Date.now();
    const share = ((cpu - lastCpu) / (now - lastAt)) * 100;
    lastCpu = cpu;
    lastAt = now;
    console.log(
      `${((now - started) / 60_000).toFixed(1).padStart(6)} | ${String(mb(rss)).padStart(6)} | ` +
        `${share.toFixed(1).padStart(26)} | ${String(written).padStart(6)} | ${String(failed).padStart(13)} | ${reshapes}`,
    );
  }
  await Promise.all([writer, reshaper]);
  const warnings = dev.lines.filter((line) => /Warning|MaxListeners/.test(line));
  console.log(
    `RSS over ${MINUTES} min: min ${mb(Math.min(...samples))} MB, max ${mb(Math.max(...samples))} MB, ` +
      `last ${mb(samples.at(-1) ?? 0)} MB (anchors: 300 to 650 MB at the issue; 352 to 614 MB, last 494 MB, before ` +
      'finished shards were retired and record texts kept flat; bounded is the target)',
  );
  console.log(
    `runtime warnings printed by eddy dev: ${warnings.length}${warnings.length > 0 ? `: ${warnings[0]}` : ''}`,
  );
  for (const { dynamodb, streams } of regions) {
    dynamodb.destroy();
    streams.destroy();
  }
  await dev.close();
};

await main();
