/**
 * The anchor "PutItem into a table with a NEW_AND_OLD_IMAGES stream costs Eddy ≤ half of dynalite's server CPU per
 * 1000 puts into a table without one", measured so that one run can be trusted on a small shared machine: every
 * server runs at once (Eddy with the stream table, dynalite without a stream, the no-op Node floor, and with
 * BENCH_EDDY_BASELINE another checkout of Eddy with the stream table), each gets the same items, and then rounds of
 * BENCH_PUTS PutItem (the same keys and items for every server within a round, the same client settings and
 * concurrency) go to one server after the other, in an order that rotates each round. Each server's CPU is read
 * from /proc/<pid>/stat around its share of the round. A change of load on the machine then hits every server
 * within seconds of each other instead of between phases minutes apart (bench/emulatorOperations.ts runs servers
 * one after another, which moves this ratio by ±0.1 here). Prints each round, then medians per server, and each
 * stream server's ratio to dynalite next to the anchor 0.5: the ratio of the medians and the median of the
 * per-round ratios (each round's servers measured within seconds of each other). Asserts nothing.
 *
 *   npm run build && npm run bench:put-ratio
 *   BENCH_ITEMS=100000 BENCH_ROUNDS=30 npm run bench:put-ratio
 *   BENCH_EDDY_BASELINE=/path/to/older/checkout/ npm run bench:put-ratio   # before and after a change, one run
 *   BENCH_SERVERS=eddy-stream BENCH_ROUNDS=10 BENCH_EDDY_NODE_ARGS=--cpu-prof npm run bench:put-ratio
 *       # load for a profile of the server (the .cpuprofile is written in the checkout when it stops)
 */
import { loadavg } from 'node:os';
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import * as bench from './benchServers.js';
import { cpuMillis } from './processMetrics.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const PUTS = Number(process.env.BENCH_PUTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
/** Unmeasured puts per server before the first round (JIT compilation, V8's and node's caches). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SERVERS = (
  process.env.BENCH_SERVERS ??
  `${process.env.BENCH_EDDY_BASELINE === undefined ? '' : 'eddy-baseline-stream,'}eddy-stream,dynalite,node-floor`
).split(',');
const ANCHOR = 0.5;

/** A small seeded generator (mulberry32), so every server gets the same keys in a round and runs repeat. */
const seeded = (seed: number) => {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };
};

/** A round's puts: which item, and the count it gets (so each put changes the item and its stream record). */
const roundPuts = (round: number) => {
  const random = seeded(round + 1);
  return Array.from({ length: PUTS }, () => ({ i: random(ITEMS), count: String(random(1000)) }));
};

const put = (client: DynamoDBClient, p: { i: number; count: string }) =>
  client.send(
    new PutItemCommand({ TableName: bench.TABLE, Item: { ...bench.item(p.i), count: { N: p.count } } }),
  );

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const format = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const quantile = (values: readonly number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * q)] as number;

interface Running {
  readonly server: bench.Server;
  readonly client: DynamoDBClient;
  /** Server CPU ms per 1000 puts, one per round. */
  readonly cpu: number[];
  readonly rate: number[];
}

const startAll = async (): Promise<Running[]> => {
  const running: Running[] = [];
  for (const name of SERVERS) {
    const start = bench.SERVER_STARTERS[name];
    if (start === undefined)
      throw new Error(
        `unknown server ${name} (choose from ${Object.keys(bench.SERVER_STARTERS).join(', ')})`,
      );
    const server = await start();
    running.push({ server, client: bench.clientFor(server.endpoint, CONCURRENCY), cpu: [], rate: [] });
  }
  return running;
};

const prepare = async ({ server, client }: Running) => {
  await bench.createBenchTable(client, server);
  const started = performance.now();
  await bench.load(client, server, 0, ITEMS);
  const seconds = (performance.now() - started) / 1000;
  await bench.pool(WARMUP, CONCURRENCY, () =>
    put(client, { i: Math.floor(Math.random() * ITEMS), count: '1' }),
  );
  console.log(
    `  ${server.name}: ${ITEMS} items loaded in ${seconds.toFixed(1)} s, ${WARMUP} puts of warm-up`,
  );
};

const measure = async (running: Running, puts: readonly { i: number; count: string }[]) => {
  const before = cpuMillis(running.server.pid);
  const started = performance.now();
  await bench.pool(puts.length, CONCURRENCY, (n) =>
    put(running.client, puts[n] as { i: number; count: string }),
  );
  const seconds = (performance.now() - started) / 1000;
  running.cpu.push(((cpuMillis(running.server.pid) - before) * 1000) / puts.length);
  running.rate.push(puts.length / seconds);
};

console.log(
  `streamPutRatio: ${ROUNDS} rounds of ${PUTS} PutItem per server, ${CONCURRENCY} in flight, ${ITEMS} items ` +
    `(~150 bytes each), servers side by side: ${SERVERS.join(', ')}; node ${process.version}; ` +
    `load average ${loadAverage()} at ${new Date().toISOString()}`,
);
const running = await startAll();
try {
  for (const each of running) await prepare(each);
  for (let round = 0; round < ROUNDS; round += 1) {
    const puts = roundPuts(round);
    // The order rotates so that no server always follows the same one (or always goes first after a pause).
    for (let k = 0; k < running.length; k += 1)
      await measure(running[(round + k) % running.length] as Running, puts);
    console.log(
      `  round ${round + 1}: ${running.map((r) => `${format(r.cpu[round] as number)}`).join(' / ')} ms per 1000 ` +
        `(load ${loadAverage()})`,
    );
  }
} finally {
  for (const { server, client } of running) {
    client.destroy();
    await server.stop();
  }
}

console.log(
  `\nload average at the end ${loadAverage()} at ${new Date().toISOString()}\n\n` +
    '| server | server CPU ms / 1000 PutItem, median | p25–p75 | puts/s, median |\n|---|---:|---:|---:|',
);
for (const r of running)
  console.log(
    `| ${r.server.name} | ${format(bench.median(r.cpu))} | ` +
      `${format(quantile(r.cpu, 0.25))}–${format(quantile(r.cpu, 0.75))} | ${format(bench.median(r.rate))} |`,
  );

const dynalite = running.find((r) => r.server.name === 'dynalite');
const floor = running.find((r) => r.server.name.startsWith('node floor'));
const streams = running.filter((r) => r.server.stream === true);
if (dynalite !== undefined && streams.length > 0) {
  console.log(
    `\n| eddy with a stream | CPU ms / 1000 | dynalite without | ratio of medians | median of round ratios | anchor ≤ ${ANCHOR} |${floor === undefined ? '' : ' above the node floor: eddy / dynalite |'}` +
      `\n|---|---:|---:|---:|---:|---|${floor === undefined ? '' : '---:|'}`,
  );
  for (const r of streams) {
    const ratio = bench.median(r.cpu) / bench.median(dynalite.cpu);
    const perRound = bench.median(r.cpu.map((cpu, round) => cpu / (dynalite.cpu[round] as number)));
    const aboveFloor =
      floor === undefined
        ? ''
        : ` ${format(bench.median(r.cpu) - bench.median(floor.cpu))} / ${format(bench.median(dynalite.cpu) - bench.median(floor.cpu))} |`;
    console.log(
      `| ${r.server.name} | ${format(bench.median(r.cpu))} | ${format(bench.median(dynalite.cpu))} | ${format(ratio, 2)} | ` +
        `${format(perRound, 2)} | ${Math.max(ratio, perRound) <= ANCHOR ? 'met' : 'not met'} |${aboveFloor}`,
    );
  }
}
// Before and after a change: each stream server next to the first one (the baseline, when BENCH_EDDY_BASELINE
// puts it first), as the median of the per-round ratios.
const [first, ...others] = streams;
if (first !== undefined && others.length > 0) {
  for (const r of others)
    console.log(
      `\n${r.server.name} / ${first.server.name}: ${format(bench.median(r.cpu.map((cpu, round) => cpu / (first.cpu[round] as number))), 2)} ` +
        `(median of round ratios; ${format(bench.median(r.cpu) - bench.median(first.cpu))} ms per 1000 puts between the medians)`,
    );
}
