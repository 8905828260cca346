/**
 * The example pipelines of template.yaml (handlers/*.ts), live and replayed from a tape, in one run (used by
 * bench/replayTape.ts, `npm run bench:replay`):
 *
 * - live: as bench/examplePipelines.ts measures them: a stream of N orders (puts, updates, tombstones, stamped
 *   for replication) written beforehand to the emulator, drained from TRIM_HORIZON by an EventSourceMapping
 *   with the template's settings for the function's event, into the handler through `inProcessInvoker`;
 * - tape: that stream recorded with `recordStream`, then for each example replayed with `replay()` (same
 *   settings, same invoker) into a FRESH emulator, so that the handler's writes start from empty tables as
 *   they did live.
 *
 * Both sides write through the AWS SDK over HTTP to an emulator in this process; the difference is where the
 * records come from (GetRecords against the emulator, or the tape in memory).
 */
import { pathToFileURL } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { startEmulator } from '../local-runtime/emulator/startEmulator.js';
import { loadTemplate } from '../local-runtime/template/loadTemplate.js';
import type { FunctionDefinition, LocalTemplate } from '../local-runtime/template/types.js';
import { REPLICATION_ATTRIBUTES, stampForReplication } from '../src/index.js';
import { resolveMappingConfig } from '../src/runtime/config/resolveMappingConfig.js';
import { EventSourceMapping } from '../src/runtime/EventSourceMapping.js';
import { inProcessInvoker, type StreamHandlerFunction } from '../src/runtime/invocation/inProcessInvoker.js';
import { replay } from '../src/runtime/replay.js';
import { TapeSource } from '../src/runtime/sources/tape/TapeSource.js';
import { parseRecordFrom, parseRecordUntil } from '../src/tape/recordPositions.js';
import { recordStream } from '../src/tape/recordStream.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

type Running = Awaited<ReturnType<typeof startEmulator>>;

const clientsOf = (endpoint: string, region: string) => ({
  dynamodb: new DynamoDBClient({ endpoint, region, credentials }),
  streams: new DynamoDBStreamsClient({ endpoint, region, credentials }),
});

/** The environment the handlers read when imported (their clients), as `eddy dev` sets it, on `endpoint`. */
const useEndpoint = (endpoint: string) =>
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: EAST,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    PEER_REGION: WEST,
  });

/** A handler module imported afresh (a new module instance, so new clients from the environment now set). */
let imports = 0;
const importHandler = async (fn: FunctionDefinition): Promise<StreamHandlerFunction> => {
  const entry = fn.build.entryPoints[0] as string;
  imports += 1;
  return (
    (await import(`${pathToFileURL(entry).href}?instance=${imports}`)) as { handler: StreamHandlerFunction }
  ).handler;
};

/** The template's tables, in both regions, as `eddy dev` creates them. */
const createTables = async (endpoint: string, templates: readonly [string, LocalTemplate][]) => {
  for (const [region, template] of templates) {
    const { dynamodb } = clientsOf(endpoint, region);
    for (const table of template.tables) {
      await dynamodb.send(new CreateTableCommand(table.createTableInput as never));
      if (table.timeToLive !== undefined) {
        const TableName = String(table.createTableInput.TableName);
        await dynamodb.send(
          new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: table.timeToLive }),
        );
      }
    }
    dynamodb.destroy();
  }
};

/** bench/examplePipelines.ts's workload: 60% puts, 25% updates, 15% tombstones over n / 5 orders, all stamped. */
const writeOrders = async (dynamodb: DynamoDBClient, n: number) => {
  const keys = Math.max(1, Math.floor(n / 5));
  let next = 0;
  const writer = async () => {
    while (next < n) {
      const i = next++;
      const orderId = `o-${(i * 7919) % keys}`;
      const roll = (i * 37) % 100;
      if (roll < 60 || i < keys) {
        const order = stampForReplication(
          { orderId, customerId: `c-${i % 50}`, status: 'NEW', total: (i % 10_000) / 100, lines: ['a', 'b'] },
          { region: EAST },
        );
        await dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: marshall(order) }));
      } else if (roll < 85) {
        const stamp = stampForReplication({}, { region: EAST });
        await dynamodb.send(
          new UpdateItemCommand({
            TableName: 'orders',
            Key: marshall({ orderId }),
            UpdateExpression: 'SET #s = :s, #t = :t, #o = :o, #v = :v, #w = :w REMOVE eddy_deleted',
            ExpressionAttributeNames: {
              '#s': 'status',
              '#t': 'total',
              '#o': REPLICATION_ATTRIBUTES.origin,
              '#v': REPLICATION_ATTRIBUTES.version,
              '#w': REPLICATION_ATTRIBUTES.writeId,
            },
            ExpressionAttributeValues: marshall({
              ':s': 'PAID',
              ':t': (i % 5000) / 100,
              ':o': stamp.eddy_origin,
              ':v': stamp.eddy_version,
              ':w': stamp.eddy_write_id,
            }),
          }),
        );
      } else {
        await dynamodb.send(
          new PutItemCommand({
            TableName: 'orders',
            Item: marshall(stampForReplication({ orderId }, { region: EAST, deleted: true })),
          }),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, writer));
};

/** bench/examplePipelines.ts's drain: a fresh mapping from TRIM_HORIZON until every record was sent or filtered. */
const drainLive = async (
  running: Running,
  fn: FunctionDefinition,
  streamArn: string,
  appended: () => number,
) => {
  const handler = await importHandler(fn);
  const mapping = new EventSourceMapping({
    mappingId: `bench-live-${fn.logicalId}`,
    streamArn,
    client: clientsOf(running.endpoint, EAST).streams,
    config: resolveMappingConfig((fn.events[0] as { properties: Record<string, unknown> }).properties),
    invoker: inProcessInvoker(handler, { functionName: fn.functionName, timeoutSeconds: fn.timeoutSeconds }),
    wakeUps: {
      subscribe: (listener) =>
        running.emulator.onRecords((e) => {
          if (e.streamArn === streamArn) listener(e.shardId);
        }),
    },
  });
  const started = performance.now();
  mapping.start();
  for (;;) {
    // A bench, not a test: polling the mapping's metrics every 5 ms costs nothing next to the work.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { total } = mapping.metrics();
    const settled = total.InvokedEventCount + total.FilteredOutEventCount + total.DroppedEventCount;
    if (total.PolledEventCount >= appended() && settled >= total.PolledEventCount) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const { total } = mapping.metrics();
  await mapping.stop();
  return { records: total.PolledEventCount, seconds, failed: total.FailedInvokeEventCount };
};

interface ExampleFigures {
  readonly example: string;
  readonly records: number;
  readonly liveRecordsPerSecond: number;
  readonly replayRecordsPerSecond: number;
  readonly replayFailures: number;
  readonly liveFailures: number;
}

/**
 * Writes `n` orders, drains them live through each example, records the stream to `tapePath`, and replays the
 * tape through each example into a fresh emulator. Logs progress lines; returns the figures and how fast the
 * orders were written and recorded.
 */
const benchExampleReplays = async (n: number, tapePath: string) => {
  const templatePath = new URL('../template.yaml', import.meta.url).pathname;
  const east = await loadTemplate(templatePath, { region: EAST, parameterOverrides: { PeerRegion: WEST } });
  const west = await loadTemplate(templatePath, { region: WEST, parameterOverrides: { PeerRegion: EAST } });
  const templates: [string, LocalTemplate][] = [
    [EAST, east],
    [WEST, west],
  ];

  // Live: the workload written once, drained by each example in turn (as bench/examplePipelines.ts does).
  const live = await startEmulator({ port: 0 });
  const liveFigures = new Map<string, { records: number; seconds: number; failed: number }>();
  let writesPerSecond: number;
  let recording: { records: number; seconds: number };
  try {
    useEndpoint(live.endpoint);
    const counts = new Map<string, number>();
    live.emulator.onRecords(({ streamArn }) => counts.set(streamArn, (counts.get(streamArn) ?? 0) + 1));
    await createTables(live.endpoint, templates);
    const { dynamodb, streams } = clientsOf(live.endpoint, EAST);
    const writeStarted = performance.now();
    await writeOrders(dynamodb, n);
    writesPerSecond = n / ((performance.now() - writeStarted) / 1000);
    const streamArn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }))).Table
      ?.LatestStreamArn as string;
    for (const fn of east.functions) {
      liveFigures.set(fn.logicalId, await drainLive(live, fn, streamArn, () => counts.get(streamArn) ?? 0));
      console.log(`live ${fn.logicalId}: drained`);
    }
    // The tape: the whole stream, those records the replicator wrote back included.
    const recordStarted = performance.now();
    const summary = await recordStream({
      client: streams,
      streamArn,
      out: { path: tapePath },
      from: parseRecordFrom('trim-horizon'),
      until: parseRecordUntil('now'),
      tool: 'bench',
    });
    recording = { records: summary.records, seconds: (performance.now() - recordStarted) / 1000 };
  } finally {
    await live.close();
  }

  // Replay: the tape through each example, each into a fresh emulator with empty tables.
  const tape = await TapeSource.load(tapePath);
  const figures: ExampleFigures[] = [];
  for (const fn of east.functions) {
    const fresh = await startEmulator({ port: 0 });
    try {
      useEndpoint(fresh.endpoint);
      await createTables(fresh.endpoint, templates);
      const handler = await importHandler(fn);
      const started = performance.now();
      const summary = await replay({
        source: tape,
        invoker: inProcessInvoker(handler, {
          functionName: fn.functionName,
          timeoutSeconds: fn.timeoutSeconds,
        }),
        config: resolveMappingConfig((fn.events[0] as { properties: Record<string, unknown> }).properties),
      });
      const seconds = (performance.now() - started) / 1000;
      const liveRun = liveFigures.get(fn.logicalId) as { records: number; seconds: number; failed: number };
      figures.push({
        example: `${fn.logicalId} (${(fn.build.entryPoints[0] as string).split('/').pop()})`,
        records: summary.records,
        liveRecordsPerSecond: liveRun.records / liveRun.seconds,
        replayRecordsPerSecond: summary.records / seconds,
        replayFailures: summary.failures + summary.discarded,
        liveFailures: liveRun.failed,
      });
      console.log(`replay ${fn.logicalId}: done`);
    } finally {
      await fresh.close();
    }
  }
  return { figures, writesPerSecond, recording };
};

export { benchExampleReplays, type ExampleFigures };
